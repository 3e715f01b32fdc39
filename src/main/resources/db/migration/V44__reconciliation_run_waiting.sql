-- A running reconciliation whose pull waits for a source's spent daily call budget says until when, and why.
ALTER TABLE reconciliation_run ADD COLUMN waiting_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE reconciliation_run ADD COLUMN waiting_reason TEXT;
