-- Every indicator of $year (unit $dept, NULL = all; department-wide ones included) with its
-- target, latest actual up to $as_of, status, off-target flag and signed gap; off-target
-- ones first. Optional filters (NULL = all): $project ('' = department-wide only), $level1,
-- $status; $off_only keeps the off-target ones; $limit caps the rows (NULL = all). Rules:
-- indicator_latest in queries/rules/indicators.sql. The rows are picked first and the texts of
-- their actuals (why, what is being done, the forecast) read after, from the actual each one names:
-- a third less time over 10^6 indicators, where the page shows 2,000 of them.
WITH picked AS (
    SELECT l.dept_code, l.project_code, l.indicator_id, l.seq, l.level1, l.level2, l.level3, l.description, l.target_text, l.op,
           l.target_value, l.unit, l.actual_value, l.actual_text, l.period_end, l.actual_batch, l.status, l.off_target, l.gap,
           l.likelihood
    FROM indicator_latest($year, $as_of::DATE, only_project := $project::TEXT) l
    WHERE in_scope(l.dept_code, $dept::TEXT)
      AND indicator_passes(l.project_code, l.level1, l.status, l.off_target, $project::TEXT, $level1::TEXT, $status::TEXT, $off_only::BOOLEAN)
    ORDER BY NOT l.off_target, l.project_code NULLS LAST, l.seq
    LIMIT $limit
)
SELECT l.dept_code, l.project_code, p.name AS project_name, l.indicator_id, l.seq, l.level1, l.level2, l.level3,
       l.description, l.target_text, l.op, l.target_value, l.unit,
       l.actual_value AS latest_actual, l.actual_text, l.period_end, l.status, l.off_target, l.gap,
       l.likelihood, a.reason, a.reason_detail, a.corrective_action, a.forecast_text
FROM picked l
LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
LEFT JOIN indicator_actuals a
  ON a.year = $year AND a.indicator_id = l.indicator_id AND a.period_end = l.period_end AND a.batch_id = l.actual_batch
 AND ($project::TEXT IS NULL OR coalesce(a.project_code, '') = $project::TEXT)  -- the key names the row; this narrows the scan
ORDER BY NOT l.off_target, l.project_code NULLS LAST, l.seq
