-- Planned cumulative disbursement (元) of each project of $year at the end of $as_of
-- (rule: planned_value in queries/rules/plan.sql; 0 before 1 January).
SELECT project_code, planned_cumulative::DECIMAL(18, 2) AS planned_cumulative
FROM disbursement_at($year, $as_of::DATE)
ORDER BY project_code
