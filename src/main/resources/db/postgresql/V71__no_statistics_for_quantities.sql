-- PostgreSQL only: record_state.quantities (V70) is read back whole with its row, never filtered
-- on, so it keeps no planner statistics either (V19 says why that matters for ANALYZE).
ALTER TABLE record_state
    ALTER COLUMN quantities SET STATISTICS 0;
