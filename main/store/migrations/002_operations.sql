-- Durable requests (the seed's refresh, restart and purge counters) and their execution.
-- A request is recorded here before anything is done; requests for one app arriving
-- together are merged into one operation, as counters would be. `phase` and `plan` record
-- progress so that a process killed at any step can be resumed by the next one.

CREATE TABLE operations (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  app         TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('update', 'start', 'stop')),
  refresh     INTEGER NOT NULL DEFAULT 0,
  restart     INTEGER NOT NULL DEFAULT 0,
  purge       INTEGER NOT NULL DEFAULT 0,
  requests    INTEGER NOT NULL DEFAULT 1,     -- how many requests were merged into this one
  state       TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
  phase       TEXT NOT NULL,                  -- see core/operation-types.ts
  plan        TEXT,                           -- JSON OperationPlan
  result      TEXT,                           -- JSON OperationResult once finished
  owner_pid   INTEGER,                        -- the process working on it
  trigger     TEXT NOT NULL,
  actor       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX operations_open ON operations (app, state) WHERE state IN ('pending', 'running');
