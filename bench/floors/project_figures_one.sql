-- One project's disbursement to date and by quarter, and its indicator points, read directly
-- (the status and score of 项目详情).
WITH pay AS (
    SELECT sum(amount) AS actual,
           sum(amount) FILTER (WHERE quarter(paid_on) = 1) AS a1, sum(amount) FILTER (WHERE quarter(paid_on) = 2) AS a2,
           sum(amount) FILTER (WHERE quarter(paid_on) = 3) AS a3, sum(amount) FILTER (WHERE quarter(paid_on) = 4) AS a4
    FROM payments WHERE year = $year AND project_code = $project AND paid_on <= $as_of
), plan AS (
    SELECT sum(planned_value($as_of, d0, v0, d1, v1)) FILTER (WHERE in_segment($as_of, d0, d1)) AS planned,
           sum(planned_value(make_date($year, 3, 31), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 3, 31), d0, d1)) AS p1,
           sum(planned_value(make_date($year, 6, 30), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 6, 30), d0, d1)) AS p2,
           sum(planned_value(make_date($year, 9, 30), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 9, 30), d0, d1)) AS p3,
           sum(planned_value(make_date($year, 12, 31), d0, v0, d1, v1)) FILTER (WHERE in_segment(make_date($year, 12, 31), d0, d1)) AS p4
    FROM plan_of($year, only_project := $project) WHERE project_code = $project
), ind AS (
    SELECT 90 * sum(attainment * CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n)
              / sum(CASE level1 WHEN '产出指标' THEN 50 WHEN '效益指标' THEN 30 ELSE 10 END / n) AS ind_points
    FROM (SELECT *, count(*) OVER (PARTITION BY level1) AS n FROM indicator_latest($year, $as_of, only_project := $project))
)
SELECT * FROM pay, plan, ind
