-- PostgreSQL only (backfills need it; the embedded store runs none): a run's events by job and
-- status, for its progress and its back-pressure. Partial, so webhook events never enter it.
CREATE INDEX inbox_backfill_idx ON inbox (route_id, status) WHERE origin = 'backfill';
