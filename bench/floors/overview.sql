-- Floor of 总览: the figures the page shows, in one statement that reads each table once per
-- date: the headline (budget, planned, actual, projects behind, indicators off target,
-- budget-weighted score) at $as_of and at the previous quarter end $previous (the page shows the
-- change), the quarterly planned/actual totals, and the ten projects furthest behind and the ten
-- indicators furthest off target at $as_of. Plan interpolation and indicator judgement use the
-- same rule macros as the page (queries/rules/): the floor removes the page's structure, not its rules.
WITH pay AS (
    SELECT project_code, sum(amount) AS actual, sum(amount) FILTER (WHERE paid_on <= $previous) AS actual_before,
           sum(amount) FILTER (WHERE quarter(paid_on) = 1) AS a1, sum(amount) FILTER (WHERE quarter(paid_on) = 2) AS a2,
           sum(amount) FILTER (WHERE quarter(paid_on) = 3) AS a3, sum(amount) FILTER (WHERE quarter(paid_on) = 4) AS a4
    FROM payments WHERE year = $year AND paid_on <= $as_of GROUP BY project_code
), plan AS (
    SELECT project_code,
           sum(planned_value($as_of, d0, v0, d1, v1)) FILTER (WHERE in_segment($as_of, d0, d1)) AS planned,
           sum(planned_value($previous, d0, v0, d1, v1)) FILTER (WHERE in_segment($previous, d0, d1)) AS planned_before,
           sum(planned_value(make_date($year, 3, 31), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 3, 31), d0, d1)) AS p1,
           sum(planned_value(make_date($year, 6, 30), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 6, 30), d0, d1)) AS p2,
           sum(planned_value(make_date($year, 9, 30), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 9, 30), d0, d1)) AS p3,
           sum(planned_value(make_date($year, 12, 31), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 12, 31), d0, d1)) AS p4
    FROM plan_of($year) GROUP BY project_code
), judged AS (
    SELECT TRUE AS now, * FROM indicator_latest($year, $as_of)
    UNION ALL
    SELECT FALSE, * FROM indicator_latest($year, $previous)
), ind AS (
    SELECT now, project_code, count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off,
           90 * sum(attainment * CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n)
              / sum(CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n) AS ind_points
    FROM (SELECT *, count(*) OVER (PARTITION BY now, project_code, level1) AS n FROM judged)
    GROUP BY now, project_code
), per AS (
    SELECT p.project_code, p.name, p.budget, coalesce(pay.actual, 0) AS actual, coalesce(plan.planned, 0) AS planned,
           coalesce(pay.actual_before, 0) AS actual_before, coalesce(plan.planned_before, 0) AS planned_before,
           pay.a1, pay.a2, pay.a3, pay.a4, plan.p1, plan.p2, plan.p3, plan.p4,
           i.indicators, i.off, b.indicators AS indicators_before, b.off AS off_before,
           10 * CASE WHEN plan.planned > 0 THEN least(1, coalesce(pay.actual, 0) / plan.planned) ELSE 1 END
               + coalesce(i.ind_points, 0) AS score,
           10 * CASE WHEN plan.planned_before > 0 THEN least(1, coalesce(pay.actual_before, 0) / plan.planned_before) ELSE 1 END
               + coalesce(b.ind_points, 0) AS score_before
    FROM projects p LEFT JOIN pay USING (project_code) LEFT JOIN plan USING (project_code)
    LEFT JOIN ind i ON i.now AND i.project_code = p.project_code
    LEFT JOIN ind b ON NOT b.now AND b.project_code = p.project_code
    WHERE p.year = $year
), flagged AS (
    SELECT *, (actual - planned) / budget * 100 AS gap_pp,
           actual > budget OR (actual - planned) / budget * 100 < -$amber_pp OR (actual <= 0 AND planned > 0) AS behind,
           actual_before > budget OR (actual_before - planned_before) / budget * 100 < -$amber_pp
               OR (actual_before <= 0 AND planned_before > 0) AS behind_before
    FROM per
)
SELECT count(*) AS projects, sum(budget) AS total_budget,
       sum(actual) AS total_actual, sum(planned) AS total_planned, count(*) FILTER (WHERE behind) AS behind,
       sum(indicators) AS total_indicators, sum(off) AS total_off, sum(score * budget) / sum(budget) AS dept_score,
       sum(actual_before), sum(planned_before), count(*) FILTER (WHERE behind_before), sum(indicators_before), sum(off_before),
       sum(score_before * budget) / sum(budget),
       sum(a1), sum(a2), sum(a3), sum(a4), sum(p1), sum(p2) - sum(p1), sum(p3) - sum(p2), sum(p4) - sum(p3),
       min_by(struct_pack(project_code, name, budget, planned, actual, gap_pp), (actual <= budget, gap_pp), 10) FILTER (WHERE behind)
           AS attention_projects,
       (SELECT min_by(struct_pack(project_code, level3, target_text, status, actual_value, likelihood, reason),
                      (status <> '未达标', gap / nullif(abs(target_value), 0)), 10)
        FROM judged WHERE now AND off_target) AS attention_indicators
FROM flagged
