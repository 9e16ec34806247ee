-- Planned vs actual disbursement (元) by quarter of $year for the projects of unit $dept
-- (NULL = all) up to $as_of: one row per project and quarter, plus total rows with
-- project_code NULL. Quarterly planned = difference of planned cumulative at quarter ends;
-- actual counts payments up to the as-of date and is NULL for quarters not yet begun.
-- time_progress_amount is the budget times 序时进度 at the quarter end, the reference line.
WITH scope AS (
    SELECT project_code, budget
    FROM projects
    WHERE year = $year AND ($dept::TEXT IS NULL OR dept_code = $dept::TEXT)
), quarters AS (
    SELECT * FROM fiscal_quarters($year)
), ends AS (
    SELECT sc.project_code, q.quarter, q.q_start, sc.budget * time_progress($year, q.q_end) AS time_progress_amount,
           coalesce(planned_value(q.q_end, s.d0, s.v0, s.d1, s.v1), 0) AS planned_cumulative
    FROM scope sc
    CROSS JOIN quarters q
    LEFT JOIN plan_segments($year) s ON s.project_code = sc.project_code AND in_segment(q.q_end, s.d0, s.d1)
), paid AS (
    -- quarter() as an equality key: a range join to the quarters costs seven times more over 10^7 rows
    SELECT pay.project_code, quarter(pay.paid_on) AS quarter, sum(pay.amount) AS actual
    FROM payments pay
    WHERE pay.year = $year AND pay.paid_on <= $as_of::DATE
      AND pay.project_code IN (SELECT project_code FROM scope)
    GROUP BY ALL
), per_project AS (
    SELECT e.project_code, e.quarter, e.planned_cumulative, e.time_progress_amount,
           e.planned_cumulative - coalesce(lag(e.planned_cumulative) OVER w, 0) AS planned,
           CASE WHEN e.q_start <= $as_of::DATE THEN coalesce(p.actual, 0) END AS actual,
           CASE WHEN e.q_start <= $as_of::DATE THEN sum(coalesce(p.actual, 0)) OVER w END AS actual_cumulative
    FROM ends e
    LEFT JOIN paid p USING (project_code, quarter)
    WINDOW w AS (PARTITION BY e.project_code ORDER BY e.quarter)
)
SELECT project_code, quarter,
       sum(planned)::DECIMAL(18, 2) AS planned,
       sum(actual)::DECIMAL(18, 2) AS actual,
       sum(planned_cumulative)::DECIMAL(18, 2) AS planned_cumulative,
       sum(actual_cumulative)::DECIMAL(18, 2) AS actual_cumulative,
       sum(time_progress_amount)::DECIMAL(18, 2) AS time_progress_amount
FROM per_project
GROUP BY GROUPING SETS ((project_code, quarter), (quarter))
ORDER BY project_code NULLS FIRST, quarter
