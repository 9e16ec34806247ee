-- The indicators of the projects of unit $dept in $year, each with the record it holds for
-- $period_end (the latest batch's; NULLs and reported = FALSE when none): what a filled 监控表
-- (monitor.ingest.form) places its rows on and compares them with, so that a row left as it was adds nothing.
WITH current AS (
    SELECT indicator_id, arg_max_null(actual_value, batch_id) AS actual_value, arg_max_null(actual_text, batch_id) AS actual_text,
           arg_max_null(likelihood, batch_id) AS likelihood, arg_max_null(reason, batch_id) AS reason,
           arg_max_null(reason_detail, batch_id) AS reason_detail, arg_max_null(corrective_action, batch_id) AS corrective_action,
           arg_max_null(forecast_text, batch_id) AS forecast_text
    FROM indicator_actuals
    WHERE year = $year AND period_end = $period_end::DATE
    GROUP BY indicator_id
)
SELECT i.indicator_id, i.project_code, i.level3, i.unit, c.indicator_id IS NOT NULL AS reported,
       c.actual_value, c.actual_text, c.likelihood, c.reason, c.reason_detail, c.corrective_action, c.forecast_text
FROM indicators i
JOIN projects p USING (year, project_code)
LEFT JOIN current c USING (indicator_id)
WHERE i.year = $year AND p.dept_code = $dept
ORDER BY i.project_code, i.seq
