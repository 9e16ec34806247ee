-- Projects of $year (unit $dept, NULL = all) for pickers, largest budget first.
SELECT project_code, name FROM projects
WHERE year = $year AND ($dept::TEXT IS NULL OR dept_code = $dept::TEXT)
ORDER BY budget DESC, project_code
