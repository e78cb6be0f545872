-- What a refresh may move (issue 14): only some drives (the UI's "Update to latest…" with
-- boxes unticked), and the drives whose rejected digests it may take (`--include-rejected`,
-- or a ticked rejected digest). JSON arrays of service names; NULL: every drive / none.
ALTER TABLE operations ADD COLUMN only_services TEXT;
ALTER TABLE operations ADD COLUMN include_rejected TEXT;
