-- PostgreSQL only (backfills need it): what became of a backfill run's records applied with their
-- page, which have no inbox event, counted by the run's id and entity. Partial, so that the audit of
-- inbox events (nearly all of it) never enters it.
CREATE INDEX audit_log_run_idx ON audit_log (run_id, entity) WHERE inbox_id IS NULL;
