-- The demo target system of the Quickstart example (routes/demo-contacts-*.camel.yaml).
-- It stands in for a customer's ERP table; Syncline's own state tables come in later migrations.
CREATE TABLE demo_contact (
    external_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    email       VARCHAR(320) NOT NULL,
    first_name  VARCHAR(200),
    last_name   VARCHAR(200),
    phone       VARCHAR(64),
    synced_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
