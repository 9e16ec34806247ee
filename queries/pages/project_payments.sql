-- The payments of project $project in $year up to $as_of, newest first.
SELECT paid_on, amount, voucher_no, summary, fund_source, payee, batch_id
FROM payments
WHERE year = $year AND project_code = $project AND paid_on <= $as_of::DATE
ORDER BY paid_on DESC, payment_id DESC
