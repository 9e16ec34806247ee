-- Budget and spending to $as_of of each project of $year (unit $dept, NULL = all) split by
-- source of funds, for the 绩效运行监控表. A payment counts against 其他资金 when its
-- fund_source names it (starts with 其他, 自有 or 非财政); otherwise against 财政资金.
WITH paid AS (
    SELECT project_code,
           sum(amount) FILTER (WHERE NOT coalesce(regexp_matches(fund_source, '^(其他|自有|非财政)'), FALSE)) AS fiscal_actual,
           sum(amount) FILTER (WHERE coalesce(regexp_matches(fund_source, '^(其他|自有|非财政)'), FALSE)) AS other_actual
    FROM payments
    WHERE year = $year AND paid_on <= $as_of::DATE
    GROUP BY project_code
)
SELECT p.project_code, p.name, p.dept_code, d.name AS dept_name, coalesce(parent.name, d.name) AS supervisor_name,
       p.fiscal_funds, p.other_funds, p.budget,
       coalesce(paid.fiscal_actual, 0)::DECIMAL(18, 2) AS fiscal_actual,
       coalesce(paid.other_actual, 0)::DECIMAL(18, 2) AS other_actual,
       (coalesce(paid.fiscal_actual, 0) + coalesce(paid.other_actual, 0))::DECIMAL(18, 2) AS actual
FROM projects p
JOIN departments d USING (dept_code)
LEFT JOIN departments parent ON parent.dept_code = d.parent_code
LEFT JOIN paid USING (project_code)
WHERE p.year = $year AND in_scope(p.dept_code, $dept::TEXT)
ORDER BY p.budget DESC, p.project_code
