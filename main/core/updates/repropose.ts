/**
 * After a rollback, the way forward again: "Re-apply X" proposes once more the content each
 * drive was rolled back from (still on this box, kept as the previous content), as a pending
 * update that is approved as any other — the approve dialog shows from → to and the size
 * (nothing to download), the approval names who decided, and the apply goes through the
 * normal path. A digest rejected for the drive since is not proposed again.
 */
import type { PendingUpdate, UpdateProposal } from '../../api/types/updates';
import type { NewLedgerEntry } from '../../api/types/apps';
import { TagkeeperError } from '../../api/errors';
import { requireApp } from '../apps/app-lookup';
import { ledgerEntry } from '../ledger/ledger-entry';
import { shortDigest } from '../model/digest';
import { type CoreDeps, isoNow } from '../ports/deps';
import { rejectedDigests } from './rejected-digests';

export async function reproposeRolledBack(deps: CoreDeps, app: string): Promise<{ proposed: PendingUpdate[] }> {
  const record = requireApp(deps, app);
  const rejected = rejectedDigests(deps, app);
  const proposals: UpdateProposal[] = [];
  for (const s of record.services) {
    const back = s.latched?.rolledBackFrom;
    if (!s.latched || !back?.manifestDigest) continue;
    if (rejected(s.name, back.manifestDigest)) {
      throw new TagkeeperError('invalid-input', `${shortDigest(back.manifestDigest)} was rejected for service ${s.name} of app ${app} since the rollback, so it is not proposed again`, {
        hint: 'a newer digest under the tag will be: tagkeeper check',
      });
    }
    // Still on disk as the drive's previous content: the approval downloads nothing.
    const kept = s.previous?.manifestDigest === back.manifestDigest && (await deps.engine.inspectImage(s.previous.imageId)) ? s.previous : null;
    proposals.push({
      app,
      service: s.name,
      from: { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest },
      to: { indexDigest: back.indexDigest, manifestDigest: back.manifestDigest },
      source: kept?.source === 'bundle' ? 'bundle' : 'registry',
      imageId: kept?.imageId ?? null,
    });
  }
  if (proposals.length === 0) {
    throw new TagkeeperError('invalid-input', `app ${app} was not rolled back: there is nothing to re-apply`, {
      hint: 'its pending updates are on the Updates screen (tagkeeper updates); a check finds new ones',
    });
  }
  const ledger: NewLedgerEntry[] = proposals.map((p) =>
    ledgerEntry(deps, { app, service: p.service, action: 'propose', from: p.from, to: p.to, source: p.source, detail: 'proposed again: the digest the app was rolled back from' }),
  );
  const proposed = deps.store.recordUpdates({ propose: proposals, withdraw: [] }, ledger, isoNow(deps));
  deps.emit({ type: 'app-changed', app });
  return { proposed };
}
