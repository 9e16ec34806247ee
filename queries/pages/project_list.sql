-- Projects of $year (unit $dept, NULL = all) for pickers, largest budget first: those whose name
-- or code contains $search (NULL = all), at most $limit (NULL = all), project $keep (the one
-- selected, NULL = none) always among them and first; `total` counts the matches.
SELECT project_code, name, count(*) OVER () AS total
FROM projects
WHERE year = $year AND in_scope(dept_code, $dept::TEXT)
  AND ($search::TEXT IS NULL OR contains(name, $search::TEXT) OR contains(project_code, $search::TEXT) OR project_code = $keep::TEXT)
ORDER BY project_code IS NOT DISTINCT FROM $keep::TEXT DESC, budget DESC, project_code
LIMIT $limit
