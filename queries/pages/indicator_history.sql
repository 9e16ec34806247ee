-- Every reported period of the indicators of project $project in $year up to $as_of: the
-- value in force for each period (a later batch for the same period supersedes an earlier one).
SELECT i.indicator_id, i.seq, i.level3, a.period_end,
       arg_max_null(a.actual_value, a.batch_id) AS actual_value,
       arg_max_null(a.actual_text, a.batch_id) AS actual_text
FROM indicators i
JOIN indicator_actuals a ON a.year = i.year AND a.indicator_id = i.indicator_id
WHERE i.year = $year AND i.project_code = $project AND a.period_end <= $as_of::DATE
GROUP BY i.indicator_id, i.seq, i.level3, a.period_end
ORDER BY i.seq, a.period_end
