-- One project's payments to date, newest first.
SELECT paid_on, amount, voucher_no, summary, fund_source, payee
FROM payments WHERE year = $year AND project_code = $project AND paid_on <= $as_of
ORDER BY paid_on DESC
