-- Where a change poll with no watermark yet started, once chosen for good (polls.<system>.startAt:
-- now): the time of its first run, kept so that the polls after it, until the first change moves
-- its watermark, read from the same time instead of each from its own "now".
CREATE TABLE poll_start (
    job        VARCHAR(300)             NOT NULL PRIMARY KEY,
    start_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    chosen_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
