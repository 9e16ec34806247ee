-- Synthetic indicator actuals of $year at the end of month `month`; an unmet one is usually
-- reported 有可能 or 完全不可能 to be reached, with a reason (`doubt` and `reason` are draws).
INSERT INTO indicator_actuals (year, project_code, indicator_id, period_end, actual_value, actual_text, likelihood, reason,
                               reason_detail, corrective_action, batch_id)
WITH a AS (
    SELECT g.*, gen_project_code(g.idx, $units, $year) AS project_code FROM gen g
), judged AS (
    SELECT a.*, i.indicator_id, i.op, coalesce(NOT target_met(i.op, a.value, i.target_value), FALSE) AS unmet
    FROM a
    JOIN indicators i ON i.year = $year AND i.indicator_id = a.project_code || '-' || lpad((a.kind + 1)::TEXT, 2, '0')
)
SELECT $year, project_code, indicator_id, last_day(make_date($year, month::INTEGER, 1)),
       CASE WHEN op <> 'qual' THEN value END,
       CASE WHEN op = 'qual' THEN '按计划推进' END,
       CASE WHEN NOT unmet THEN '确定能' WHEN doubt < 0.6 THEN '有可能' WHEN doubt < 0.7 THEN '完全不可能' ELSE '确定能' END,
       CASE WHEN unmet THEN ['经费保障', '制度保障', '人员保障', '硬件条件保障', '其他'][reason + 1] END,
       CASE WHEN unmet THEN '进度滞后于年度计划' END,
       CASE WHEN unmet THEN '加强调度，四季度集中推进' END,
       $batch
FROM judged
