-- The department row and the $limit lowest-scoring projects of $year (unit $dept, NULL = all)
-- at $as_of (rule: scores_at in queries/rules/scores.sql), for the 绩效指标 score table.
SELECT * FROM scores_at($year, $as_of::DATE, $dept::TEXT)
ORDER BY project_code IS NOT NULL, score, project_code
LIMIT $limit + 1
