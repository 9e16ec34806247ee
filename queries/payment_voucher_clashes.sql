-- Rows of an incoming payments file (registered as the relation `incoming`) whose voucher
-- number is already stored for fiscal year $year: a voucher is imported once.
SELECT i.row, i.voucher_no, p.batch_id, b.file_name, p.paid_on, p.amount
FROM incoming i
JOIN payments p ON p.year = $year AND p.voucher_no = i.voucher_no
JOIN import_batches b ON b.batch_id = p.batch_id
ORDER BY i.row, p.batch_id
