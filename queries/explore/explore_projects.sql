-- 即席查询, subject 项目: each project of $year (unit $dept, NULL = all) at $as_of with its
-- disbursement figures and status (rule: project_status_at in queries/rules/disbursement.sql), its unit and its funds (元).
-- Two yardsticks, named apart: behind_plan is the status rule's (滞后 or 严重滞后 against the plan
-- 资金支出计划); below_time_progress compares with 序时进度, a reference line only.
SELECT s.dept_code, d.name AS dept_name, s.project_code, s.name, p.fiscal_funds, p.other_funds,
       s.budget, s.planned_cumulative, s.actual_cumulative, s.execution_rate, s.time_progress,
       s.status_reason IN ('behind', 'far_behind', 'not_started') AS behind_plan,
       s.execution_rate < s.time_progress AS below_time_progress,
       s.gap, s.gap_pp, s.forecast, s.status
FROM project_status_at($year, $as_of::DATE, $dept::TEXT, $amber_pp, $red_pp) s
JOIN projects p ON p.year = $year AND p.project_code = s.project_code
LEFT JOIN departments d ON d.dept_code = s.dept_code
WHERE s.project_code IS NOT NULL
