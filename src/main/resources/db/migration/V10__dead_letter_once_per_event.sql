-- One dead letter per inbox event: a worker that dies between storing the dead letter and
-- finishing the event leaves it to be retried, and the retry must find the dead letter, not
-- add a second one. (Events that did not come through the inbox have no inbox_id; NULLs never
-- collide.)
CREATE UNIQUE INDEX dead_letter_inbox_id_uq ON dead_letter (inbox_id);
