-- One project of $year: its unit, funds and purpose.
SELECT p.project_code, p.name, p.dept_code, d.name AS dept_name, p.budget, p.fiscal_funds, p.other_funds, p.purpose
FROM projects p
JOIN departments d USING (dept_code)
WHERE p.year = $year AND p.project_code = $project
