-- The Docker Engine this data directory belongs to (issue 15), recorded at first contact: its
-- ID and data root (GET /info: before Docker 23 the ID is the host's, the data root tells the
-- engines of one box apart), its name and where it was reached. Another
-- engine (another --host, DOCKER_HOST or context) is then refused instead of sharing the store
-- by accident; `tagkeeper engine accept` moves the data directory to a replacing engine.
CREATE TABLE engine (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  engine_id   TEXT NOT NULL,
  root_dir    TEXT NOT NULL,
  name        TEXT NOT NULL,
  endpoint    TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
