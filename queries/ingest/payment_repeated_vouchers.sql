-- Rows of an incoming payments file (registered as `incoming`) whose voucher number an earlier
-- row of the same file already has, with that first row.
SELECT row, voucher_no, min(row) OVER (PARTITION BY voucher_no) AS first_row
FROM incoming
WHERE voucher_no IS NOT NULL
QUALIFY row > first_row
ORDER BY row
