-- Planned vs actual disbursement: payments to date, the status rule, quarterly figures and each project's figures.
-- Temporary macros defined on every connection by monitor.store.db (in the order of RULE_FILES).

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
-- total (the last checkpoint; checkpoints are cumulative) and actual cumulative (元), and the
-- year-end forecast 全年预计执行数: the latest one staff entered up to as_of when there is one
-- (forecast_entered, with its 偏差原因), else the rule's (forecast_rule): actual so far plus the
-- plan still to come, at most the budget unless the actual already exceeds it (a project ahead of
-- plan finishes at its budget). only_project narrows it to one project.
CREATE OR REPLACE TEMP MACRO disbursement_at(fy, as_of, only_project := NULL) AS TABLE
WITH base AS (
    SELECT p.dept_code, p.project_code, p.name, p.budget,
           coalesce(pl.planned_cumulative, 0) AS planned_cumulative,
           coalesce(pl.planned_total, 0) AS planned_total,
           coalesce(a.actual_cumulative, 0) AS actual_cumulative
    FROM projects p
    LEFT JOIN (SELECT project_code,
                      any_value(planned_value(as_of, d0, v0, d1, v1)) FILTER (WHERE in_segment(as_of, d0, d1)) AS planned_cumulative,
                      any_value(v0) FILTER (WHERE d1 IS NULL) AS planned_total
               FROM plan_of(fy, only_project := only_project) GROUP BY project_code) pl USING (project_code)
    LEFT JOIN (SELECT project_code, sum(amount) AS actual_cumulative
               FROM paid_by_month(fy, as_of, only_project := only_project) GROUP BY project_code) a USING (project_code)
    WHERE p.year = fy AND (only_project IS NULL OR p.project_code = only_project)
), entered AS (
    SELECT project_code, arg_max_null(forecast, (entered_on, batch_id)) AS forecast,  -- the latest entry whole (arg_max skips NULLs)
           arg_max_null(reason, (entered_on, batch_id)) AS reason, arg_max_null(reason_detail, (entered_on, batch_id)) AS reason_detail
    FROM forecasts
    WHERE year = fy AND entered_on <= as_of AND (only_project IS NULL OR project_code = only_project)
    GROUP BY project_code
), ruled AS (
    SELECT b.*,
           CASE WHEN b.actual_cumulative > b.budget THEN b.actual_cumulative
                ELSE least(b.budget, b.actual_cumulative + greatest(b.planned_total - b.planned_cumulative, 0)) END AS forecast_rule,
           e.forecast AS forecast_entered, e.reason AS forecast_reason, e.reason_detail AS forecast_reason_detail
    FROM base b
    LEFT JOIN entered e USING (project_code)
)
SELECT *, coalesce(forecast_entered, forecast_rule)::DECIMAL(18, 2) AS forecast FROM ruled;


-- Disbursement status of a project (or a total) from its actual and planned cumulative
-- spending, year-end forecast and budget (元), with thresholds in percentage points of the
-- budget, in this order: red when over budget (超预算); red when behind plan by more than red_pp
-- (严重滞后); amber when behind by more than amber_pp or when nothing is spent although the plan
-- is due (滞后); amber when the forecast exceeds the budget (超预算风险); else green (正常).
CREATE OR REPLACE TEMP MACRO disbursement_status(actual, planned, budget, forecast, amber_pp, red_pp) AS
    CASE WHEN actual > budget THEN 'red'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -red_pp THEN 'red'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -amber_pp THEN 'amber'
         WHEN actual <= 0 AND planned > 0 THEN 'amber'
         WHEN forecast > budget THEN 'amber'
         ELSE 'green' END;


-- The reason for that status, as a code the UI words (monitor.rules.disbursement.reason_text).
CREATE OR REPLACE TEMP MACRO disbursement_reason(actual, planned, budget, forecast, amber_pp, red_pp) AS
    CASE WHEN actual > budget THEN 'over_budget'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -red_pp THEN 'far_behind'
         WHEN actual <= 0 AND planned > 0 THEN 'not_started'
         WHEN (actual - planned) / nullif(budget, 0) * 100 < -amber_pp THEN 'behind'
         WHEN forecast > budget THEN 'forecast_over_budget'
         WHEN actual > planned THEN 'ahead'
         ELSE 'on_plan' END;


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
    LEFT JOIN plan_of(fy, only_project := only_project) s ON s.project_code = sc.project_code AND in_segment(q.q_end, s.d0, s.d1)
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


-- Disbursement of each project of fiscal year fy (unit unit_code, NULL = all; only_project: one
-- project) at the end of day, and a total row (project_code NULL): planned and actual cumulative
-- (元), execution rate, gap to plan (元 and percentage points of the budget), 序时进度 and the gap
-- to it (a reference line, not the status rule), year-end forecast (entered or the rule's), and
-- status with its reason code; thresholds amber_pp / red_pp in percentage points. The total row
-- carries the counts of its projects by status word (count_on_plan: 正常, count_behind: 滞后,
-- count_forecast_over: 超预算风险, count_far_behind: 严重滞后, count_over_budget: 超预算) and the status
-- of its own sums (for `monitor status --json`), which a page shows as those counts, never as one
-- word that hides them.
CREATE OR REPLACE TEMP MACRO project_status_at(fy, day, unit_code, amber_pp, red_pp, only_project := NULL) AS TABLE
WITH figures AS (
    SELECT *, disbursement_reason(actual_cumulative, planned_cumulative, budget, forecast, amber_pp, red_pp) AS reason
    FROM disbursement_at(fy, day, only_project := only_project)
    WHERE in_scope(dept_code, unit_code)
), rolled AS (
    SELECT dept_code, project_code, name,
           sum(budget)::DECIMAL(18, 2) AS budget,
           sum(planned_cumulative)::DECIMAL(18, 2) AS planned_cumulative,
           sum(actual_cumulative)::DECIMAL(18, 2) AS actual_cumulative,
           sum(forecast)::DECIMAL(18, 2) AS forecast,
           sum(forecast_rule)::DECIMAL(18, 2) AS forecast_rule,
           bool_or(forecast_entered IS NOT NULL) AS forecast_entered,
           any_value(forecast_reason) AS forecast_reason,
           any_value(forecast_reason_detail) AS forecast_reason_detail,
           count(*) FILTER (WHERE reason IN ('on_plan', 'ahead')) AS count_on_plan,
           count(*) FILTER (WHERE reason IN ('behind', 'not_started')) AS count_behind,
           count(*) FILTER (WHERE reason = 'forecast_over_budget') AS count_forecast_over,
           count(*) FILTER (WHERE reason = 'far_behind') AS count_far_behind,
           count(*) FILTER (WHERE reason = 'over_budget') AS count_over_budget
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
       (actual_cumulative / nullif(budget, 0) - time_progress(fy, day)) * 100 AS time_gap_pp,
       forecast, forecast_rule, forecast_entered, forecast_reason, forecast_reason_detail,
       disbursement_status(actual_cumulative, planned_cumulative, budget, forecast, amber_pp, red_pp) AS status,
       disbursement_reason(actual_cumulative, planned_cumulative, budget, forecast, amber_pp, red_pp) AS status_reason,
       count_on_plan, count_behind, count_forecast_over, count_far_behind, count_over_budget
FROM gaps;
