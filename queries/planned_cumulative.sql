-- Planned cumulative disbursement (元) of each project of $year at the end of $as_of
-- (rule: queries/rules.sql; 0 before 1 January).
SELECT p.project_code,
       coalesce(planned_value($as_of::DATE, s.d0, s.v0, s.d1, s.v1), 0)::DECIMAL(18, 2) AS planned_cumulative
FROM projects p
LEFT JOIN plan_segments($year) s
       ON s.project_code = p.project_code AND in_segment($as_of::DATE, s.d0, s.d1)
WHERE p.year = $year
ORDER BY p.project_code
