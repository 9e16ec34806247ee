-- One project's indicators with the latest actual and whether it meets the target.
SELECT i.indicator_id, i.level3, i.target_text, max_by(a.actual_value, (a.period_end, a.batch_id)) AS latest,
       target_met(i.op, max_by(a.actual_value, (a.period_end, a.batch_id)), i.target_value) AS met
FROM indicators i LEFT JOIN indicator_actuals a ON a.year = i.year AND a.indicator_id = i.indicator_id AND a.period_end <= $as_of
WHERE i.year = $year AND i.project_code = $project
GROUP BY i.indicator_id, i.level3, i.target_text, i.op, i.target_value
