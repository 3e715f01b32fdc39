-- PostgreSQL only (dev mode's H2 has no expression indexes): the Quickstart's billing table
-- indexed for the blocking queries of its match rules (routes/contacts.syncline.yaml), which
-- otherwise read the whole table for every contact the ID map does not know yet.
-- Each index expression is the one JdbcCandidateFinder compares.
CREATE INDEX demo_contact_email_match_idx ON demo_contact (LOWER(TRIM(email)));
CREATE INDEX demo_contact_phone_match_idx ON demo_contact (RIGHT(phone, 6));
CREATE INDEX demo_contact_company_match_idx ON demo_contact (LEFT(LOWER(company), 2));
