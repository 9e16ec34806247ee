-- The headline of 总览 and 绩效指标 for $year, unit $dept (NULL = all), at $as_of, in one row and
-- without pulling the projects or indicators out: totals (元), 序时进度, how many projects are
-- behind plan (amber or red by the status rule), how many indicators there are, off target, met
-- and not reported (department-wide ones included), and the department's self-evaluation score
-- and grade. One pass of the score rule (scores_at) gives all project figures.
WITH s AS (
    SELECT * FROM scores_at($year, $as_of::DATE, $dept::TEXT)
), dept_wide AS (  -- the department-wide indicators, outside any project's score
    SELECT count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off_target,
           count(*) FILTER (WHERE status = '达标') AS met, count(*) FILTER (WHERE status = '未填报') AS missing
    FROM indicator_latest($year, $as_of::DATE, only_project := '')
    WHERE in_scope(dept_code, $dept::TEXT)
), projects AS (
    SELECT count(*) AS projects,
           sum(budget)::DECIMAL(18, 2) AS budget,
           sum(planned_cumulative)::DECIMAL(18, 2) AS planned,
           sum(actual_cumulative)::DECIMAL(18, 2) AS actual,
           count(*) FILTER (WHERE disbursement_status(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) <> 'green')
               AS behind,
           coalesce(sum(indicators), 0) AS indicators, coalesce(sum(off_target), 0) AS off_target,
           coalesce(sum(met), 0) AS met, coalesce(sum(missing), 0) AS missing
    FROM s
    WHERE project_code IS NOT NULL
)
SELECT p.projects, p.budget, p.planned, p.actual,
       p.actual / nullif(p.budget, 0) AS execution_rate,
       time_progress($year, $as_of::DATE) AS time_progress,
       (p.actual - p.planned) / nullif(p.budget, 0) * 100 AS gap_pp,
       p.behind,
       p.indicators + w.indicators AS indicators,
       p.off_target + w.off_target AS off_target,
       p.met + w.met AS met,
       p.missing + w.missing AS missing,
       (SELECT score FROM s WHERE project_code IS NULL) AS score,
       (SELECT grade FROM s WHERE project_code IS NULL) AS grade
FROM projects p, dept_wide w
