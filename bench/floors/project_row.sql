-- One project with its unit.
SELECT p.*, d.name FROM projects p JOIN departments d USING (dept_code) WHERE p.year = $year AND p.project_code = $project
