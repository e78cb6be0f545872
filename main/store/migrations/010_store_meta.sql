-- Facts about the store itself, by key. `engine-check`: 'pending' while a database made fresh
-- (or restored from a backup) has not yet been compared with the engine: the first time the
-- engine answers, containers of apps this database does not know make Tagkeeper refuse to go
-- on (`tagkeeper recover` rebuilds them), and new operation ids start above the engine's.
CREATE TABLE store_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
