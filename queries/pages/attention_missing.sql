-- What needs attention on 总览, third: the indicators of $year (unit $dept, NULL = all) without any
-- value at $as_of although their reporting date $due has passed (NULL: none has yet), grouped per
-- project (department-wide ones under a NULL project), the $limit projects with the most first.
SELECT l.project_code, any_value(p.name) AS project_name, count(*) AS missing,
       list(l.level3 ORDER BY l.seq) AS indicators
FROM indicator_latest($year, $as_of::DATE) l
LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
WHERE $due::DATE IS NOT NULL AND $due::DATE <= $as_of::DATE
  AND l.status = '未填报' AND in_scope(l.dept_code, $dept::TEXT)
GROUP BY l.project_code
ORDER BY missing DESC, l.project_code NULLS LAST
LIMIT $limit
