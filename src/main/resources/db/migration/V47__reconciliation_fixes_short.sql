-- A run that pulled both sides whole but made fewer fixes than it planned says so: fixes_short, with
-- how many and why in its reasons, never ok.
ALTER TABLE reconciliation_run DROP CONSTRAINT reconciliation_run_status_ck;
ALTER TABLE reconciliation_run ADD CONSTRAINT reconciliation_run_status_ck
    CHECK (status IN ('running', 'ok', 'fixes_short', 'untrustworthy', 'failed'));
