-- 项目详情: planned vs actual disbursement (元) of project $project by quarter of $year up to
-- $as_of (rule: quarterly_at in queries/rules/disbursement.sql, for this project alone).
SELECT * FROM quarterly_at($year, $as_of::DATE, NULL, only_project := $project::TEXT)
WHERE project_code IS NOT NULL
ORDER BY quarter
