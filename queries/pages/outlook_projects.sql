-- The inputs of the year-end outlook (monitor.rules.outlook) for fiscal year $year at the end of
-- $as_of: each project of $year and of every earlier year with its unit, budget and payments (元)
-- up to the same month-day of its own year (paid_by; 29 February is 28 February in other years),
-- and for the earlier years the whole year's payments (paid_total; NULL for $year, not over yet).
-- Payments of $year after $as_of are never read.
WITH cuts AS (
    SELECT DISTINCT year,
           least(make_date(year, month($as_of::DATE), 1) + (day($as_of::DATE) - 1)::INTEGER,
                 last_day(make_date(year, month($as_of::DATE), 1))) AS cut
    FROM projects
    WHERE year <= $year
)
SELECT p.year, p.dept_code, p.project_code, p.budget::DOUBLE AS budget,
       coalesce(sum(pa.amount) FILTER (WHERE pa.paid_on <= c.cut), 0)::DOUBLE AS paid_by,
       CASE WHEN p.year < $year THEN coalesce(sum(pa.amount), 0)::DOUBLE END AS paid_total
FROM projects p
JOIN cuts c USING (year)
LEFT JOIN payments pa ON pa.year = p.year AND pa.project_code = p.project_code AND (p.year < $year OR pa.paid_on <= $as_of::DATE)
WHERE p.year <= $year
GROUP BY p.year, p.dept_code, p.project_code, p.budget, c.cut
ORDER BY p.year, p.project_code
