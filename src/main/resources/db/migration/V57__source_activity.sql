-- When each source last showed it is alive, per entity, system and kind (webhook: an event
-- accepted; poll: a poll that ran to its end): the newest of every replica's, which each writes
-- from memory every few seconds, never on the path of an event. Read for the sources' silence
-- (syncline_source_silent, SynclineSourceSilent).
CREATE TABLE source_activity (
    entity        VARCHAR(100) NOT NULL,
    source_system VARCHAR(100) NOT NULL,
    kind          VARCHAR(20)  NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (entity, source_system, kind)
);
