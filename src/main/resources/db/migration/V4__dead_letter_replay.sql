-- A replayed dead letter points at the inbox event that replays it; a second replay finds it.
ALTER TABLE dead_letter ADD COLUMN replayed_inbox_id BIGINT;
