-- Disbursement of each project of $year (unit $dept, NULL = all) at the end of $as_of, and a
-- total row (project_code NULL): planned and actual cumulative (元), execution rate, gap to
-- plan (元 and percentage points of the budget), 序时进度, year-end forecast, and status with
-- its reason code. Status thresholds $amber_pp / $red_pp come from monitor/monitoring.toml.
WITH scope AS (
    SELECT dept_code, project_code, name, budget
    FROM projects
    WHERE year = $year AND ($dept::TEXT IS NULL OR dept_code = $dept::TEXT)
), planned AS (
    SELECT project_code, planned_value($as_of::DATE, d0, v0, d1, v1) AS planned_cumulative
    FROM plan_segments($year)
    WHERE in_segment($as_of::DATE, d0, d1)
), planned_total AS (  -- the last checkpoint: checkpoints are cumulative and never decrease
    SELECT project_code, max(planned_cumulative) AS planned_total
    FROM plan_checkpoints
    WHERE year = $year
    GROUP BY project_code
), actual AS (
    SELECT project_code, sum(amount) AS actual_cumulative
    FROM payments
    WHERE year = $year AND paid_on <= $as_of::DATE
    GROUP BY project_code
), entered AS (  -- the latest 全年预计执行数 entered up to the as-of date
    SELECT project_code, arg_max(forecast, (entered_on, batch_id)) AS forecast
    FROM forecasts
    WHERE year = $year AND entered_on <= $as_of::DATE
    GROUP BY project_code
), figures AS (
    SELECT s.dept_code, s.project_code, s.name, s.budget,
           coalesce(p.planned_cumulative, 0) AS planned_cumulative,
           coalesce(a.actual_cumulative, 0) AS actual_cumulative,
           -- the entered figure when there is one, else actual so far plus the plan still to come
           coalesce(e.forecast, coalesce(a.actual_cumulative, 0)
                                + greatest(coalesce(t.planned_total, 0) - coalesce(p.planned_cumulative, 0), 0)) AS forecast,
           e.forecast IS NOT NULL AS forecast_entered
    FROM scope s
    LEFT JOIN planned p USING (project_code)
    LEFT JOIN planned_total t USING (project_code)
    LEFT JOIN actual a USING (project_code)
    LEFT JOIN entered e USING (project_code)
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
       time_progress($year, $as_of::DATE) AS time_progress,
       forecast, forecast_entered,
       CASE WHEN actual_cumulative > budget THEN 'red'
            WHEN gap_pp < -$red_pp THEN 'red'
            WHEN gap_pp < -$amber_pp THEN 'amber'
            WHEN actual_cumulative <= 0 AND planned_cumulative > 0 THEN 'amber'
            ELSE 'green' END AS status,
       CASE WHEN actual_cumulative > budget THEN 'over_budget'
            WHEN gap_pp < -$red_pp THEN 'far_behind'
            WHEN actual_cumulative <= 0 AND planned_cumulative > 0 THEN 'not_started'
            WHEN gap_pp < -$amber_pp THEN 'behind'
            WHEN gap_pp > 0 THEN 'ahead'
            ELSE 'on_plan' END AS status_reason
FROM gaps
ORDER BY project_code IS NOT NULL, CASE status WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, gap_pp, project_code
