-- What needs attention on 总览: the $limit off-target indicators of $year (unit $dept, NULL =
-- all) at $as_of — 未达标 before those only at risk, the largest shortfall relative to the
-- target first.
SELECT l.project_code, p.name AS project_name, l.level3, l.target_text, l.status, l.latest_actual, l.actual_text,
       l.likelihood, l.reason, l.reason_detail, l.corrective_action
FROM (SELECT *, actual_value AS latest_actual FROM indicator_latest($year, $as_of::DATE)) l
LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
WHERE l.off_target AND in_scope(l.dept_code, $dept::TEXT)
ORDER BY l.status <> '未达标', l.gap / nullif(abs(l.target_value), 0) NULLS LAST, l.project_code, l.seq
LIMIT $limit
