-- Add ($sign = 1) or take out ($sign = -1) the payments of batch $batch_id to or from the
-- monthly totals (monitor.payment_months).
INSERT INTO payment_months
SELECT year, project_code, date_trunc('month', paid_on)::DATE AS month, $sign * sum(amount), $sign * count(*)
FROM payments
WHERE batch_id = $batch_id
GROUP BY ALL
ON CONFLICT (year, project_code, month) DO UPDATE
SET amount = payment_months.amount + excluded.amount, payments = payment_months.payments + excluded.payments
