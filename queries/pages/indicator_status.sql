-- Every indicator of $year (unit $dept, NULL = all; department-wide ones included) with its
-- target, latest actual up to $as_of, status, off-target flag and signed gap; off-target
-- ones first. Optional filters (NULL = all): $project ('' = department-wide only), $level1,
-- $status; $off_only keeps the off-target ones; $limit caps the rows (NULL = all). Rules:
-- indicator_latest in queries/rules/indicators.sql.
SELECT l.dept_code, l.project_code, p.name AS project_name, l.indicator_id, l.seq, l.level1, l.level2, l.level3,
       l.description, l.target_text, l.op, l.target_value, l.unit,
       l.actual_value AS latest_actual, l.actual_text, l.period_end, l.status, l.off_target, l.gap,
       l.likelihood, l.reason, l.reason_detail, l.corrective_action, l.forecast_text
FROM indicator_latest($year, $as_of::DATE, only_project := $project::TEXT) l
LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
WHERE in_scope(l.dept_code, $dept::TEXT)
  AND ($project::TEXT IS NULL OR coalesce(l.project_code, '') = $project::TEXT)
  AND ($level1::TEXT IS NULL OR l.level1 = $level1::TEXT)
  AND ($status::TEXT IS NULL OR l.status = $status::TEXT)
  AND (NOT $off_only::BOOLEAN OR l.off_target)
ORDER BY NOT l.off_target, l.project_code NULLS LAST, l.seq
LIMIT $limit
