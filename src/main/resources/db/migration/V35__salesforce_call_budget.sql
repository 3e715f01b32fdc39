-- Calls made to each Salesforce org (system_name), per UTC day (call_day) and per kind (login,
-- query, create, update, upsert, delete, fetch, collections, bulk-query, ...). The row of kind '*'
-- is the day's total: a call is reserved on it by one conditional UPDATE before it is made, so that
-- replicas together never pass the system's dailyCallBudget. limit_reached_at is set when the org
-- answered REQUEST_LIMIT_EXCEEDED (its own 24-hour allowance spent): nothing more is sent that day.
CREATE TABLE salesforce_call_budget (
    system_name      VARCHAR(100)             NOT NULL,
    call_day         DATE                     NOT NULL,
    kind             VARCHAR(40)              NOT NULL,
    calls            BIGINT                   NOT NULL,
    limit_reached_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT salesforce_call_budget_pk PRIMARY KEY (system_name, call_day, kind)
);
