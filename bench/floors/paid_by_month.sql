-- Payments from 财政拨款 by month.
SELECT month(paid_on), sum(amount) FROM payments
WHERE year = $year AND paid_on <= $as_of AND fund_source = '财政拨款' GROUP BY 1
