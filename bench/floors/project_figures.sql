-- Per project: budget, planned and actual to date, planned total (for the forecast) and the
-- quarterly actuals, in one pass over payments.
WITH pay AS (
    SELECT project_code, sum(amount) AS actual,
           sum(amount) FILTER (WHERE quarter(paid_on) = 1) AS a1, sum(amount) FILTER (WHERE quarter(paid_on) = 2) AS a2,
           sum(amount) FILTER (WHERE quarter(paid_on) = 3) AS a3, sum(amount) FILTER (WHERE quarter(paid_on) = 4) AS a4
    FROM payments WHERE year = $year AND paid_on <= $as_of GROUP BY project_code
), plan AS (
    SELECT project_code, max(v0) AS planned_total,
           sum(planned_value($as_of, d0, v0, d1, v1)) FILTER (WHERE in_segment($as_of, d0, d1)) AS planned
    FROM plan_of($year) GROUP BY project_code
)
SELECT p.project_code, p.name, p.budget, plan.planned, plan.planned_total, pay.*
FROM projects p LEFT JOIN pay USING (project_code) LEFT JOIN plan USING (project_code)
WHERE p.year = $year
