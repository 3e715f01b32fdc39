-- When a running backfill last moved on (a page read and stored, a run's events applied, an
-- entity done, the job claimed): a running backfill that has not moved on for
-- syncline.alerts.backfill-stall is stalled (syncline_backfills_stalled, alert SynclineBackfillStalled).
ALTER TABLE backfill_job ADD COLUMN progressed_at TIMESTAMP WITH TIME ZONE;
