-- A part of a message that could not be read (a malformed CSV row, a poison Kafka record) is kept
-- as one dead letter however often the message is delivered, and however many consumers read it
-- at the same moment: the digest of its route, system, payload and reason is unique. Dead letters
-- of other kinds have none (NULLs never collide).
ALTER TABLE dead_letter ADD COLUMN once_key VARCHAR(64);
CREATE UNIQUE INDEX dead_letter_once_key_uq ON dead_letter (once_key);
