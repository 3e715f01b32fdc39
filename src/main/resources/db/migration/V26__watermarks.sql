-- How far each change poll has read (entities.<entity>.polls.<system>): the modification time and
-- key of the last record it put into the inbox, saved in the transaction that put it there.
CREATE TABLE watermark (
    job        VARCHAR(300)             NOT NULL PRIMARY KEY,
    last_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_key   VARCHAR(500)             NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
