-- The last record with each combination of the values a rule's `same (...) within` condition
-- compares (their SHA-256, not the values), and when it happened: a later record with the same
-- values within the window repeats it. keep_until is when its window is over and it may go.
CREATE TABLE rule_repeat (
    entity      VARCHAR(128) NOT NULL,
    rule_name   VARCHAR(64)  NOT NULL,
    digest      VARCHAR(64)  NOT NULL,
    record_key  VARCHAR(512) NOT NULL,
    happened_at TIMESTAMP WITH TIME ZONE NOT NULL,
    keep_until  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (entity, rule_name, digest)
);
CREATE INDEX rule_repeat_keep_until_idx ON rule_repeat (keep_until);
