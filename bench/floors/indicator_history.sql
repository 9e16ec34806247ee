-- Every reported period of one project's indicators.
SELECT i.indicator_id, a.period_end, max_by(a.actual_value, a.batch_id)
FROM indicators i JOIN indicator_actuals a ON a.year = i.year AND a.indicator_id = i.indicator_id
WHERE i.year = $year AND i.project_code = $project AND a.period_end <= $as_of GROUP BY ALL
