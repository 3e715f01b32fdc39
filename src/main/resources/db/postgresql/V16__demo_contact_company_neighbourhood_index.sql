-- PostgreSQL only, like V15. The fuzzyName rule now reads the sorted neighbourhood of a company
-- name (the rows just below and above it in LOWER(company) order, JdbcCandidateFinder) instead of
-- an arbitrary 25 of the rows sharing its first two letters: one index serves both the range and
-- the order, and the two-letter index has nothing left to serve.
DROP INDEX IF EXISTS demo_contact_company_match_idx;
CREATE INDEX demo_contact_company_match_idx ON demo_contact (LOWER(company));
