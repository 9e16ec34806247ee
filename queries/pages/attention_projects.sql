-- What needs attention on 总览: the $limit projects of $year (unit $dept, NULL = all) 严重滞后 or
-- 超预算 first, then 滞后 and 超预算风险 (amber), furthest behind first, at $as_of.
SELECT project_code, name, budget, planned_cumulative, actual_cumulative, forecast,
       (actual_cumulative - planned_cumulative) / budget * 100 AS gap_pp,
       disbursement_status(actual_cumulative, planned_cumulative, budget, forecast, $amber_pp, $red_pp) AS status,
       disbursement_reason(actual_cumulative, planned_cumulative, budget, forecast, $amber_pp, $red_pp) AS status_reason
FROM disbursement_at($year, $as_of::DATE)
WHERE in_scope(dept_code, $dept::TEXT)
  AND disbursement_status(actual_cumulative, planned_cumulative, budget, forecast, $amber_pp, $red_pp) <> 'green'
ORDER BY status = 'amber', gap_pp, project_code
LIMIT $limit
