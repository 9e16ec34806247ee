-- Self-evaluation score (自评) of each project of $year (unit $dept, NULL = all) at $as_of with
-- its breakdown, and the department row (project_code NULL); lowest first. Rule: scores_at in
-- queries/rules/scores.sql.
SELECT * FROM scores_at($year, $as_of::DATE, $dept::TEXT)
ORDER BY project_code IS NOT NULL, score, project_code
