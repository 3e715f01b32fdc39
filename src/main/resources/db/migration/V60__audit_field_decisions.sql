-- How each field of a write's diff was decided (docs/reference/admin-api.md, "Why this value"):
-- field -> {"source", "by", "strategy", "kept", "take"} as JSON text; null on entries written
-- before it was recorded and on entries that wrote nothing.
ALTER TABLE audit_log ADD COLUMN decisions TEXT;
