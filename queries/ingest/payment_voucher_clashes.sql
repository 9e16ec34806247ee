-- Rows of an incoming payments file (registered as the relation `incoming`) whose voucher
-- number is already stored for fiscal year $year: a voucher is imported once. Rows with an
-- unread date or amount or without a project code are reported for that alone.
SELECT i.row, i.voucher_no, p.batch_id, b.file_name, p.paid_on, p.amount
FROM incoming i
JOIN payments p ON p.year = $year AND p.voucher_no = i.voucher_no
JOIN import_batches b ON b.batch_id = p.batch_id
WHERE i.paid_on IS NOT NULL AND i.amount IS NOT NULL AND i.project_code <> ''
ORDER BY i.row, p.batch_id
