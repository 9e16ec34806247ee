-- The self-evaluation score 自评 and its grade.
-- Temporary macros defined on every connection by monitor.store.db (in the order of RULE_FILES).

-- Self-evaluation grade of a score out of 100.
CREATE OR REPLACE TEMP MACRO grade(score) AS
    CASE WHEN score >= 90 THEN '优' WHEN score >= 80 THEN '良' WHEN score >= 60 THEN '中' ELSE '差' END;


-- Self-evaluation score (自评) of each project of fiscal year fy (unit unit_code, NULL = all) at day,
-- with its breakdown, and a department row (project_code NULL, budget-weighted mean):
--   budget execution 10 points: actual / planned to date, capped at 1 (at year end, when the
--     plan has reached the budget, this is 执行率 × 10; nothing planned yet counts as full);
--   indicators 90 points: the score groups of score_levels() (产出 50 with 成本指标 inside it,
--     效益 30, 满意度 10), each split over its indicators by weight (equal when none is given); an
--     indicator earns its share times its attainment (1 when met or 定性待评, 0 when 未填报,
--     proportional when an unmet number). A project without indicators in a group has the other
--     groups scaled up to 90.
-- Each row also carries what the score is computed from, so that a headline needs no second pass
-- over the payments or indicators: planned and actual cumulative (元) and the project's
-- indicators counted (all, off target, met, not reported); the department row sums them and adds
-- the department-wide indicators of the unit. only_project narrows it to one project (and a
-- department row of that project alone).
CREATE OR REPLACE TEMP MACRO scores_at(fy, day, unit_code, only_project := NULL) AS TABLE
WITH per_group AS (
    SELECT l.project_code, s.score_group, any_value(s.points) AS points,
           any_value(s.points) * sum(l.attainment * coalesce(l.weight, 1.0)) / sum(coalesce(l.weight, 1.0)) AS earned,
           count(*) AS indicators, count(*) FILTER (WHERE l.off_target) AS off_target,
           count(*) FILTER (WHERE l.status = '达标') AS met, count(*) FILTER (WHERE l.status = '未填报') AS missing
    FROM indicator_latest(fy, day, only_project := only_project) l
    LEFT JOIN score_levels() s USING (level1)
    WHERE l.project_code IS NOT NULL
    GROUP BY l.project_code, s.score_group
), indicator_points AS (
    SELECT project_code,
           sum(earned) FILTER (WHERE score_group = 'output') AS output_points,
           sum(earned) FILTER (WHERE score_group = 'effect') AS effect_points,
           sum(earned) FILTER (WHERE score_group = 'satisfaction') AS satisfaction_points,
           sum(earned) * 90 / sum(points) AS indicator_points,
           sum(indicators) AS indicators, sum(off_target) AS off_target, sum(met) AS met, sum(missing) AS missing
    FROM per_group
    GROUP BY project_code
), projects_scored AS (
    SELECT d.dept_code, d.project_code, d.name, d.budget, d.planned_cumulative, d.actual_cumulative,
           10 * CASE WHEN d.planned_cumulative > 0 THEN least(1.0, d.actual_cumulative / d.planned_cumulative) ELSE 1.0 END
               AS execution_points,
           p.output_points, p.effect_points, p.satisfaction_points, coalesce(p.indicator_points, 0) AS indicator_points,
           coalesce(p.indicators, 0) AS indicators, coalesce(p.off_target, 0) AS off_target,
           coalesce(p.met, 0) AS met, coalesce(p.missing, 0) AS missing
    FROM disbursement_at(fy, day, only_project := only_project) d
    LEFT JOIN indicator_points p USING (project_code)
    WHERE in_scope(d.dept_code, unit_code)
), scored AS (
    SELECT *, execution_points + indicator_points AS score FROM projects_scored
), dept_wide AS (  -- outside any project's score, counted in the department row
    SELECT count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off_target,
           count(*) FILTER (WHERE status = '达标') AS met, count(*) FILTER (WHERE status = '未填报') AS missing
    FROM indicator_latest(fy, day, only_project := '')
    WHERE only_project IS NULL AND in_scope(dept_code, unit_code)
), with_total AS (
    SELECT dept_code, project_code, name, budget, execution_points, output_points, effect_points, satisfaction_points, score,
           planned_cumulative, actual_cumulative, indicators, off_target, met, missing
    FROM scored
    UNION ALL
    SELECT NULL, NULL, NULL, sum(budget),
           sum(execution_points * budget) / sum(budget), sum(output_points * budget) / sum(budget),
           sum(effect_points * budget) / sum(budget), sum(satisfaction_points * budget) / sum(budget),
           sum(score * budget) / sum(budget),
           sum(planned_cumulative), sum(actual_cumulative), sum(s.indicators) + any_value(w.indicators),
           sum(s.off_target) + any_value(w.off_target), sum(s.met) + any_value(w.met), sum(s.missing) + any_value(w.missing)
    FROM scored s, dept_wide w
    HAVING count(*) > 0
)
SELECT *, grade(score) AS grade FROM with_total;
