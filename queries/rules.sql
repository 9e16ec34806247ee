-- Monitoring rules shared by the named queries (DESIGN.md, "Monitoring rules"), defined as
-- temporary macros on every connection (read-only ones too) by monitor.db.connect. Each rule
-- is defined once here and used by every query that needs it.

-- The departments under `root` (itself included), down the region 财政区划 → department 部门 →
-- unit 单位 hierarchy of departments.parent_code: a filter on a department or region covers
-- every unit below it.
CREATE OR REPLACE TEMP MACRO dept_scope(root) AS TABLE
WITH RECURSIVE tree(dept_code) AS (
    SELECT root
    UNION
    SELECT d.dept_code FROM departments d JOIN tree t ON d.parent_code = t.dept_code
)
SELECT dept_code FROM tree;

-- Whether a unit is in the scope of the filter `root` (NULL = everything).
CREATE OR REPLACE TEMP MACRO in_scope(code, root) AS root IS NULL OR code IN (SELECT dept_code FROM dept_scope(root));

-- Plan segments of each project of fiscal year fy: from one checkpoint (d0, v0) to the next
-- (d1, v1), starting from 0 on 1 January; the last segment has d1 NULL (flat afterwards).
-- only_project narrows it to one project before the window runs over them all.
CREATE OR REPLACE TEMP MACRO plan_segments(fy, only_project := NULL) AS TABLE
WITH points AS (
    SELECT project_code, checkpoint_date AS d, planned_cumulative AS v
    FROM plan_checkpoints
    WHERE year = fy AND (only_project IS NULL OR project_code = only_project)
    UNION ALL
    SELECT project_code, make_date(fy, 1, 1), 0
    FROM projects p
    WHERE year = fy AND (only_project IS NULL OR project_code = only_project)
      AND NOT EXISTS (SELECT 1 FROM plan_checkpoints c
                      WHERE c.year = p.year AND c.project_code = p.project_code
                        AND c.checkpoint_date = make_date(fy, 1, 1))
)
SELECT project_code, d AS d0, v AS v0, lead(d) OVER w AS d1, lead(v) OVER w AS v1
FROM points
WINDOW w AS (PARTITION BY project_code ORDER BY d);

-- Whether day d falls in the segment starting at d0 (and ending before d1).
CREATE OR REPLACE TEMP MACRO in_segment(d, d0, d1) AS d0 <= d AND (d1 IS NULL OR d < d1);

-- Planned cumulative (元) at the end of day d within its segment: linear by calendar day,
-- rounded to the fen.
CREATE OR REPLACE TEMP MACRO planned_value(d, d0, v0, d1, v1) AS
    round(CASE WHEN d1 IS NULL THEN v0
               ELSE v0 + (v1 - v0) * date_diff('day', d0, d) / date_diff('day', d0, d1) END, 2)::DECIMAL(18, 2);

-- 序时进度: the share of fiscal year fy elapsed at the end of day d (0 before, 1 after).
CREATE OR REPLACE TEMP MACRO time_progress(fy, d) AS
    greatest(0, least(1, (date_diff('day', make_date(fy, 1, 1), d) + 1)
                         / (date_diff('day', make_date(fy, 1, 1), make_date(fy + 1, 1, 1)))::DOUBLE));

-- Payments (元) of fiscal year fy up to the end of day as_of, by project and month: whole months
-- from payment_months, the as-of date's own month (unless as_of is its last day) from payments.
-- only_project narrows it to one project (项目详情), read without touching the others.
CREATE OR REPLACE TEMP MACRO paid_by_month(fy, as_of, only_project := NULL) AS TABLE
SELECT project_code, month, amount
FROM payment_months
WHERE year = fy AND month < date_trunc('month', as_of + 1)  -- the months ended by as_of
  AND (only_project IS NULL OR project_code = only_project)
UNION ALL
SELECT project_code, date_trunc('month', paid_on)::DATE, amount
FROM payments
WHERE year = fy AND as_of < last_day(as_of) AND paid_on >= date_trunc('month', as_of) AND paid_on <= as_of
  AND (only_project IS NULL OR project_code = only_project);

-- Each project of fiscal year fy at the end of day as_of: budget, planned cumulative, planned
-- total (the last checkpoint; checkpoints are cumulative) and actual cumulative (元); only_project
-- narrows it to one project.
CREATE OR REPLACE TEMP MACRO disbursement_at(fy, as_of, only_project := NULL) AS TABLE
SELECT p.dept_code, p.project_code, p.name, p.budget,
       coalesce(pl.planned_cumulative, 0) AS planned_cumulative,
       coalesce(t.planned_total, 0) AS planned_total,
       coalesce(a.actual_cumulative, 0) AS actual_cumulative
FROM projects p
LEFT JOIN (SELECT project_code, planned_value(as_of, d0, v0, d1, v1) AS planned_cumulative
           FROM plan_segments(fy, only_project := only_project) WHERE in_segment(as_of, d0, d1)) pl USING (project_code)
LEFT JOIN (SELECT project_code, max(planned_cumulative) AS planned_total
           FROM plan_checkpoints WHERE year = fy AND (only_project IS NULL OR project_code = only_project)
           GROUP BY project_code) t USING (project_code)
LEFT JOIN (SELECT project_code, sum(amount) AS actual_cumulative
           FROM paid_by_month(fy, as_of, only_project := only_project) GROUP BY project_code) a USING (project_code)
WHERE p.year = fy AND (only_project IS NULL OR p.project_code = only_project);

-- Disbursement status of a project (or a total) from its actual and planned cumulative
-- spending and budget (元), with thresholds in percentage points of the budget, in this order:
-- red when over budget; red when behind plan by more than red_pp; amber when nothing is spent
-- although the plan is due, or when behind by more than amber_pp; else green.
CREATE OR REPLACE TEMP MACRO disbursement_status(actual, planned, budget, amber_pp, red_pp) AS
    CASE WHEN actual > budget THEN 'red'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -red_pp THEN 'red'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -amber_pp THEN 'amber'
         WHEN actual <= 0 AND planned > 0 THEN 'amber'
         ELSE 'green' END;

-- The reason for that status, as a code the UI words (monitor.disbursement.reason_text).
CREATE OR REPLACE TEMP MACRO disbursement_reason(actual, planned, budget, amber_pp, red_pp) AS
    CASE WHEN actual > budget THEN 'over_budget'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -red_pp THEN 'far_behind'
         WHEN actual <= 0 AND planned > 0 THEN 'not_started'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -amber_pp THEN 'behind'
         WHEN actual > planned THEN 'ahead'
         ELSE 'on_plan' END;

-- Quarters of fiscal year fy with their first and last day.
CREATE OR REPLACE TEMP MACRO fiscal_quarters(fy) AS TABLE
SELECT q AS quarter, make_date(fy, 3 * q - 2, 1) AS q_start, last_day(make_date(fy, 3 * q, 1)) AS q_end
FROM range(1, 5) t(q);

-- Whether an actual value meets a quantitative target (values in the indicator's unit).
CREATE OR REPLACE TEMP MACRO target_met(op, actual, target) AS
    CASE op WHEN '>=' THEN actual >= target WHEN '>' THEN actual > target
            WHEN '<=' THEN actual <= target WHEN '<' THEN actual < target
            WHEN '=' THEN actual = target END;

-- Distance to the target, signed so that worse is negative (0 exactly on a >= / <= target).
CREATE OR REPLACE TEMP MACRO target_gap(op, actual, target) AS
    CASE WHEN op IN ('>=', '>') THEN actual - target
         WHEN op IN ('<=', '<') THEN target - actual
         WHEN op = '=' THEN -abs(actual - target) END;

-- Share of a quantitative target reached, 0..1, for the proportional credit of the score.
CREATE OR REPLACE TEMP MACRO attainment(op, actual, target) AS
    CASE WHEN target_met(op, actual, target) THEN 1.0
         WHEN op IN ('>=', '>') THEN greatest(0.0, least(1.0, actual / nullif(target, 0)))
         WHEN op IN ('<=', '<') THEN greatest(0.0, least(1.0, target / nullif(actual, 0)))
         WHEN op = '=' THEN greatest(0.0, 1.0 - abs(actual - target) / nullif(abs(target), 0)) END;

-- Every indicator of fiscal year fy (project indicators and department-wide ones, the latter
-- with project_code NULL and level1 部门整体指标) with its latest actual up to the end of day
-- as_of (latest period, then latest batch; only_project narrows it to one project, '' to the
-- department-wide ones), its status (达标 / 未达标 / 未填报 / 定性待评),
-- whether it is off target (fails its target, or reported 有可能 / 完全不可能 to be completed),
-- the signed gap and the attainment used for scoring.
CREATE OR REPLACE TEMP MACRO indicator_latest(fy, as_of, only_project := NULL) AS TABLE
WITH targets AS (
    SELECT p.dept_code, i.project_code, i.indicator_id, i.seq, i.level1, i.level2, i.level3, i.description,
           i.target_text, i.op, i.target_value, i.unit, i.weight
    FROM indicators i
    JOIN projects p USING (year, project_code)
    WHERE i.year = fy AND (only_project IS NULL OR i.project_code = only_project)
    UNION ALL
    SELECT dept_code, NULL, indicator_id, seq, '部门整体指标', coalesce(source, ''), description, description,
           target_text, op, target_value, unit, NULL
    FROM dept_indicators
    WHERE year = fy AND (only_project IS NULL OR only_project = '')
), reported AS (
    -- (period, batch) packed into one integer: unique per indicator, as a batch holds one value per
    -- indicator and period. One max_by per column (not of a struct) lets a query that reads only
    -- the status skip the text columns: a third less time over 10^6 indicators.
    SELECT *, (date_diff('day', DATE '1970-01-01', period_end)::BIGINT << 32) + batch_id AS k
    FROM indicator_actuals
    WHERE year = fy AND period_end <= as_of AND (only_project IS NULL OR coalesce(project_code, '') = only_project)
), latest AS (
    SELECT indicator_id, max_by(period_end, k) AS period_end, max_by(actual_value, k) AS actual_value,
           max_by(actual_text, k) AS actual_text, max_by(likelihood, k) AS likelihood, max_by(reason, k) AS reason,
           max_by(reason_detail, k) AS reason_detail, max_by(corrective_action, k) AS corrective_action
    FROM reported
    GROUP BY indicator_id
), judged AS (
    SELECT t.*, l.period_end, l.actual_value, l.actual_text, l.likelihood, l.reason, l.reason_detail, l.corrective_action,
           CASE WHEN t.op = 'qual' AND (l.actual_text IS NOT NULL OR l.actual_value IS NOT NULL) THEN '定性待评'
                WHEN l.actual_value IS NULL THEN '未填报'
                WHEN target_met(t.op, l.actual_value, t.target_value) THEN '达标'
                ELSE '未达标' END AS status
    FROM targets t
    LEFT JOIN latest l USING (indicator_id)
)
SELECT *,
       status = '未达标' OR coalesce(likelihood IN ('有可能', '完全不可能'), FALSE) AS off_target,
       CASE WHEN status IN ('达标', '未达标') THEN target_gap(op, actual_value, target_value) END AS gap,
       CASE status WHEN '达标' THEN 1.0 WHEN '定性待评' THEN 1.0 WHEN '未填报' THEN 0.0
                   ELSE attainment(op, actual_value, target_value) END AS attainment
FROM judged;

-- Self-evaluation grade of a score out of 100.
CREATE OR REPLACE TEMP MACRO grade(score) AS
    CASE WHEN score >= 90 THEN '优' WHEN score >= 80 THEN '良' WHEN score >= 60 THEN '中' ELSE '差' END;

-- Planned vs actual disbursement (元) by quarter of fiscal year fy for the projects of unit unit_code
-- (NULL = all) up to day: one row per project and quarter, plus total rows with project_code NULL;
-- with per_project := FALSE only the total rows, which then never group by project (a tenth of
-- the time over 10^5 projects). Quarterly planned = difference of planned cumulative at quarter
-- ends; actual counts payments up to the as-of date and is NULL for quarters not yet begun;
-- only_project narrows it to one project. time_progress_amount is the budget times 序时进度 at
-- the quarter end, the reference line.
CREATE OR REPLACE TEMP MACRO quarterly_at(fy, day, unit_code, per_project := TRUE, only_project := NULL) AS TABLE
WITH scope AS (
    SELECT project_code, budget
    FROM projects
    WHERE year = fy AND in_scope(dept_code, unit_code) AND (only_project IS NULL OR project_code = only_project)
), ends AS (  -- per project, or all projects together (project_code NULL)
    SELECT CASE WHEN per_project THEN sc.project_code END AS project_code, q.quarter, q.q_start,
           sum(sc.budget * time_progress(fy, q.q_end)) AS time_progress_amount,
           sum(coalesce(planned_value(q.q_end, s.d0, s.v0, s.d1, s.v1), 0)) AS planned_cumulative
    FROM scope sc
    CROSS JOIN fiscal_quarters(fy) q
    LEFT JOIN plan_segments(fy, only_project := only_project) s ON s.project_code = sc.project_code AND in_segment(q.q_end, s.d0, s.d1)
    GROUP BY ALL
), paid AS (
    -- quarter() as an equality key: a range join to the quarters costs seven times more
    SELECT CASE WHEN per_project THEN project_code END AS project_code, quarter(month) AS quarter, sum(amount) AS actual
    FROM paid_by_month(fy, day, only_project := only_project)
    WHERE project_code IN (SELECT project_code FROM scope)
    GROUP BY ALL
), quarterly AS (
    SELECT e.project_code, e.quarter, e.planned_cumulative, e.time_progress_amount,
           e.planned_cumulative - coalesce(lag(e.planned_cumulative) OVER w, 0) AS planned,
           CASE WHEN e.q_start <= day THEN coalesce(p.actual, 0) END AS actual,
           CASE WHEN e.q_start <= day THEN sum(coalesce(p.actual, 0)) OVER w END AS actual_cumulative
    FROM ends e
    LEFT JOIN paid p ON p.project_code IS NOT DISTINCT FROM e.project_code AND p.quarter = e.quarter
    WINDOW w AS (PARTITION BY e.project_code ORDER BY e.quarter)
), with_total AS (
    SELECT * FROM quarterly WHERE per_project
    UNION ALL
    SELECT NULL, quarter, sum(planned_cumulative), sum(time_progress_amount), sum(planned), sum(actual), sum(actual_cumulative)
    FROM quarterly
    GROUP BY quarter
)
SELECT project_code, quarter,
       planned::DECIMAL(18, 2) AS planned,
       actual::DECIMAL(18, 2) AS actual,
       planned_cumulative::DECIMAL(18, 2) AS planned_cumulative,
       actual_cumulative::DECIMAL(18, 2) AS actual_cumulative,
       time_progress_amount::DECIMAL(18, 2) AS time_progress_amount
FROM with_total;

-- Self-evaluation score (自评) of each project of fiscal year fy (unit unit_code, NULL = all) at day,
-- with its breakdown, and a department row (project_code NULL, budget-weighted mean):
--   budget execution 10 points: actual / planned to date, capped at 1 (at year end, when the
--     plan has reached the budget, this is 执行率 × 10; nothing planned yet counts as full);
--   indicators 90 points: 产出指标 50, 效益指标 30, 满意度指标 10, each split over its
--     indicators by weight (equal when none is given); an indicator earns its share times its
--     attainment (1 when met or 定性待评, 0 when 未填报, proportional when an unmet number).
--     A project without indicators in a level has the other levels scaled up to 90.
-- Each row also carries what the score is computed from, so that a headline needs no second pass
-- over the payments or indicators: planned and actual cumulative (元) and the project's
-- indicators counted (all, off target, met, not reported); the department row sums them and adds
-- the department-wide indicators of the unit. only_project narrows it to one project (and a
-- department row of that project alone).
CREATE OR REPLACE TEMP MACRO scores_at(fy, day, unit_code, only_project := NULL) AS TABLE
WITH levels AS (
    SELECT * FROM (VALUES ('产出指标', 50.0), ('效益指标', 30.0), ('满意度指标', 10.0)) v(level1, points)
), per_level AS (
    SELECT l.project_code, l.level1, any_value(levels.points) AS points,
           any_value(levels.points) * sum(l.attainment * coalesce(l.weight, 1.0)) / sum(coalesce(l.weight, 1.0)) AS earned,
           count(*) AS indicators, count(*) FILTER (WHERE l.off_target) AS off_target,
           count(*) FILTER (WHERE l.status = '达标') AS met, count(*) FILTER (WHERE l.status = '未填报') AS missing
    FROM indicator_latest(fy, day, only_project := only_project) l
    LEFT JOIN levels USING (level1)
    WHERE l.project_code IS NOT NULL
    GROUP BY l.project_code, l.level1
), indicator_points AS (
    SELECT project_code,
           sum(earned) FILTER (WHERE level1 = '产出指标') AS output_points,
           sum(earned) FILTER (WHERE level1 = '效益指标') AS effect_points,
           sum(earned) FILTER (WHERE level1 = '满意度指标') AS satisfaction_points,
           sum(earned) * 90 / sum(points) AS indicator_points,
           sum(indicators) AS indicators, sum(off_target) AS off_target, sum(met) AS met, sum(missing) AS missing
    FROM per_level
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

-- Disbursement of each project of fiscal year fy (unit unit_code, NULL = all; only_project: one
-- project) at the end of day, and a total row (project_code NULL): planned and actual cumulative
-- (元), execution rate, gap to plan (元 and percentage points of the budget), 序时进度, year-end
-- forecast, and status with its reason code; thresholds amber_pp / red_pp in percentage points.
CREATE OR REPLACE TEMP MACRO project_status_at(fy, day, unit_code, amber_pp, red_pp, only_project := NULL) AS TABLE
WITH entered AS (  -- the latest 全年预计执行数 entered up to the as-of date
    SELECT project_code, arg_max(forecast, (entered_on, batch_id)) AS forecast
    FROM forecasts
    WHERE year = fy AND entered_on <= day
    GROUP BY project_code
), figures AS (
    SELECT d.dept_code, d.project_code, d.name, d.budget, d.planned_cumulative, d.actual_cumulative,
           -- the entered figure when there is one, else actual so far plus the plan still to come
           coalesce(e.forecast, d.actual_cumulative + greatest(d.planned_total - d.planned_cumulative, 0)) AS forecast,
           e.forecast IS NOT NULL AS forecast_entered
    FROM disbursement_at(fy, day, only_project := only_project) d
    LEFT JOIN entered e USING (project_code)
    WHERE in_scope(d.dept_code, unit_code)
), rolled AS (
    SELECT dept_code, project_code, name,
           sum(budget)::DECIMAL(18, 2) AS budget,
           sum(planned_cumulative)::DECIMAL(18, 2) AS planned_cumulative,
           sum(actual_cumulative)::DECIMAL(18, 2) AS actual_cumulative,
           sum(forecast)::DECIMAL(18, 2) AS forecast,
           bool_or(forecast_entered) AS forecast_entered
    FROM figures
    GROUP BY GROUPING SETS ((dept_code, project_code, name), ())
), gaps AS (
    SELECT *,
           (actual_cumulative - planned_cumulative)::DECIMAL(18, 2) AS gap,
           (actual_cumulative - planned_cumulative) / nullif(budget, 0) * 100 AS gap_pp
    FROM rolled
    WHERE budget IS NOT NULL  -- no total row when no project is in scope
)
SELECT dept_code, project_code, name, budget, planned_cumulative, actual_cumulative,
       actual_cumulative / nullif(budget, 0) AS execution_rate,
       gap, gap_pp,
       time_progress(fy, day) AS time_progress,
       forecast, forecast_entered,
       disbursement_status(actual_cumulative, planned_cumulative, budget, amber_pp, red_pp) AS status,
       disbursement_reason(actual_cumulative, planned_cumulative, budget, amber_pp, red_pp) AS status_reason
FROM gaps;
