-- Credentials for registries, by host as written in references (docker.io, ghcr.io,
-- 127.0.0.1:5000). Passwords never leave the main process: views show only that one is set.
CREATE TABLE registries (
  host       TEXT PRIMARY KEY,
  username   TEXT NOT NULL,
  password   TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
