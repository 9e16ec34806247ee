-- 项目详情: project $project of $year at the end of $as_of in one row: its disbursement and status
-- (project_status_at) and its self-evaluation score with breakdown and grade (scores_at), both
-- computed for this project alone.
SELECT s.*, sc.execution_points, sc.output_points, sc.effect_points, sc.satisfaction_points, sc.score, sc.grade,
       sc.estimate, sc.reporting_rate
FROM project_status_at($year, $as_of::DATE, NULL, $amber_pp, $red_pp, only_project := $project::TEXT) s
JOIN scores_at($year, $as_of::DATE, NULL, only_project := $project::TEXT) sc USING (project_code)
