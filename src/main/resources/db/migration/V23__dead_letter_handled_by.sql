-- Who replayed or discarded a dead letter (the admin API's or the console's user), when, and why
-- it was discarded: a discard without its reason cannot be reviewed later.
ALTER TABLE dead_letter ADD COLUMN handled_by VARCHAR(200);
ALTER TABLE dead_letter ADD COLUMN handled_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE dead_letter ADD COLUMN discard_reason VARCHAR(1000);
