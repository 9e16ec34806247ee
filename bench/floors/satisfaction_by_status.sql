-- 满意度 indicators by status.
SELECT status, count(*) FROM indicator_latest($year, $as_of) WHERE level1 = '满意度指标' GROUP BY 1
