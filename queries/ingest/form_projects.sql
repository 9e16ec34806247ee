-- The projects of unit $dept in $year, each with the 全年预计执行数 staff entered last up to
-- $period_end (NULLs when none): the sheets a filled 监控表 may hold and what its forecast is compared with.
SELECT p.project_code, p.name,
       arg_max_null(f.forecast, (f.entered_on, f.batch_id)) AS forecast,
       arg_max_null(f.reason, (f.entered_on, f.batch_id)) AS reason,
       arg_max_null(f.reason_detail, (f.entered_on, f.batch_id)) AS reason_detail
FROM projects p
LEFT JOIN forecasts f ON f.year = p.year AND f.project_code = p.project_code AND f.entered_on <= $period_end::DATE
WHERE p.year = $year AND p.dept_code = $dept
GROUP BY p.project_code, p.name
ORDER BY p.project_code
