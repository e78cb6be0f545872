-- Apps defined by a Compose file: the normalized model (JSON ComposeDefinition: the project,
-- its hash, the file and env files it came from, whether it was adopted). NULL for apps made
-- with flags. Tagkeeper owns the digests (services.latched); the model owns the topology.
ALTER TABLE apps ADD COLUMN compose TEXT;
