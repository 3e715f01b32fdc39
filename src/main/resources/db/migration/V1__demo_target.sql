-- The demo target system of the Quickstart example (routes/contacts.syncline.yaml calls it
-- "billing"). It stands in for a customer's own table; Syncline's state tables come in V2+.
CREATE TABLE demo_contact (
    external_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    email       VARCHAR(320) NOT NULL,
    first_name  VARCHAR(200),
    last_name   VARCHAR(200),
    full_name   VARCHAR(400),
    phone       VARCHAR(32),
    company     VARCHAR(200),
    city        VARCHAR(200),
    status      VARCHAR(32),
    updated_at  TIMESTAMP WITH TIME ZONE
);
