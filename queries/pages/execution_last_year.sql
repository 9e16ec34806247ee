-- The execution rate of unit $dept (NULL = all) at the end of $as_of in fiscal year $year, for the
-- same day of the previous year shown beside today's (总览, 预算执行): budget and actual cumulative (元)
-- and their ratio; no row when the unit had no projects that year. Rule: disbursement_at.
SELECT sum(budget)::DECIMAL(18, 2) AS budget, sum(actual_cumulative)::DECIMAL(18, 2) AS actual,
       sum(actual_cumulative) / nullif(sum(budget), 0) AS execution_rate
FROM disbursement_at($year, $as_of::DATE)
WHERE in_scope(dept_code, $dept::TEXT)
HAVING count(*) > 0
