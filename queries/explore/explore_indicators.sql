-- 即席查询, subject 绩效指标: every indicator of $year (unit $dept, NULL = all; department-wide
-- ones under 部门整体指标) with its latest actual up to $as_of, status, off-target flag and
-- signed gap (rules: indicator_latest in queries/rules/indicators.sql), and the quarter of the period reported.
SELECT l.dept_code, d.name AS dept_name, l.project_code, coalesce(p.name, dept_wide_level1()) AS project_name,
       l.indicator_id, l.level1, l.level2, l.level3, l.target_text, l.op, l.target_value, l.unit,
       l.actual_value, l.actual_text, l.period_end, quarter(l.period_end) AS period_quarter,
       l.status, l.off_target, l.gap, l.likelihood, l.reason
FROM indicator_latest($year, $as_of::DATE) l
LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
LEFT JOIN departments d ON d.dept_code = l.dept_code
WHERE in_scope(l.dept_code, $dept::TEXT)
