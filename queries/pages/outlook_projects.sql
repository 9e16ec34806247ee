-- The inputs of the year-end outlook (monitor.rules.outlook) for fiscal year $year at the end of
-- $as_of: each project of $year and of every earlier year with its unit, budget and payments (元)
-- up to the same month-day of its own year (paid_by; 29 February is 28 February in other years),
-- and for the earlier years the whole year's payments (paid_total; NULL for $year, not over yet).
-- Payments of $year after $as_of are never read. in_scope: the project's unit is under $dept (NULL =
-- all); every unit is returned, since the model learns its peers and the year's pace from all of them.
WITH cuts AS (
    SELECT DISTINCT year,
           least(make_date(year, month($as_of::DATE), 1) + (day($as_of::DATE) - 1)::INTEGER,
                 last_day(make_date(year, month($as_of::DATE), 1))) AS cut
    FROM projects
    WHERE year <= $year
)
SELECT p.year, p.dept_code, p.project_code, p.name, p.budget::DOUBLE AS budget,
       in_scope(p.dept_code, $dept::TEXT) AS in_scope,
       coalesce(sum(pa.amount) FILTER (WHERE pa.paid_on <= c.cut), 0)::DOUBLE AS paid_by,
       CASE WHEN p.year < $year THEN coalesce(sum(pa.amount), 0)::DOUBLE END AS paid_total
FROM projects p
JOIN cuts c USING (year)
LEFT JOIN payments pa ON pa.year = p.year AND pa.project_code = p.project_code AND (p.year < $year OR pa.paid_on <= $as_of::DATE)
WHERE p.year <= $year
GROUP BY p.year, p.dept_code, p.project_code, p.name, p.budget, c.cut
ORDER BY p.year, p.project_code
