-- The period ends of the monitoring rounds of $year: reporting dates for indicator values.
SELECT DISTINCT period_end FROM round_tasks WHERE year = $year ORDER BY period_end
