-- The dispatcher claims pending events in id order, and events whose lease ran out: each a range
-- of (status, id), read in order, so that a claim reads about as many rows as it takes however
-- many done events the inbox keeps. (status, next_attempt_at, id) could not give id order.
DROP INDEX inbox_ready_idx;
CREATE INDEX inbox_status_idx ON inbox (status, id);
