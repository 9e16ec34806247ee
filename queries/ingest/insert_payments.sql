-- Store the checked payments of an import (registered as the Arrow table `incoming`) as batch $batch_id of year $year.
INSERT INTO payments (year, project_code, paid_on, amount, voucher_no, summary, fund_source, payee, batch_id)
SELECT $year, project_code, paid_on, amount, voucher_no, summary, fund_source, payee, $batch_id
FROM incoming
ORDER BY row
