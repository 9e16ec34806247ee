-- The total rows of quarterly_disbursement.sql: planned vs actual by quarter for all projects
-- of unit $dept (NULL = all) in $year up to $as_of, without the per-project rows.
SELECT * FROM quarterly_at($year, $as_of::DATE, $dept::TEXT, per_project := FALSE)
ORDER BY quarter
