-- The self-evaluation score 自评 and its grade.
-- Temporary macros defined on every connection by monitor.store.db (in the order of RULE_FILES).

-- Self-evaluation grade of a score out of 100 (NULL when there is no score).
CREATE OR REPLACE TEMP MACRO grade(score) AS
    CASE WHEN score IS NULL THEN NULL WHEN score >= 90 THEN '优' WHEN score >= 80 THEN '良' WHEN score >= 60 THEN '中' ELSE '差' END;


-- Whether the score of unit dept in fiscal year fy at day is an estimate (预估): before the end of
-- the year, and after it while the unit's year-end monitoring round (period end 31 December) is
-- not yet approved (终审). A unit without a year-end round is final from 31 December on.
CREATE OR REPLACE TEMP MACRO score_is_estimate(fy, day, dept) AS
    day < make_date(fy, 12, 31)
    OR EXISTS (SELECT 1
               FROM round_tasks t JOIN round_units u USING (task_id)
               WHERE t.year = fy AND t.period_end = make_date(fy, 12, 31) AND u.dept_code = dept
                 AND coalesce((SELECT arg_max(r.action, r.transition_id) FROM round_transitions r
                               WHERE r.task_id = t.task_id AND r.dept_code = u.dept_code), 'none') <> 'approve');


-- Self-evaluation score (自评) of each project of fiscal year fy (unit unit_code, NULL = all) at day,
-- as the official 项目支出绩效自评表, with its breakdown, and a department row (project_code NULL):
--   budget execution 10 points: actual / planned to date, within 0..1 (at year end, when the
--     plan has reached the budget, this is 执行率 × 10; nothing planned yet counts as full);
--   indicators 90 points: the score groups of score_levels() (产出 50 with 成本指标 inside it,
--     效益 30, 满意度 10), each split over its indicators by weight (equal when none is given); an
--     indicator earns its share times its attainment (1 when met or 定性待评, proportional when an
--     unmet number). A group without indicators has the other groups scaled up to 90.
--   An estimate (score_is_estimate: before the year-end 终审) leaves the indicators not yet
--     reported out: their group's points are shared over the reported ones, a group with none
--     reported drops out, and with nothing reported at all there is no score (NULL) rather than a
--     score that measures reporting. A final score counts an unreported indicator as 0.
--   reporting_rate is the share of indicators reported (填报率), shown beside an estimate.
-- The department row is the budget-weighted mean of the scored projects (score), with the plain
-- mean beside it (mean_score), the count of projects per grade and the lowest project, so a large
-- project cannot hide a poor one. Each row also carries what the score is computed from, so that
-- a headline needs no second pass: planned and actual cumulative (元) and the indicators counted
-- (all, off target, met, not reported); the department row sums them and adds the department-wide
-- indicators of the unit. only_project narrows it to one project (and a department row of it alone).
CREATE OR REPLACE TEMP MACRO scores_at(fy, day, unit_code, only_project := NULL) AS TABLE
WITH units AS (  -- whether each unit's scores are estimates, decided once per unit
    SELECT dept_code, score_is_estimate(fy, day, dept_code) AS estimate FROM departments WHERE in_scope(dept_code, unit_code)
), judged AS (
    SELECT l.project_code, l.status, l.off_target, l.attainment, coalesce(l.weight, 1.0) AS w, s.score_group, s.points,
           NOT (l.status = '未填报' AND u.estimate) AS counted
    FROM indicator_latest(fy, day, only_project := only_project) l
    JOIN units u USING (dept_code)
    LEFT JOIN score_levels() s USING (level1)
    WHERE l.project_code IS NOT NULL
), per_group AS (
    SELECT project_code, score_group, any_value(points) AS points,
           any_value(points) * sum(attainment * w) FILTER (WHERE counted) / sum(w) FILTER (WHERE counted) AS earned,
           count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off_target,
           count(*) FILTER (WHERE status = '达标') AS met, count(*) FILTER (WHERE status = '未填报') AS missing
    FROM judged
    GROUP BY project_code, score_group
), indicator_points AS (
    SELECT project_code,
           sum(earned) FILTER (WHERE score_group = 'output') AS output_points,
           sum(earned) FILTER (WHERE score_group = 'effect') AS effect_points,
           sum(earned) FILTER (WHERE score_group = 'satisfaction') AS satisfaction_points,
           sum(earned) * 90 / sum(points) FILTER (WHERE earned IS NOT NULL) AS indicator_points,
           sum(indicators) AS indicators, sum(off_target) AS off_target, sum(met) AS met, sum(missing) AS missing
    FROM per_group
    GROUP BY project_code
), projects_scored AS (
    SELECT d.dept_code, d.project_code, d.name, d.budget, d.planned_cumulative, d.actual_cumulative, d.forecast,
           -- within 0..1: refunds beyond the payments (a negative actual) earn nothing, never minus points
           10 * CASE WHEN d.planned_cumulative > 0 THEN greatest(0.0, least(1.0, d.actual_cumulative / d.planned_cumulative))
                     ELSE 1.0 END AS execution_points,
           p.output_points, p.effect_points, p.satisfaction_points,
           u.estimate,
           CASE WHEN u.estimate THEN p.indicator_points ELSE coalesce(p.indicator_points, 0) END AS indicator_points,
           coalesce(p.indicators, 0) AS indicators, coalesce(p.off_target, 0) AS off_target,
           coalesce(p.met, 0) AS met, coalesce(p.missing, 0) AS missing
    FROM disbursement_at(fy, day, only_project := only_project) d
    JOIN units u USING (dept_code)
    LEFT JOIN indicator_points p USING (project_code)
), scored AS (
    SELECT *, execution_points + indicator_points AS score FROM projects_scored
), dept_wide AS (  -- outside any project's score, counted in the department row
    SELECT count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off_target,
           count(*) FILTER (WHERE status = '达标') AS met, count(*) FILTER (WHERE status = '未填报') AS missing
    FROM indicator_latest(fy, day, only_project := '')
    WHERE only_project IS NULL AND in_scope(dept_code, unit_code)
), with_total AS (
    SELECT dept_code, project_code, name, budget, execution_points, output_points, effect_points, satisfaction_points, score,
           estimate, planned_cumulative, actual_cumulative, forecast, indicators, off_target, met, missing,
           NULL::DOUBLE AS mean_score, NULL::BIGINT AS projects_scored, NULL::BIGINT AS grade_excellent, NULL::BIGINT AS grade_good,
           NULL::BIGINT AS grade_fair, NULL::BIGINT AS grade_poor, NULL::TEXT AS lowest_project, NULL::DOUBLE AS lowest_score
    FROM scored
    UNION ALL
    SELECT NULL, NULL, NULL, sum(budget),
           sum(execution_points * budget) FILTER (WHERE score IS NOT NULL) / sum(budget) FILTER (WHERE score IS NOT NULL),
           sum(output_points * budget) FILTER (WHERE score IS NOT NULL) / sum(budget) FILTER (WHERE score IS NOT NULL),
           sum(effect_points * budget) FILTER (WHERE score IS NOT NULL) / sum(budget) FILTER (WHERE score IS NOT NULL),
           sum(satisfaction_points * budget) FILTER (WHERE score IS NOT NULL) / sum(budget) FILTER (WHERE score IS NOT NULL),
           sum(score * budget) / sum(budget) FILTER (WHERE score IS NOT NULL),
           bool_or(estimate),
           sum(planned_cumulative), sum(actual_cumulative), sum(forecast), sum(s.indicators) + any_value(w.indicators),
           sum(s.off_target) + any_value(w.off_target), sum(s.met) + any_value(w.met), sum(s.missing) + any_value(w.missing),
           avg(score), count(score),
           count(*) FILTER (WHERE score >= 90), count(*) FILTER (WHERE score >= 80 AND score < 90),
           count(*) FILTER (WHERE score >= 60 AND score < 80), count(*) FILTER (WHERE score < 60),
           arg_min(name, score), min(score)
    FROM scored s, dept_wide w
    HAVING count(*) > 0
)
SELECT *, grade(score) AS grade, (indicators - missing) / nullif(indicators, 0)::DOUBLE AS reporting_rate FROM with_total;
