-- Differences a reconciliation explains instead of counting as drift: the record is held for
-- review or a dead letter in the real-time path, or the job's expect: declares such records. Each
-- is kept with why (expected_because, action 'expected'); the run counts them apart (expected).
ALTER TABLE reconciliation_run ADD COLUMN expected BIGINT;
ALTER TABLE reconciliation_difference ADD COLUMN expected_because TEXT;
ALTER TABLE reconciliation_difference DROP CONSTRAINT reconciliation_difference_action_ck;
ALTER TABLE reconciliation_difference ADD CONSTRAINT reconciliation_difference_action_ck CHECK (action IN ('report', 'fix',
    'quarantine', 'fixed', 'quarantined', 'would_fix', 'would_quarantine', 'refused', 'expected'));
