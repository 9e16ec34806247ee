-- Budget and actual spending to $as_of per project of $year and unit $dept (NULL = all).
SELECT p.project_code, p.name, p.budget,
       coalesce(sum(pay.amount), 0)::DECIMAL(18, 2) AS actual,
       coalesce(sum(pay.amount), 0) / p.budget AS execution_rate
FROM projects p
LEFT JOIN payments pay
       ON pay.year = p.year AND pay.project_code = p.project_code AND pay.paid_on <= $as_of::DATE
WHERE p.year = $year AND ($dept::TEXT IS NULL OR p.dept_code = $dept::TEXT)
GROUP BY p.project_code, p.name, p.budget
ORDER BY p.budget DESC, p.project_code
