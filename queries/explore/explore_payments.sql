-- 即席查询, subject 支付明细: every payment (元, refunds negative) of $year up to $as_of for the
-- projects of unit $dept (NULL = all), with its month and quarter.
SELECT p.dept_code, d.name AS dept_name, pay.project_code, p.name, pay.paid_on,
       month(pay.paid_on) AS month, quarter(pay.paid_on) AS quarter, pay.amount,
       pay.fund_source, pay.payee, pay.summary, pay.voucher_no
FROM payments pay
JOIN projects p ON p.year = pay.year AND p.project_code = pay.project_code
LEFT JOIN departments d ON d.dept_code = p.dept_code
WHERE pay.year = $year AND pay.paid_on <= $as_of::DATE AND in_scope(p.dept_code, $dept::TEXT)
