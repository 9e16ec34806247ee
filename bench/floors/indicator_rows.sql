-- Every indicator with its latest actual and judgement (same rule macro as the page).
SELECT l.*, p.name
FROM indicator_latest($year, $as_of) l LEFT JOIN projects p ON p.year = $year AND p.project_code = l.project_code
