-- The last day with data in $year: the latest payment, reported indicator value or entered
-- forecast (NULL when there is none yet). The as-of date follows it unless a person chose one.
SELECT max(d) FROM (
    SELECT max(paid_on) AS d FROM payments WHERE year = $year
    UNION ALL
    SELECT max(period_end) FROM indicator_actuals WHERE year = $year
    UNION ALL
    SELECT max(entered_on) FROM forecasts WHERE year = $year
)
