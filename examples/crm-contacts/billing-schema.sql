-- Billing's contact table, as the model's billing mapping names it (MariaDB/MySQL; for
-- PostgreSQL write TIMESTAMP WITH TIME ZONE and leave out the ENGINE).
CREATE TABLE crm_contact (
    external_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    email        VARCHAR(320) NOT NULL,
    first_name   VARCHAR(200),
    last_name    VARCHAR(200),
    phone_number VARCHAR(32),
    company_name VARCHAR(200),
    status       VARCHAR(32)
) ENGINE=InnoDB;
