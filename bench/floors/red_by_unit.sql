-- Red projects (over budget or far behind plan) per unit.
WITH pay AS (
    SELECT project_code, sum(amount) AS actual FROM payments WHERE year = $year AND paid_on <= $as_of GROUP BY project_code
), plan AS (
    SELECT project_code, planned_value($as_of, d0, v0, d1, v1) AS planned FROM plan_of($year) WHERE in_segment($as_of, d0, d1)
)
SELECT d.name, count(*)
FROM projects p LEFT JOIN pay USING (project_code) LEFT JOIN plan USING (project_code) JOIN departments d ON d.dept_code = p.dept_code
WHERE p.year = $year
  AND (coalesce(pay.actual, 0) > p.budget OR (coalesce(pay.actual, 0) - coalesce(plan.planned, 0)) / p.budget * 100 < -$red_pp)
GROUP BY d.name
