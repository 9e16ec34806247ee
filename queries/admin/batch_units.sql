-- The units whose data import batch $batch holds: of its payments, forecasts and indicator actuals
-- (a department-wide indicator's own unit). A user with a unit scope undoes batches of their units only.
SELECT p.dept_code FROM payments x JOIN projects p USING (year, project_code) WHERE x.batch_id = $batch
UNION
SELECT p.dept_code FROM forecasts x JOIN projects p USING (year, project_code) WHERE x.batch_id = $batch
UNION
SELECT coalesce(p.dept_code, d.dept_code)
FROM indicator_actuals x
LEFT JOIN projects p ON p.year = x.year AND p.project_code = x.project_code
LEFT JOIN dept_indicators d ON d.year = x.year AND d.indicator_id = x.indicator_id
WHERE x.batch_id = $batch
ORDER BY 1;
