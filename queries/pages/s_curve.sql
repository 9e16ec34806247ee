-- Daily planned and actual cumulative disbursement (元) over $year for project $project, or
-- for all projects of unit $dept when $project is NULL ($dept NULL = all units); actual stops
-- at $as_of. Also the 序时进度 line: the budget times the share of the year elapsed.
WITH scope AS (
    SELECT project_code, budget
    FROM projects
    WHERE year = $year
      AND in_scope(dept_code, $dept::TEXT)
      AND ($project::TEXT IS NULL OR project_code = $project::TEXT)
), days AS (
    SELECT d::DATE AS day
    FROM range(make_date($year, 1, 1), make_date($year + 1, 1, 1), INTERVAL 1 DAY) t(d)
), planned AS (
    SELECT days.day, sum(planned_value(days.day, s.d0, s.v0, s.d1, s.v1)) AS planned_cumulative
    FROM days
    JOIN plan_of($year, only_project := $project::TEXT) s ON in_segment(days.day, s.d0, s.d1)
    WHERE s.project_code IN (SELECT project_code FROM scope)
    GROUP BY days.day
), paid AS (
    SELECT paid_on AS day, sum(amount) AS paid
    FROM payments
    WHERE year = $year AND paid_on <= $as_of::DATE AND project_code IN (SELECT project_code FROM scope)
    GROUP BY paid_on
)
SELECT days.day,
       coalesce(planned.planned_cumulative, 0)::DECIMAL(18, 2) AS planned_cumulative,
       CASE WHEN days.day <= $as_of::DATE
            THEN sum(coalesce(paid.paid, 0)) OVER (ORDER BY days.day) END::DECIMAL(18, 2) AS actual_cumulative,
       ((SELECT sum(budget) FROM scope) * time_progress($year, days.day))::DECIMAL(18, 2) AS time_progress_amount
FROM days
LEFT JOIN planned USING (day)
LEFT JOIN paid USING (day)
ORDER BY days.day
