-- Who asked for what a person starts (the admin API's user, or the console's): a reconciliation
-- run started on demand, and an inbox event a "sync now" pushed. NULL for schedules and webhooks.
ALTER TABLE reconciliation_run ADD COLUMN requested_by VARCHAR(200);
ALTER TABLE inbox ADD COLUMN requested_by VARCHAR(200);
