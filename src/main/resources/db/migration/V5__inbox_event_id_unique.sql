-- A sender's event id is accepted once per source system: a redelivery finds the first event.
-- (NULL event ids, from senders that give none, never collide.)
CREATE UNIQUE INDEX inbox_event_id_uq ON inbox (source_system, event_id);
