-- Disbursement of each project of $year (unit $dept, NULL = all) at the end of $as_of, and a
-- total row (project_code NULL) first, then red, amber and green projects, furthest behind
-- first (rule: project_status_at in queries/rules/disbursement.sql). Status thresholds $amber_pp / $red_pp
-- come from monitor/monitoring.toml.
SELECT * FROM project_status_at($year, $as_of::DATE, $dept::TEXT, $amber_pp, $red_pp)
ORDER BY project_code IS NOT NULL, CASE status WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END, gap_pp, project_code
LIMIT $limit
