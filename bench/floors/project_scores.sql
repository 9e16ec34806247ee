-- Each project's score: execution 10 points, indicators 90 by level (50/30/10, equal shares).
WITH pay AS (
    SELECT project_code, sum(amount) AS actual FROM payments WHERE year = $year AND paid_on <= $as_of GROUP BY project_code
), plan AS (
    SELECT project_code, planned_value($as_of, d0, v0, d1, v1) AS planned FROM plan_of($year) WHERE in_segment($as_of, d0, d1)
), ind AS (
    SELECT project_code,
           90 * sum(attainment * CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n)
              / sum(CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n) AS ind_points
    FROM (SELECT *, count(*) OVER (PARTITION BY project_code, level1) AS n FROM indicator_latest($year, $as_of) WHERE project_code IS NOT NULL)
    GROUP BY project_code
)
SELECT p.project_code, p.budget,
       10 * CASE WHEN plan.planned > 0 THEN least(1, coalesce(pay.actual, 0) / plan.planned) ELSE 1 END + coalesce(ind.ind_points, 0)
FROM projects p LEFT JOIN pay USING (project_code) LEFT JOIN plan USING (project_code) LEFT JOIN ind USING (project_code)
WHERE p.year = $year
