-- PostgreSQL only (dev mode's H2 has no partial indexes and no inbox to speak of): the applied
-- events in the order they finished, for InboxRetention's purge of those older than
-- syncline.inbox.retention. Without it the purge would read every applied event of the retention
-- window, each hour, to find none old enough.
CREATE INDEX inbox_done_finished_idx ON inbox (finished_at) WHERE status = 'done';
