-- `app rollback`: an update whose plan returns each drive to its previous latched content.
-- Never merged with refreshes, restarts or purges (see canJoin in core/operation-types.ts).
ALTER TABLE operations ADD COLUMN rollback INTEGER NOT NULL DEFAULT 0;
