-- Planned vs actual disbursement (元) by quarter of $year for the projects of unit $dept (NULL =
-- all) up to $as_of: a row per project and quarter, and total rows with project_code NULL
-- (rule: quarterly_at in queries/rules/disbursement.sql).
SELECT * FROM quarterly_at($year, $as_of::DATE, $dept::TEXT)
ORDER BY project_code NULLS FIRST, quarter
