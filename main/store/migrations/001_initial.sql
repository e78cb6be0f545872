-- Tagkeeper's first schema. Digests are stored as text ('sha256:<hex>').

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL            -- JSON
);

CREATE TABLE apps (
  name           TEXT PRIMARY KEY,
  pull_policy    TEXT CHECK (pull_policy IN ('always', 'if-not-present', 'never')),
  check_on_start INTEGER,        -- NULL: device default
  intent         TEXT NOT NULL CHECK (intent IN ('creating', 'running', 'stopped', 'failed')),
  error          TEXT,           -- JSON {code, message, hint?}
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

-- One row per app drive. Resolutions are kept per drive: two apps on redis:7 each keep
-- their own latched digest until each is refreshed.
CREATE TABLE services (
  app                       TEXT NOT NULL REFERENCES apps(name) ON DELETE CASCADE,
  name                      TEXT NOT NULL,
  position                  INTEGER NOT NULL,
  reference                 TEXT NOT NULL,
  canonical                 TEXT NOT NULL,
  pinned_digest             TEXT,
  settings                  TEXT NOT NULL,  -- JSON ServiceSettings
  latched                   TEXT,           -- JSON Latched
  previous                  TEXT,           -- JSON Latched
  available                 TEXT,           -- JSON Available
  check_error               TEXT,           -- JSON ErrorInfo
  container_id              TEXT,
  error                     TEXT,           -- JSON ErrorInfo
  PRIMARY KEY (app, name)
);

-- Manifest bytes as served by registries, by digest. Lets a check that sees a known index
-- digest pick the platform manifest without another GET.
CREATE TABLE manifests (
  digest     TEXT PRIMARY KEY,
  media_type TEXT NOT NULL,
  body       BLOB NOT NULL,
  fetched_at TEXT NOT NULL
);

-- Append-only history of every resolution, download, apply and decision.
CREATE TABLE ledger (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  at                   TEXT NOT NULL,
  app                  TEXT NOT NULL,
  service              TEXT,
  action               TEXT NOT NULL,
  from_index_digest    TEXT,
  from_manifest_digest TEXT,
  to_index_digest      TEXT,
  to_manifest_digest   TEXT,
  source               TEXT,
  trigger              TEXT NOT NULL,
  actor                TEXT NOT NULL,
  outcome              TEXT NOT NULL,
  detail               TEXT
);
CREATE INDEX ledger_by_app ON ledger (app, id);

CREATE TRIGGER ledger_is_append_only_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_is_append_only_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
