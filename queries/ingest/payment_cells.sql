-- The cells of a payments file (registered as `ledger_cells`: row, and the trimmed text of each
-- column of monitor.ingest.payments.COLUMNS, NULL where the file lacks the column) read as payments in
-- one pass. It accepts what monitor.ingest.payments.parse_date and _amount_in_yuan accept, or less: a
-- cell it does not read gives NULL (so does an empty project code), and the importer then reads
-- the file row by row, which words the problem. The patterns are theirs with ASCII digits only
-- (Python's \d also takes full-width digits). $shift moves the decimal point to 元: 4 for 万元, 0 for 元.
WITH amounts AS (
    SELECT *, regexp_extract(
        replace(replace(replace(regexp_replace(amount, '^[¥￥]+', ''), '−', '-'), '－', '-'), ' ', ''),
        '^([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?$', ['sign', 'whole', 'fraction']
    ) AS number
    FROM ledger_cells
), yuan AS (
    SELECT *,
        replace(number.whole, ',', '') || rpad(number.fraction, $shift, '0') AS yuan_whole,  -- rpad also cuts
        substr(number.fraction, $shift + 1) AS yuan_fraction
    FROM amounts
), dates AS (
    -- every date form rewritten to Y-M-D (each pattern matches whole cells only, and no rewritten cell matches the next)
    SELECT *, regexp_extract(
        regexp_replace(regexp_replace(regexp_replace(paid_on,
            '^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$', '\1-\2-\3'),
            '^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$', '\1-\2-\3'),
            '^([0-9]{4})([0-9]{2})([0-9]{2})$', '\1-\2-\3'),
        '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$', ['y', 'm', 'd']
    ) AS ymd
    FROM yuan
)
SELECT
    row,
    nullif(project_code, '') AS project_code,
    CASE
        WHEN ymd.y NOT IN ('', '0000') THEN try(make_date(ymd.y::INTEGER, ymd.m::INTEGER, ymd.d::INTEGER))
        WHEN regexp_full_match(paid_on, '[0-9]{5}(?:\.[0-9]+)?') THEN DATE '1899-12-30' + trunc(paid_on::DOUBLE)::INTEGER  -- Excel serial
    END AS paid_on,
    CASE
        WHEN number.whole <> ''
            AND regexp_full_match(substr(yuan_fraction, 3), '0*')  -- exact to the fen
            AND length(ltrim(yuan_whole, '0')) <= 16  -- below 10^16 元
            AND NOT regexp_full_match(yuan_whole || yuan_fraction, '0*')  -- not 0
        THEN (number.sign || yuan_whole || '.' || rpad(yuan_fraction, 2, '0'))::DECIMAL(18, 2)
    END AS amount,
    nullif(voucher_no, '') AS voucher_no,
    nullif(summary, '') AS summary,
    nullif(fund_source, '') AS fund_source,
    nullif(payee, '') AS payee
FROM dates
ORDER BY row
