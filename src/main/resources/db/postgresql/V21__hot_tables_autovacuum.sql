-- PostgreSQL only (reloptions). Autovacuum's defaults scale with a table's size: it analyses once
-- a tenth of the rows changed since the last time, and vacuums at a fifth. The tables every event
-- writes keep 30 days of events (the inbox, the processed keys, the audit log) or every record
-- ever synced (record state, ID map): a burst of tens of thousands of events into millions of
-- rows then reaches neither, and the planner goes on with figures from before the burst, while
-- dead entries of applied events pile up in the inbox's partial indexes. Here each is analysed
-- and vacuumed after a fixed number of changed rows instead, whatever its size: a burst of 10,000
-- events, or as many updated events, is enough. These settings act only where autovacuum runs
-- (the server's autovacuum = on, the default); Syncline analyses these tables itself after
-- syncline.inbox.analyze-after stored events either way (docs/deployment.md).
DO $$
DECLARE
    hot TEXT;
BEGIN
    FOREACH hot IN ARRAY ARRAY['inbox', 'processed_key', 'record_state', 'id_map', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,'
            ' autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 10000,'
            ' autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 10000)', hot);
    END LOOP;
END $$;
