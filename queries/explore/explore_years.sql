-- 即席查询, subject 本年与上年同期: each project of $year (unit $dept, NULL = all) at $as_of and each of
-- $year - 1 at $last_year_as_of (the same day a year earlier; no rows when the database holds no such
-- year), with fiscal_year to group by: the disbursement figures of project_status_at
-- (queries/rules/disbursement.sql), money in 元.
WITH both_years AS (
    SELECT $year AS fiscal_year, * FROM project_status_at($year, $as_of::DATE, $dept::TEXT, $amber_pp, $red_pp)
    UNION ALL
    SELECT $year - 1, * FROM project_status_at($year - 1, $last_year_as_of::DATE, $dept::TEXT, $amber_pp, $red_pp)
)
SELECT s.fiscal_year::TEXT AS fiscal_year, s.dept_code, d.name AS dept_name, s.project_code, s.name,
       s.budget, s.planned_cumulative, s.actual_cumulative, s.execution_rate, s.gap_pp, s.status
FROM both_years s
LEFT JOIN departments d ON d.dept_code = s.dept_code
WHERE s.project_code IS NOT NULL
