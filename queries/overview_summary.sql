-- The 总览 headline for $year, unit $dept (NULL = all), at $as_of, in one row and without
-- pulling the projects or indicators out: totals (元), 序时进度, how many projects are behind
-- plan (amber or red by the status rule) and how many indicators there are, off target, met
-- and not reported.
WITH d AS (
    SELECT * FROM disbursement_at($year, $as_of::DATE)
    WHERE $dept::TEXT IS NULL OR dept_code = $dept::TEXT
), i AS (
    SELECT count(*) AS indicators, count(*) FILTER (WHERE off_target) AS off_target,
           count(*) FILTER (WHERE status = '达标') AS met, count(*) FILTER (WHERE status = '未填报') AS missing
    FROM indicator_latest($year, $as_of::DATE)
    WHERE $dept::TEXT IS NULL OR dept_code = $dept::TEXT
)
SELECT count(*) AS projects,
       sum(budget)::DECIMAL(18, 2) AS budget,
       sum(planned_cumulative)::DECIMAL(18, 2) AS planned,
       sum(actual_cumulative)::DECIMAL(18, 2) AS actual,
       sum(actual_cumulative) / nullif(sum(budget), 0) AS execution_rate,
       time_progress($year, $as_of::DATE) AS time_progress,
       (sum(actual_cumulative) - sum(planned_cumulative)) / nullif(sum(budget), 0) * 100 AS gap_pp,
       count(*) FILTER (WHERE disbursement_status(actual_cumulative, planned_cumulative, budget, $amber_pp, $red_pp) <> 'green') AS behind,
       any_value(i.indicators) AS indicators,
       any_value(i.off_target) AS off_target,
       any_value(i.met) AS met,
       any_value(i.missing) AS missing
FROM d, i
