-- An erasure reaches the records that name the erased person (docs/privacy.md, "Children"):
-- a part may be a child's record, of another entity than the request's, and the request counts
-- per entity the children it erased and those it detached.
ALTER TABLE privacy_request_part ADD COLUMN entity VARCHAR(100);
ALTER TABLE privacy_request ADD COLUMN children TEXT;
