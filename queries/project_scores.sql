-- Self-evaluation score (自评) of each project of $year (unit $dept, NULL = all) at $as_of,
-- with its breakdown, and a department row (project_code NULL, budget-weighted mean):
--   budget execution 10 points: actual / planned to date, capped at 1 (at year end, when the
--     plan has reached the budget, this is 执行率 × 10; nothing planned yet counts as full);
--   indicators 90 points: 产出指标 50, 效益指标 30, 满意度指标 10, each split over its
--     indicators by weight (equal when none is given); an indicator earns its share times its
--     attainment (1 when met or 定性待评, 0 when 未填报, proportional when an unmet number).
--     A project without indicators in a level has the other levels scaled up to 90.
WITH levels AS (
    SELECT * FROM (VALUES ('产出指标', 50.0), ('效益指标', 30.0), ('满意度指标', 10.0)) v(level1, points)
), ind AS (
    SELECT l.project_code, l.level1, l.attainment, coalesce(i.weight, 1.0) AS weight
    FROM indicator_latest($year, $as_of::DATE) l
    JOIN indicators i ON i.year = $year AND i.indicator_id = l.indicator_id
), per_level AS (
    SELECT ind.project_code, ind.level1, any_value(levels.points) AS points,
           any_value(levels.points) * sum(ind.attainment * ind.weight) / sum(ind.weight) AS earned
    FROM ind
    JOIN levels USING (level1)
    GROUP BY ind.project_code, ind.level1
), indicator_points AS (
    SELECT project_code,
           sum(earned) FILTER (WHERE level1 = '产出指标') AS output_points,
           sum(earned) FILTER (WHERE level1 = '效益指标') AS effect_points,
           sum(earned) FILTER (WHERE level1 = '满意度指标') AS satisfaction_points,
           sum(earned) * 90 / sum(points) AS indicator_points
    FROM per_level
    GROUP BY project_code
), projects_scored AS (
    SELECT d.dept_code, d.project_code, d.name, d.budget,
           10 * CASE WHEN d.planned_cumulative > 0 THEN least(1.0, d.actual_cumulative / d.planned_cumulative) ELSE 1.0 END
               AS execution_points,
           p.output_points, p.effect_points, p.satisfaction_points, coalesce(p.indicator_points, 0) AS indicator_points
    FROM disbursement_at($year, $as_of::DATE) d
    LEFT JOIN indicator_points p USING (project_code)
    WHERE $dept::TEXT IS NULL OR d.dept_code = $dept::TEXT
), scored AS (
    SELECT *, execution_points + indicator_points AS score FROM projects_scored
), with_total AS (
    SELECT dept_code, project_code, name, budget, execution_points, output_points, effect_points, satisfaction_points, score
    FROM scored
    UNION ALL
    SELECT NULL, NULL, NULL, sum(budget),
           sum(execution_points * budget) / sum(budget), sum(output_points * budget) / sum(budget),
           sum(effect_points * budget) / sum(budget), sum(satisfaction_points * budget) / sum(budget),
           sum(score * budget) / sum(budget)
    FROM scored
    HAVING count(*) > 0
)
SELECT *, grade(score) AS grade
FROM with_total
ORDER BY project_code IS NOT NULL, score, project_code
