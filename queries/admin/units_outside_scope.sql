-- The units a write would touch that lie outside a user's scope (monitor.auth.refuse_outside): the
-- units of the projects $projects and of the indicators $indicators (a project's, or a department-wide
-- one's) of fiscal year $year, and the units $units, that are not under $scope.
WITH touched AS (
    SELECT project_code FROM (SELECT unnest($projects::TEXT[]) AS project_code)
    UNION
    SELECT project_code FROM indicators WHERE year = $year AND indicator_id IN (SELECT unnest($indicators::TEXT[]))
)
SELECT DISTINCT code FROM (
    SELECT p.dept_code AS code FROM projects p JOIN touched t USING (project_code) WHERE p.year = $year
    UNION ALL
    SELECT dept_code FROM dept_indicators WHERE year = $year AND indicator_id IN (SELECT unnest($indicators::TEXT[]))
    UNION ALL
    SELECT unnest($units::TEXT[])
) WHERE NOT in_scope(code, $scope)
ORDER BY code;
