-- PostgreSQL only (H2 keeps V14's index): the claims' indexes hold the events still to apply, one
-- index per status, and nothing else. With V14's (status, id) over every event, PostgreSQL chose
-- the primary key for the claim whenever its statistics had been taken while many events were
-- pending (after a burst, a backlog, a first import): it then walked every applied event from the
-- oldest, 20-40 ms a claim at 30,000 of them, a quarter of the database's time in the apply
-- benchmark (docs/benchmarks.md). An index on id alone, holding only one status's rows, is read in
-- the same id order as the primary key at no more cost per row, with fewer entries and no status
-- to filter: the planner takes it under the statistics that made it take the primary key before
-- (InboxClaimPlanTest). An applied event leaves these indexes instead of adding an entry to one.
DROP INDEX inbox_status_idx;
CREATE INDEX inbox_pending_idx ON inbox (id) WHERE status = 'pending';
CREATE INDEX inbox_processing_idx ON inbox (id) WHERE status = 'processing';
