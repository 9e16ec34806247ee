-- The 绩效指标 cards: how many indicators of $year (unit $dept, NULL = all) at $as_of pass the
-- page's filters ($project, '' = department-wide only; $level1; $status; $off_only), how many of
-- them are met, off target and not reported. The same filters as indicator_status.sql (indicator_passes).
SELECT count(*) AS indicators,
       count(*) FILTER (WHERE l.status = '达标') AS met,
       count(*) FILTER (WHERE l.off_target) AS off_target,
       count(*) FILTER (WHERE l.status = '未填报') AS missing
FROM indicator_latest($year, $as_of::DATE, only_project := $project::TEXT) l
WHERE in_scope(l.dept_code, $dept::TEXT)
  AND indicator_passes(l.project_code, l.level1, l.status, l.off_target, $project::TEXT, $level1::TEXT, $status::TEXT, $off_only::BOOLEAN)
