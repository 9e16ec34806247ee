-- The department row of project_scores.sql: the budget-weighted self-evaluation score of unit
-- $dept (NULL = all) in $year at $as_of, with its breakdown and grade.
SELECT * FROM scores_at($year, $as_of::DATE, $dept::TEXT)
WHERE project_code IS NULL
