-- A running reconciliation whose pull waits for a source's spent daily call budget says until when, and why.
ALTER TABLE reconciliation_run ADD COLUMN waiting_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE reconciliation_run ADD COLUMN waiting_reason TEXT;

-- A reconciliation fix of a record its target lost forgets the stale ID map link first, audited 'unlinked'.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_ck;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_ck CHECK (action IN ('created', 'updated', 'unchanged', 'deleted',
    'skipped-duplicate', 'skipped-stale', 'echo', 'held', 'failed', 'discarded', 'refused', 'erased', 'reconsented',
    'linked', 'unlinked'));
