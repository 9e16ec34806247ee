-- The 单位 filter of the sidebar for $year: every unit with projects and every department or
-- region above one (a filter on those covers all the units below, see in_scope), labelled
-- with their level when they are not units.
WITH RECURSIVE up(dept_code) AS (
    SELECT DISTINCT dept_code FROM projects WHERE year = $year
    UNION
    SELECT d.parent_code FROM departments d JOIN up ON d.dept_code = up.dept_code WHERE d.parent_code IS NOT NULL
)
SELECT d.dept_code, d.name || CASE WHEN d.level = '单位' THEN '' ELSE '（' || d.level || '）' END AS name
FROM departments d
WHERE d.dept_code IN (SELECT dept_code FROM up)
ORDER BY d.dept_code
