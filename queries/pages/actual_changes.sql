-- What each write changed in the indicator actuals of $year (project $project, NULL = all; batch
-- $batch, NULL = all; batches of at most $max_batch_rows rows, NULL = any), cell by cell: who (the batch's user), when, the indicator and period, the
-- field, its old value (the one in force for that period before the batch; NULL for a first report)
-- and its new value. Newest first, at most $limit rows. Values are stored, never overwritten (a
-- later batch supersedes an earlier one for the same period), so the record is complete.
WITH reported AS (
    SELECT a.indicator_id, a.project_code, a.period_end, a.batch_id, b.imported_by, b.imported_at,
           coalesce(CASE WHEN a.actual_value = round(a.actual_value) THEN CAST(CAST(a.actual_value AS BIGINT) AS VARCHAR)
                         ELSE CAST(a.actual_value AS VARCHAR) END, a.actual_text) AS actual,
           a.likelihood, a.reason, a.reason_detail, a.corrective_action
    FROM indicator_actuals a
    JOIN import_batches b USING (batch_id)
    WHERE a.year = $year AND ($project::TEXT IS NULL OR a.project_code = $project::TEXT)
), paired AS (
    SELECT *,
           lag(actual) OVER w AS old_actual, lag(likelihood) OVER w AS old_likelihood, lag(reason) OVER w AS old_reason,
           lag(reason_detail) OVER w AS old_reason_detail, lag(corrective_action) OVER w AS old_corrective_action
    FROM reported
    WINDOW w AS (PARTITION BY indicator_id, period_end ORDER BY batch_id)
), cells AS (
    SELECT p.*, f.seq AS field_seq, f.field,
           CASE f.field WHEN 'actual' THEN old_actual WHEN 'likelihood' THEN old_likelihood WHEN 'reason' THEN old_reason
                        WHEN 'reason_detail' THEN old_reason_detail ELSE old_corrective_action END AS old,
           CASE f.field WHEN 'actual' THEN actual WHEN 'likelihood' THEN likelihood WHEN 'reason' THEN reason
                        WHEN 'reason_detail' THEN reason_detail ELSE corrective_action END AS new
    FROM paired p
    CROSS JOIN (VALUES (1, 'actual'), (2, 'likelihood'), (3, 'reason'), (4, 'reason_detail'), (5, 'corrective_action')) f(seq, field)
    WHERE ($batch::INTEGER IS NULL OR p.batch_id = $batch::INTEGER)
      AND ($max_batch_rows::INTEGER IS NULL
           OR p.batch_id IN (SELECT batch_id FROM import_batches WHERE row_count <= $max_batch_rows::INTEGER))
)
SELECT c.batch_id, c.imported_by, c.imported_at, c.indicator_id, coalesce(i.level3, d.description) AS level3, c.period_end,
       c.field, c.old, c.new
FROM cells c
LEFT JOIN indicators i ON i.year = $year AND i.indicator_id = c.indicator_id
LEFT JOIN dept_indicators d ON d.year = $year AND d.indicator_id = c.indicator_id
WHERE c.old IS DISTINCT FROM c.new
ORDER BY c.batch_id DESC, i.seq, c.period_end, c.field_seq
LIMIT $limit
