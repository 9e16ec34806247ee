-- Rows of an incoming payments file (registered as `incoming`) that look like stored payments of
-- year $year: same project, date and amount, and the same voucher when both rows have one, else
-- the same summary (both empty counts as the same). Shown as warnings the user confirms.
SELECT i.row, p.batch_id, b.file_name, p.voucher_no, p.summary
FROM incoming i
JOIN payments p
  ON p.year = $year AND p.project_code = i.project_code AND p.paid_on = i.paid_on AND p.amount = i.amount
JOIN import_batches b ON b.batch_id = p.batch_id
WHERE i.project_code <> ''  -- (an unread date or amount matches nothing)
  AND CASE
    WHEN coalesce(i.voucher_no, '') <> '' AND coalesce(p.voucher_no, '') <> '' THEN i.voucher_no = p.voucher_no
    ELSE coalesce(i.summary, '') = coalesce(p.summary, '')
END
ORDER BY i.row, p.batch_id
