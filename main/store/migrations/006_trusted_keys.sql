-- Public keys this device trusts to sign offline bundles (Ed25519, SPKI PEM), by key id:
-- `sha256:<hex>` of the key's SPKI DER, as bundle signatures name them.
CREATE TABLE trusted_keys (
  key_id     TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  public_key TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  added_by   TEXT NOT NULL
);
