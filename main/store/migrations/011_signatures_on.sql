-- Signatures on by default (issue 13). Until now `require-signatures` was off by default, and
-- saving any setting stored every key, so a stored `false` is the old default, not a choice
-- anyone could tell apart: drop it, so the new default (on) applies, and say so in the ledger.
-- Whoever wants unsigned bundles again turns it off: tagkeeper settings set require-signatures off.
INSERT INTO ledger (at, app, service, action, trigger, actor, outcome, detail)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '(device)', NULL, 'configure', 'upgrade', 'tagkeeper', 'ok',
       'require-signatures is now on by default: bundles must be signed by a trusted key (tagkeeper keys trust KEY.pub) or accepted unsigned one by one (bundle import --allow-unsigned)'
WHERE EXISTS (SELECT 1 FROM settings WHERE key = 'requireSignatures' AND value = 'false');
DELETE FROM settings WHERE key = 'requireSignatures' AND value = 'false';

-- A pending update from a bundle remembers when the bundle was made: a bundle older than the
-- last one applied to the drive is a downgrade and needs an explicit confirmation.
ALTER TABLE pending_updates ADD COLUMN bundle_created_at TEXT;
