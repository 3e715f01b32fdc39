-- A run's records applied with their page, one per target (the rest of events_stored went through the inbox).
ALTER TABLE backfill_job ADD COLUMN events_applied BIGINT DEFAULT 0 NOT NULL;
