-- Payroll's employees, as the model's employee mapping names them (PostgreSQL): the table ADP's payroll
-- import reads. The SSN, pay rate and bank account are in clear here, and only here.
CREATE TABLE payroll_employee (
    employee_id  VARCHAR(64) PRIMARY KEY,
    email        VARCHAR(200),
    first_name   VARCHAR(100),
    last_name    VARCHAR(100),
    job_title    VARCHAR(200),
    hire_date    DATE,
    status       VARCHAR(20),
    ssn          VARCHAR(11),
    salary       VARCHAR(40),
    bank_account VARCHAR(64)
);
