-- The 绩效指标 cards: how many indicators of $year (unit $dept, NULL = all) at $as_of pass the
-- page's filters ($project, '' = department-wide only; $level1; $status; $off_only), how many of
-- them are met, off target and not reported. The same filters as indicator_status.sql.
SELECT count(*) AS indicators,
       count(*) FILTER (WHERE l.status = '达标') AS met,
       count(*) FILTER (WHERE l.off_target) AS off_target,
       count(*) FILTER (WHERE l.status = '未填报') AS missing
FROM indicator_latest($year, $as_of::DATE, only_project := $project::TEXT) l
WHERE in_scope(l.dept_code, $dept::TEXT)
  AND ($project::TEXT IS NULL OR coalesce(l.project_code, '') = $project::TEXT)
  AND ($level1::TEXT IS NULL OR l.level1 = $level1::TEXT)
  AND ($status::TEXT IS NULL OR l.status = $status::TEXT)
  AND (NOT $off_only::BOOLEAN OR l.off_target)
