-- Every step of unit $dept in task $task, oldest first: who did what and when.
SELECT transition_id, action, reason, snapshot_id, by_user, acted_at
FROM round_transitions
WHERE task_id = $task AND dept_code = $dept
ORDER BY transition_id
