-- Billing's timesheet, as the model's timeEntry mapping names it (PostgreSQL).
CREATE TABLE pm_timesheet (
    external_id VARCHAR(64) PRIMARY KEY,
    project     VARCHAR(200),
    task        VARCHAR(200),
    spent_date  DATE,
    hours       NUMERIC(8, 2),
    billable    BOOLEAN,
    notes       VARCHAR(2000),
    updated_at  TIMESTAMP WITH TIME ZONE
);
