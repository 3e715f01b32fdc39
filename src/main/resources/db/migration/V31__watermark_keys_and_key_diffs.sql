-- The keys a change poll read at its watermark's instant, for a source that filters by time alone
-- (a REST API's updated_since >= t answers that instant's records again on every poll): the next
-- poll drops these, so that records sharing the instant are neither skipped nor stored twice.
-- Only one instant's keys are kept per poll: they go when its watermark moves on.
CREATE TABLE watermark_key (
    job        VARCHAR(300) NOT NULL,
    record_key VARCHAR(500) NOT NULL,
    CONSTRAINT watermark_key_pk PRIMARY KEY (job, record_key)
);

-- The last key diff of each polled system whose deletions it finds (polls.<system>.deletes): how
-- many keys Syncline knew, how many of them the system no longer has, how many deletions went
-- into the inbox, or why none did (refused: more than the share a run deletes unconfirmed;
-- failed). A person's confirmation of a refused run lets the next run delete up to that many.
CREATE TABLE key_diff (
    entity            VARCHAR(100)             NOT NULL,
    source_system     VARCHAR(100)             NOT NULL,
    ran_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome           VARCHAR(20)              NOT NULL,
    known             BIGINT,
    missing           BIGINT,
    deleted           BIGINT,
    detail            TEXT,
    confirmed_deletes BIGINT,
    confirmed_by      VARCHAR(200),
    confirmed_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT key_diff_pk PRIMARY KEY (entity, source_system),
    CONSTRAINT key_diff_outcome_ck CHECK (outcome IN ('deleted', 'refused', 'failed'))
);
