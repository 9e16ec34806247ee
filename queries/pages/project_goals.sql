-- The numbered 绩效目标 of project $project in $year.
SELECT seq, goal FROM project_goals WHERE year = $year AND project_code = $project ORDER BY seq
