-- Where each captured change stream of a system (a Salesforce org's Change Data Capture channel) was
-- read up to: the position (replay id) of the last message whose changes are in the inbox. It is
-- written in the transaction that stores those changes, so a restart resumes right after them.
CREATE TABLE change_stream_position (
    system_name  VARCHAR(100)             NOT NULL,
    stream       VARCHAR(200)             NOT NULL,
    position     VARCHAR(100)             NOT NULL,
    committed_at TIMESTAMP WITH TIME ZONE,
    stored_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT change_stream_position_pk PRIMARY KEY (system_name, stream)
);

-- A captured stream's notice of a changed record (its id, not its values): the record is fetched
-- from the system before it is mapped.
ALTER TABLE inbox DROP CONSTRAINT inbox_origin_ck;
ALTER TABLE inbox ADD CONSTRAINT inbox_origin_ck CHECK (origin IN ('webhook', 'resync', 'backfill', 'notice'));
