-- PostgreSQL only: no planner statistics for columns no query filters, joins or sorts on. ANALYZE
-- (autovacuum's, as a table grows) sorted 30,000 sampled values of each column to find its most
-- common values and histogram: for record_state's JSON texts and its all-distinct hashes and ids
-- that was most of the work, and no plan ever used it. record_state is read only by its primary
-- key (entity, canonical_id, system), which keeps its statistics; the inbox's payload and error,
-- and the audit log's diff and detail, are only ever read back whole. ANALYZE of 40,000 record
-- states took 580-680 ms before, 260-280 ms after (docs/benchmarks.md).
ALTER TABLE record_state
    ALTER COLUMN system_id SET STATISTICS 0,
    ALTER COLUMN source_system SET STATISTICS 0,
    ALTER COLUMN source_id SET STATISTICS 0,
    ALTER COLUMN version_hash SET STATISTICS 0,
    ALTER COLUMN source_timestamp SET STATISTICS 0,
    ALTER COLUMN field_values SET STATISTICS 0,
    ALTER COLUMN fingerprint SET STATISTICS 0,
    ALTER COLUMN provenance SET STATISTICS 0,
    ALTER COLUMN deleted SET STATISTICS 0,
    ALTER COLUMN last_synced_at SET STATISTICS 0,
    ALTER COLUMN sync_run_id SET STATISTICS 0,
    ALTER COLUMN overwritten_values SET STATISTICS 0,
    ALTER COLUMN overwritten_modified_at SET STATISTICS 0,
    ALTER COLUMN applied_from SET STATISTICS 0;
ALTER TABLE inbox
    ALTER COLUMN payload SET STATISTICS 0,
    ALTER COLUMN last_error SET STATISTICS 0;
ALTER TABLE audit_log
    ALTER COLUMN diff SET STATISTICS 0,
    ALTER COLUMN detail SET STATISTICS 0;
