-- The embedded H2 form of V12 (db/postgresql): the same columns in one plain table, since H2 has
-- no partitions. Reconciliation stages its pulls with PostgreSQL's COPY and partitions, so it runs
-- on a PostgreSQL state store only; the embedded store keeps the schema in step for every other table.
DROP TABLE reconciliation_record;
CREATE TABLE reconciliation_record (
    run_id       BIGINT      NOT NULL,
    side         CHAR(1)     NOT NULL,
    record_key   TEXT        NOT NULL,
    version_hash BYTEA       NOT NULL,
    record_at    TIMESTAMP WITH TIME ZONE,
    values_at    BIGINT      NOT NULL
);
