-- Staging of a run's pulls, rebuilt for speed: each run and side gets its own UNLOGGED partition,
-- filled by binary COPY, joined, then dropped (a DROP instead of a DELETE of millions of rows and
-- the vacuum after it). Per record only what the join needs: the key, a 128-bit version hash of
-- the compared values, the record's own timestamp, and where its values wait in the run's local
-- value file (they are read back only for the keys that differ). No primary key: COPY cannot skip
-- a duplicate, so keys seen twice are counted after the load instead.
DROP TABLE reconciliation_record;
CREATE TABLE reconciliation_record (
    run_id       BIGINT      NOT NULL,
    side         CHAR(1)     NOT NULL,
    record_key   TEXT        NOT NULL,
    version_hash BYTEA       NOT NULL,
    record_at    TIMESTAMP WITH TIME ZONE,
    values_at    BIGINT      NOT NULL
) PARTITION BY RANGE (run_id, side);
