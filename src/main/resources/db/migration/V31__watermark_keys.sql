-- The keys a change poll read at its watermark's instant, for a source that filters by time alone
-- (a REST API's updated_since >= t answers that instant's records again on every poll): the next
-- poll drops these, so that records sharing the instant are neither skipped nor stored twice.
-- Only one instant's keys are kept per poll: they go when its watermark moves on.
CREATE TABLE watermark_key (
    job        VARCHAR(300) NOT NULL,
    record_key VARCHAR(500) NOT NULL,
    CONSTRAINT watermark_key_pk PRIMARY KEY (job, record_key)
);
