-- Of the entered actuals registered as `entered` (indicator_id, actual_value), those whose value
-- meets its indicator's target (target_met in queries/rules/indicators.sql), for year $year.
SELECT e.indicator_id
FROM entered e
JOIN (SELECT indicator_id, op, target_value FROM indicators WHERE year = $year
      UNION ALL
      SELECT indicator_id, op, target_value FROM dept_indicators WHERE year = $year) t USING (indicator_id)
WHERE e.actual_value IS NOT NULL AND coalesce(target_met(t.op, e.actual_value, t.target_value), FALSE)
