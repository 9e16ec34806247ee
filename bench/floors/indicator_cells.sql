-- Project × 二级指标 cells: indicators, met, off target.
SELECT project_code, level2, count(*), count(*) FILTER (WHERE status = '达标'), count(*) FILTER (WHERE off_target)
FROM indicator_latest($year, $as_of) GROUP BY ALL
