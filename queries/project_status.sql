-- Disbursement of each project of $year (unit $dept, NULL = all) at the end of $as_of, and a
-- total row (project_code NULL): planned and actual cumulative (元), execution rate, gap to
-- plan (元 and percentage points of the budget), 序时进度, year-end forecast, and status with
-- its reason code. Status thresholds $amber_pp / $red_pp come from monitor/monitoring.toml.
WITH entered AS (  -- the latest 全年预计执行数 entered up to the as-of date
    SELECT project_code, arg_max(forecast, (entered_on, batch_id)) AS forecast
    FROM forecasts
    WHERE year = $year AND entered_on <= $as_of::DATE
    GROUP BY project_code
), figures AS (
    SELECT d.dept_code, d.project_code, d.name, d.budget, d.planned_cumulative, d.actual_cumulative,
           -- the entered figure when there is one, else actual so far plus the plan still to come
           coalesce(e.forecast, d.actual_cumulative + greatest(d.planned_total - d.planned_cumulative, 0)) AS forecast,
           e.forecast IS NOT NULL AS forecast_entered
    FROM disbursement_at($year, $as_of::DATE) d
    LEFT JOIN entered e USING (project_code)
    WHERE $dept::TEXT IS NULL OR d.dept_code = $dept::TEXT
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
       disbursement_status(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) AS status,
       disbursement_reason(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) AS status_reason
FROM gaps
ORDER BY project_code IS NOT NULL, CASE status WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, gap_pp, project_code
