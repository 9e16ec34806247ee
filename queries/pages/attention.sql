-- 需要关注 on 总览 for $year (unit $dept, NULL = all) at $as_of: at most $limit rows of each kind,
-- numbered n in the order shown.
--   'project': projects 严重滞后 or 超预算 first, then 滞后 and 超预算风险 (amber), furthest behind first;
--   'indicator': off-target indicators, 未达标 before those only at risk, the largest shortfall
--     relative to the target first;
--   'missing': indicators without any value although their reporting date $due has passed (NULL:
--     none has yet), per project (department-wide ones under a NULL project), the most first.
-- One statement, so the indicator rule runs once for both indicator kinds; the texts of the actuals
-- (what was reported, why, what is being done) are read for the rows picked only, from the actual
-- each names (indicator, period, batch), which halves the time over 10^6 indicators.
WITH behind AS (
    SELECT project_code, name, budget, actual_cumulative, forecast,
           (actual_cumulative - planned_cumulative) / budget * 100 AS gap_pp,
           disbursement_status(actual_cumulative, planned_cumulative, budget, forecast, $amber_pp, $red_pp) AS status,
           disbursement_reason(actual_cumulative, planned_cumulative, budget, forecast, $amber_pp, $red_pp) AS status_reason
    FROM disbursement_at($year, $as_of::DATE)
    WHERE in_scope(dept_code, $dept::TEXT)
), flagged AS (  -- the indicators either kind can show
    SELECT l.indicator_id, l.period_end, l.actual_batch, l.actual_value, l.project_code, p.name, l.seq, l.level3, l.target_text,
           l.status, l.off_target, l.gap, l.target_value
    FROM indicator_latest($year, $as_of::DATE) l
    LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
    WHERE (l.off_target OR (l.status = '未填报' AND $due::DATE <= $as_of::DATE)) AND in_scope(l.dept_code, $dept::TEXT)
), project_rows AS (
    SELECT *, row_number() OVER (ORDER BY status = 'amber', gap_pp, project_code) AS n
    FROM behind
    WHERE status <> 'green'
    QUALIFY n <= $limit
), indicator_rows AS (
    SELECT *, row_number() OVER (ORDER BY status <> '未达标', gap / nullif(abs(target_value), 0) NULLS LAST, project_code, seq) AS n
    FROM flagged
    WHERE off_target
    QUALIFY n <= $limit
), missing_rows AS (
    SELECT project_code, any_value(name) AS name, count(*) AS missing, list(level3 ORDER BY seq) AS names,
           row_number() OVER (ORDER BY count(*) DESC, project_code NULLS LAST) AS n
    FROM flagged
    WHERE status = '未填报'
    GROUP BY project_code
    QUALIFY n <= $limit
)
SELECT 'project' AS kind, n, project_code, name, status, status_reason, gap_pp, budget, actual_cumulative, forecast,
       NULL AS level3, NULL AS target_text, NULL::DOUBLE AS latest_actual, NULL AS actual_text, NULL AS likelihood,
       NULL AS reason, NULL AS reason_detail, NULL AS corrective_action, NULL::BIGINT AS missing, NULL::TEXT[] AS names
FROM project_rows
UNION ALL
SELECT 'indicator', r.n, r.project_code, r.name, r.status, NULL, NULL, NULL, NULL, NULL,
       r.level3, r.target_text, r.actual_value, a.actual_text, a.likelihood, a.reason, a.reason_detail, a.corrective_action, NULL, NULL
FROM indicator_rows r
LEFT JOIN indicator_actuals a
  ON a.year = $year AND a.indicator_id = r.indicator_id AND a.period_end = r.period_end AND a.batch_id = r.actual_batch
UNION ALL
SELECT 'missing', n, project_code, name, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, missing, names
FROM missing_rows
ORDER BY kind, n
