-- Floor of 总览: the headline figures (budget, planned, actual, projects behind, indicators off
-- target, budget-weighted score) and the quarterly planned/actual totals, in one statement
-- that reads each table once. Plan interpolation and indicator judgement use the same rule
-- macros as the page (queries/rules.sql): the floor removes the page's structure, not its rules.
WITH pay AS (
    SELECT project_code, sum(amount) AS actual,
           sum(amount) FILTER (WHERE quarter(paid_on) = 1) AS a1, sum(amount) FILTER (WHERE quarter(paid_on) = 2) AS a2,
           sum(amount) FILTER (WHERE quarter(paid_on) = 3) AS a3, sum(amount) FILTER (WHERE quarter(paid_on) = 4) AS a4
    FROM payments WHERE year = $year AND paid_on <= $as_of GROUP BY project_code
), plan AS (
    SELECT project_code,
           sum(planned_value($as_of, d0, v0, d1, v1)) FILTER (WHERE in_segment($as_of, d0, d1)) AS planned,
           sum(planned_value(make_date($year, 3, 31), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 3, 31), d0, d1)) AS p1,
           sum(planned_value(make_date($year, 6, 30), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 6, 30), d0, d1)) AS p2,
           sum(planned_value(make_date($year, 9, 30), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 9, 30), d0, d1)) AS p3,
           sum(planned_value(make_date($year, 12, 31), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 12, 31), d0, d1)) AS p4
    FROM plan_segments($year) GROUP BY project_code
), ind AS (
    SELECT project_code, count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off,
           90 * sum(attainment * CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n)
              / sum(CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n) AS ind_points
    FROM (SELECT *, count(*) OVER (PARTITION BY project_code, level1) AS n FROM indicator_latest($year, $as_of))
    GROUP BY project_code
), per AS (
    SELECT p.budget, coalesce(pay.actual, 0) AS actual, coalesce(plan.planned, 0) AS planned, pay.a1, pay.a2, pay.a3, pay.a4,
           plan.p1, plan.p2, plan.p3, plan.p4, ind.indicators, ind.off,
           10 * CASE WHEN plan.planned > 0 THEN least(1, coalesce(pay.actual, 0) / plan.planned) ELSE 1 END
               + coalesce(ind.ind_points, 0) AS score
    FROM projects p LEFT JOIN pay USING (project_code) LEFT JOIN plan USING (project_code) LEFT JOIN ind USING (project_code)
    WHERE p.year = $year
)
SELECT count(*) AS projects, sum(budget) AS total_budget, sum(actual) AS total_actual, sum(planned) AS total_planned,
       count(*) FILTER (WHERE actual > budget OR (actual - planned) / budget * 100 < -$amber_pp
                               OR (actual <= 0 AND planned > 0)) AS behind,
       sum(indicators) AS total_indicators, sum(off) AS total_off, sum(score * budget) / sum(budget) AS dept_score,
       sum(a1), sum(a2), sum(a3), sum(a4), sum(p1), sum(p2) - sum(p1), sum(p3) - sum(p2), sum(p4) - sum(p3)
FROM per
