-- 支出进度通报: every budget unit 单位 holding projects of $year under $dept (NULL = all), ranked by
-- 执行率 at the end of $as_of (rank 1 = highest; equal rates share a rank), with its plan to date,
-- 序时进度 and the gaps to both (percentage points of the budget), its status by the disbursement
-- rule over its summed figures (thresholds $amber_pp / $red_pp), how many of its projects are red and
-- amber, its rate and rank at $prev_as_of (the previous month end; NULL when that falls before the
-- fiscal year) and its rate at $last_year_as_of in fiscal year $year - 1 (the same day a year
-- earlier; NULL when the unit had no projects then). Then a total row (dept_code NULL) over the
-- same units, with the counts of units by status. Money in 元. Rules: queries/rules/disbursement.sql.
WITH now AS (
    SELECT * FROM project_status_at($year, $as_of::DATE, $dept::TEXT, $amber_pp, $red_pp) WHERE project_code IS NOT NULL
), units AS (
    SELECT dept_code, count(*) AS projects,
           sum(budget) AS budget, sum(planned_cumulative) AS planned, sum(actual_cumulative) AS actual, sum(forecast) AS forecast,
           count(*) FILTER (WHERE status = 'red') AS red_projects, count(*) FILTER (WHERE status = 'amber') AS amber_projects
    FROM now
    GROUP BY dept_code
), before AS (  -- the same units at the previous month end, when it lies in the fiscal year
    SELECT dept_code, sum(actual_cumulative) AS prev_actual, sum(actual_cumulative) / nullif(sum(budget), 0) AS prev_rate
    FROM disbursement_at($year, $prev_as_of::DATE)
    WHERE dept_code IN (SELECT dept_code FROM units) AND $prev_as_of::DATE >= make_date($year, 1, 1)
    GROUP BY dept_code
), last_year AS (
    SELECT dept_code, sum(budget) AS ly_budget, sum(actual_cumulative) AS ly_actual
    FROM disbursement_at($year - 1, $last_year_as_of::DATE)
    WHERE in_scope(dept_code, $dept::TEXT)
    GROUP BY dept_code
), ranked AS (
    SELECT u.*, d.name, up.name AS parent_name,
           u.actual / nullif(u.budget, 0) AS execution_rate,
           rank() OVER (ORDER BY u.actual / nullif(u.budget, 0) DESC NULLS LAST) AS rank,
           b.prev_actual, b.prev_rate,
           CASE WHEN b.prev_rate IS NOT NULL THEN rank() OVER (ORDER BY b.prev_rate DESC NULLS LAST) END AS prev_rank,
           ly.ly_actual / nullif(ly.ly_budget, 0) AS last_year_rate,
           disbursement_status(u.actual, u.planned, u.budget, u.forecast, $amber_pp, $red_pp) AS status,
           disbursement_reason(u.actual, u.planned, u.budget, u.forecast, $amber_pp, $red_pp) AS status_reason
    FROM units u
    JOIN departments d USING (dept_code)
    LEFT JOIN departments up ON up.dept_code = d.parent_code
    LEFT JOIN before b USING (dept_code)
    LEFT JOIN last_year ly USING (dept_code)
), total AS (
    SELECT NULL::TEXT AS dept_code, sum(projects) AS projects, sum(budget) AS budget, sum(planned) AS planned, sum(actual) AS actual,
           sum(forecast) AS forecast, sum(red_projects) AS red_projects, sum(amber_projects) AS amber_projects,
           NULL::TEXT AS name, NULL::TEXT AS parent_name,
           sum(actual) / nullif(sum(budget), 0) AS execution_rate, NULL::BIGINT AS rank,
           sum(prev_actual) AS prev_actual, sum(prev_actual) / nullif(sum(budget), 0) AS prev_rate,
           NULL::BIGINT AS prev_rank,
           (SELECT sum(ly_actual) / nullif(sum(ly_budget), 0) FROM last_year) AS last_year_rate,
           NULL::TEXT AS status, NULL::TEXT AS status_reason,
           count(*) FILTER (WHERE status = 'red') AS red_units,
           count(*) FILTER (WHERE status = 'amber') AS amber_units,
           count(*) FILTER (WHERE status = 'green') AS green_units
    FROM ranked
    HAVING count(*) > 0
)
SELECT dept_code, name, parent_name, rank, projects::BIGINT AS projects,
       budget::DECIMAL(18, 2) AS budget, planned::DECIMAL(18, 2) AS planned, actual::DECIMAL(18, 2) AS actual,
       planned / nullif(budget, 0) AS planned_rate,
       execution_rate,
       time_progress($year, $as_of::DATE) AS time_progress,
       (actual - planned) / nullif(budget, 0) * 100 AS gap_pp,
       (execution_rate - time_progress($year, $as_of::DATE)) * 100 AS time_gap_pp,
       prev_rate, (execution_rate - prev_rate) * 100 AS change_pp, prev_rank,
       last_year_rate, (execution_rate - last_year_rate) * 100 AS last_year_change_pp,
       status, status_reason, red_projects::BIGINT AS red_projects, amber_projects::BIGINT AS amber_projects, red_units, amber_units, green_units
FROM (SELECT *, NULL::BIGINT AS red_units, NULL::BIGINT AS amber_units, NULL::BIGINT AS green_units FROM ranked
      UNION ALL BY NAME
      SELECT * FROM total)
ORDER BY dept_code IS NULL, rank, dept_code
