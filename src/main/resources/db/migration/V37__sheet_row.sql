-- The rows a change poll of a Google Sheets system last saw, per poll job ('poll:<entity>:<system>'):
-- each row's key and the SHA-256 of its cells. A sheet keeps no modification times, so a poll reads
-- the whole range and puts into the inbox the rows whose digest differs from the one kept here (new
-- or edited) and the keys no longer there (deleted); a row's digest is kept once its change is stored.
CREATE TABLE sheet_row (
    job        VARCHAR(300)             NOT NULL,
    row_key    VARCHAR(500)             NOT NULL,
    row_digest VARCHAR(64)              NOT NULL,
    seen_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (job, row_key)
);
