-- Projects × 二级指标 of $year (unit $dept, NULL = all) at $as_of for the 绩效指标 heatmap, over the
-- indicators passing the page's filters ($project, $level1, $status, $off_only; indicator_passes,
-- as in indicator_status.sql):
-- indicators per cell, how many are met, and the worst state in the cell (2 = off target,
-- 1 = not reported or qualitative, 0 = all met). Only the $limit projects with the most
-- off-target indicators are kept: a heatmap of a whole province would be unreadable.
WITH cells AS (
    SELECT l.project_code, coalesce(p.name, dept_wide_level1()) AS project_name, l.level2,
           count(*) AS indicators,
           count(*) FILTER (WHERE l.status = '达标') AS met,
           count(*) FILTER (WHERE l.off_target) AS off_target,
           max(CASE WHEN l.off_target THEN 2 WHEN l.status IN ('未填报', '定性待评') THEN 1 ELSE 0 END) AS worst,
           min(l.seq) AS first_seq  -- columns follow the order of the targets table
    FROM indicator_latest($year, $as_of::DATE, only_project := $project::TEXT) l
    LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
    WHERE l.project_code IS NOT NULL AND in_scope(l.dept_code, $dept::TEXT)
      AND indicator_passes(l.project_code, l.level1, l.status, l.off_target, $project::TEXT, $level1::TEXT, $status::TEXT, $off_only::BOOLEAN)
    GROUP BY ALL
), shown AS (
    SELECT project_code FROM cells GROUP BY project_code ORDER BY sum(off_target) DESC, project_code LIMIT $limit
)
SELECT project_name, level2, indicators, met, off_target, worst, first_seq
FROM cells
WHERE project_code IN (SELECT project_code FROM shown)
ORDER BY project_name, first_seq
