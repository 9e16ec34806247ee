-- Units with projects in $year, for the sidebar filter.
SELECT d.dept_code, d.name
FROM departments d
WHERE d.dept_code IN (SELECT dept_code FROM projects WHERE year = $year)
ORDER BY d.dept_code
