-- How a run read its sides: 'full' (every record) or 'bisection' (checksums inside both databases,
-- then only the differing keys), why a bisection job pulled in full or what its checksums found,
-- and how many records of each side went through the contracts (records counts what each side holds).
ALTER TABLE reconciliation_run ADD COLUMN strategy VARCHAR(20);
ALTER TABLE reconciliation_run ADD COLUMN strategy_note TEXT;
ALTER TABLE reconciliation_run ADD COLUMN a_pulled BIGINT;
ALTER TABLE reconciliation_run ADD COLUMN b_pulled BIGINT;
