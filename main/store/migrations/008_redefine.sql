-- An update of a Compose app's definition (`app update --compose`) is one durable operation:
-- the definition it moves the app to is recorded with the request (JSON ComposeDefinition),
-- so a process that dies half-way finishes (or rolls back) the same change.
ALTER TABLE operations ADD COLUMN target TEXT;
