-- Rectification records (整改) of $year's tasks, unit $dept (NULL = all), task $task (NULL = all);
-- $open_only keeps those needing rectification and not yet closed. Oldest due date first.
SELECT r.rect_id, r.task_id, t.title, r.dept_code, d.name AS dept_name, r.project_code, p.name AS project_name,
       r.indicator_id, r.issue, r.needed, r.requirement, r.due, r.created_by, r.created_at,
       r.result, r.closed_by, r.closed_at, r.closed_at IS NULL AND r.needed AS open
FROM rectifications r
JOIN round_tasks t USING (task_id)
JOIN departments d ON d.dept_code = r.dept_code
LEFT JOIN projects p ON p.year = t.year AND p.project_code = r.project_code
WHERE t.year = $year
  AND in_scope(r.dept_code, $dept::TEXT)
  AND ($task::INTEGER IS NULL OR r.task_id = $task::INTEGER)
  AND (NOT $open_only::BOOLEAN OR (r.closed_at IS NULL AND r.needed))
ORDER BY r.closed_at IS NOT NULL, r.due NULLS LAST, r.rect_id
