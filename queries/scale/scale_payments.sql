-- Synthetic payments of $year (day = days after 1 January; refunds negative), in date order as
-- monthly ledger imports would store them.
INSERT INTO payments (year, project_code, paid_on, amount, voucher_no, summary, fund_source, payee, batch_id)
SELECT $year, gen_project_code(idx, $units, $year), make_date($year, 1, 1) + day::INTEGER, gen_fen(fen),
       'PZ' || $year || '-' || lpad((seq + 1)::TEXT, 8, '0'),
       CASE WHEN refund THEN '退回' ELSE '支付' END
       || ['劳务费', '设备购置费', '培训费', '差旅费', '材料费', '委托业务费', '印刷费', '工程款', '补助发放', '会议费'][kind + 1],
       CASE WHEN other_funds THEN '其他资金' ELSE '财政拨款' END,
       '收款单位' || lpad(payee::TEXT, 4, '0'),
       $batch
FROM gen
