-- Conflicts and the review queue (issue 6).

-- A review item knows which record and which target it is about, which strategy sent it, and
-- what became of it: who resolved or discarded it and when, the decisions per field, and the
-- error of a resolution whose write failed (the item then stays open).
ALTER TABLE review_item ADD COLUMN target_system VARCHAR(100);
ALTER TABLE review_item ADD COLUMN canonical_id VARCHAR(64);
ALTER TABLE review_item ADD COLUMN strategy VARCHAR(200);
ALTER TABLE review_item ADD COLUMN resolved_by VARCHAR(200);
ALTER TABLE review_item ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE review_item ADD COLUMN resolution TEXT;
ALTER TABLE review_item ADD COLUMN last_error TEXT;
ALTER TABLE review_item ADD COLUMN last_attempt_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX review_item_record_idx ON review_item (entity, canonical_id, status);

-- Record state: the values Syncline's last write to a system replaced (and that system's own
-- modification time just before), so that a late event reporting one of them is recognised;
-- and per source system the last change applied, so that each source's events are ordered on
-- their own while a change from another system is weighed field by field.
ALTER TABLE record_state ADD COLUMN overwritten_values TEXT;
ALTER TABLE record_state ADD COLUMN overwritten_modified_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE record_state ADD COLUMN applied_from TEXT;

-- Who a decision was made for (the admin who resolved or discarded a review item).
ALTER TABLE audit_log ADD COLUMN actor VARCHAR(200);
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_ck;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_ck CHECK (action IN ('created', 'updated', 'unchanged', 'deleted',
    'skipped-duplicate', 'skipped-stale', 'echo', 'held', 'failed', 'discarded'));

-- An inbox event Syncline enqueued itself: a re-sync of the master's last known values
-- (the sync-before-ship gate), applied even though nothing changed.
ALTER TABLE inbox ADD COLUMN origin VARCHAR(20) DEFAULT 'webhook' NOT NULL;
ALTER TABLE inbox ADD CONSTRAINT inbox_origin_ck CHECK (origin IN ('webhook', 'resync'));
