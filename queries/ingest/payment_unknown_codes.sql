-- Rows of an incoming payments file (registered as `incoming`) booked to a project code that
-- fiscal year $year does not have (an empty code is reported on its own).
SELECT i.row, i.project_code
FROM incoming i
WHERE i.project_code <> ''
  AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.year = $year AND p.project_code = i.project_code)
ORDER BY i.row
