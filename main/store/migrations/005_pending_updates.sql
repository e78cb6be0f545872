-- Pending updates: what a check (by hand or scheduled) or an imported bundle offers for a
-- drive, waiting for a person's decision. One open row (pending or approved) per drive; the
-- rest is history: applied, rejected (that digest is not proposed again for that drive),
-- failed (the apply rolled back, with the reason) or superseded (a newer digest appeared,
-- or a refresh moved the drive on).
CREATE TABLE pending_updates (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  app                  TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  service              TEXT NOT NULL,
  from_index_digest    TEXT,
  from_manifest_digest TEXT,
  to_index_digest      TEXT,
  to_manifest_digest   TEXT NOT NULL,
  source               TEXT NOT NULL CHECK (source IN ('registry', 'bundle')),
  found_at             TEXT NOT NULL,
  state                TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'applied', 'rejected', 'failed', 'superseded')),
  image_id             TEXT,          -- staged: the content is on this box already (prefetch, bundle)
  decided_by           TEXT,
  decided_at           TEXT,
  reason               TEXT,
  operation_id         INTEGER        -- the operation applying an approved update
);
CREATE UNIQUE INDEX pending_updates_one_open_per_drive ON pending_updates (app, service) WHERE state IN ('pending', 'approved');
CREATE INDEX pending_updates_by_drive ON pending_updates (app, service, to_manifest_digest);

-- Approving applies exactly the approved digests (never merged with refreshes or rollbacks).
ALTER TABLE operations ADD COLUMN approve INTEGER NOT NULL DEFAULT 0;

-- Per-app override of the device's auto-apply setting (NULL: the device default).
ALTER TABLE apps ADD COLUMN auto_apply INTEGER;
