-- The 总览 headline for $year, unit $dept (NULL = all), at $as_of, in one row and without pulling
-- the projects or indicators out: totals (元), 序时进度, how many projects need attention (amber or
-- red by the status rule), how many indicators there are, off target, met and not reported
-- (department-wide ones included), and the department's self-evaluation score with what it hides:
-- whether it is an estimate, the 填报率, the plain mean, projects per grade and the lowest project.
-- One pass of the score rule (scores_at) gives every figure.
WITH s AS (
    SELECT * FROM scores_at($year, $as_of::DATE, $dept::TEXT)
), department AS (
    SELECT * FROM s WHERE project_code IS NULL
)
SELECT count(*) AS projects,
       any_value(d.budget)::DECIMAL(18, 2) AS budget,
       any_value(d.planned_cumulative)::DECIMAL(18, 2) AS planned,
       any_value(d.actual_cumulative)::DECIMAL(18, 2) AS actual,
       any_value(d.actual_cumulative) / nullif(any_value(d.budget), 0) AS execution_rate,
       time_progress($year, $as_of::DATE) AS time_progress,
       (any_value(d.actual_cumulative) - any_value(d.planned_cumulative)) / nullif(any_value(d.budget), 0) * 100 AS gap_pp,
       count(*) FILTER (WHERE disbursement_status(p.actual_cumulative, p.planned_cumulative, p.budget, p.forecast, $amber_pp, $red_pp)
                              <> 'green') AS behind,
       any_value(d.indicators) AS indicators,
       any_value(d.off_target) AS off_target,
       any_value(d.met) AS met,
       any_value(d.missing) AS missing,
       any_value(d.score) AS score,
       any_value(d.grade) AS grade,
       any_value(d.estimate) AS estimate,
       any_value(d.reporting_rate) AS reporting_rate,
       any_value(d.mean_score) AS mean_score,
       any_value(d.grade_excellent) AS grade_excellent,
       any_value(d.grade_good) AS grade_good,
       any_value(d.grade_fair) AS grade_fair,
       any_value(d.grade_poor) AS grade_poor,
       any_value(d.lowest_project) AS lowest_project,
       any_value(d.lowest_score) AS lowest_score
FROM s p, department d
WHERE p.project_code IS NOT NULL
