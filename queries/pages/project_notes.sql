-- The notes on project $project in $year, newest first.
SELECT quarter, note, author, created_at
FROM project_notes
WHERE year = $year AND project_code = $project
ORDER BY created_at DESC, note_id DESC
