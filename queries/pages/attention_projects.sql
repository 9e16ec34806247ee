-- What needs attention on 总览: the $limit projects of $year (unit $dept, NULL = all) furthest
-- behind or over budget at $as_of (amber or red by the status rule), red first.
SELECT project_code, name, budget, planned_cumulative, actual_cumulative,
       (actual_cumulative - planned_cumulative) / budget * 100 AS gap_pp,
       disbursement_status(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) AS status,
       disbursement_reason(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) AS status_reason
FROM disbursement_at($year, $as_of::DATE)
WHERE in_scope(dept_code, $dept::TEXT)
  AND disbursement_status(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) <> 'green'
ORDER BY status = 'amber', gap_pp, project_code
LIMIT $limit
