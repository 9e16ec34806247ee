-- 即席查询, subject 分季度支出: planned and actual disbursement (元) of each project of $year
-- (unit $dept, NULL = all) by quarter up to $as_of (rule: quarterly_at in queries/rules/disbursement.sql).
SELECT p.dept_code, d.name AS dept_name, q.project_code, p.name, q.quarter,
       q.planned, q.actual, q.planned_cumulative, q.actual_cumulative
FROM quarterly_at($year, $as_of::DATE, $dept::TEXT) q
JOIN projects p ON p.year = $year AND p.project_code = q.project_code
LEFT JOIN departments d ON d.dept_code = p.dept_code
WHERE q.project_code IS NOT NULL
