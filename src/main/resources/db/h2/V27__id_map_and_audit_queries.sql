-- The embedded H2 form of V27 (db/postgresql): H2 has no BRIN index, so the audit log's time range
-- goes without one here (a trial's audit log is small).
CREATE INDEX id_map_created_idx ON id_map (created_at);

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_ck;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_ck CHECK (action IN ('created', 'updated', 'unchanged', 'deleted',
    'skipped-duplicate', 'skipped-stale', 'echo', 'held', 'failed', 'discarded', 'refused', 'erased', 'reconsented',
    'linked'));
