-- The pull rate limit each registry (or docker.io mirror, by its URL) stated in its last
-- manifest answer (Docker Hub's ratelimit-limit / ratelimit-remaining headers).
CREATE TABLE registry_rate_limits (
  registry       TEXT PRIMARY KEY,
  rate_limit     INTEGER,
  remaining      INTEGER NOT NULL,
  window_seconds INTEGER,
  seen_at        TEXT NOT NULL
);
