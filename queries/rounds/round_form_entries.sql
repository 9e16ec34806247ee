-- What the filled 监控表 imported for round $task of unit $dept (monitor.ingest.form) entered per
-- indicator at the round's $period_end: the latest such batch not undone, imported after $since
-- (the unit's last submission; NULL = none yet), one row per indicator it holds.
WITH batches AS (
    SELECT f.batch_id
    FROM round_form_batches f
    JOIN import_batches b USING (batch_id)
    WHERE f.task_id = $task AND f.dept_code = $dept AND b.undone_by IS NULL
      AND ($since::TIMESTAMP IS NULL OR b.imported_at > $since::TIMESTAMP)
)
SELECT a.indicator_id,
       arg_max_null(a.forecast_text, a.batch_id) AS forecast_text, arg_max_null(a.reason, a.batch_id) AS reason,
       arg_max_null(a.likelihood, a.batch_id) AS likelihood, arg_max_null(a.reason_detail, a.batch_id) AS reason_detail,
       arg_max_null(a.corrective_action, a.batch_id) AS corrective_action
FROM indicator_actuals a
WHERE a.batch_id IN (SELECT batch_id FROM batches) AND a.period_end = $period_end::DATE
GROUP BY a.indicator_id
ORDER BY a.indicator_id
