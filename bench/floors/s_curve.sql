-- One project's daily planned and actual cumulative disbursement.
WITH paid AS (
    SELECT paid_on AS day, sum(amount) AS amount
    FROM payments WHERE year = $year AND project_code = $project AND paid_on <= $as_of GROUP BY paid_on
)
SELECT d.day, planned_value(d.day, s.d0, s.v0, s.d1, s.v1) AS planned, sum(coalesce(paid.amount, 0)) OVER (ORDER BY d.day) AS actual
FROM (SELECT unnest(generate_series(make_date($year, 1, 1), make_date($year, 12, 31), INTERVAL 1 DAY))::DATE AS day) d
JOIN plan_of($year, only_project := $project) s ON s.project_code = $project AND in_segment(d.day, s.d0, s.d1)
LEFT JOIN paid USING (day)
