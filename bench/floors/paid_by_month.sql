-- Payments from 财政拨款 by month, of the year's projects (as the page counts them: a payment
-- booked to a code the year's targets no longer hold is not counted).
SELECT month(paid_on), sum(amount) FROM payments
WHERE year = $year AND paid_on <= $as_of AND fund_source = '财政拨款'
  AND project_code IN (SELECT project_code FROM projects WHERE year = $year)
GROUP BY 1
