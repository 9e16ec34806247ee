-- Projects of $year (unit $dept, NULL = all) for pickers, largest budget first.
SELECT project_code, name FROM projects
WHERE year = $year AND in_scope(dept_code, $dept::TEXT)
ORDER BY budget DESC, project_code
