-- Every unit of every monitoring task of $year (unit $dept, NULL = all) with its state (the
-- latest transition: none = 未填报, submit = 已提交, return = 已退回, approve = 已终审), days
-- to the deadline counted from $today while the unit still has to submit (NULL once submitted:
-- a countdown of a finished step means nothing), and whether it is overdue (not submitted in time).
WITH latest AS (
    SELECT task_id, dept_code,
           arg_max_null(action, transition_id) AS state,
           arg_max_null(reason, transition_id) AS reason,
           arg_max_null(by_user, transition_id) AS by_user,
           max(acted_at) AS acted_at
    FROM round_transitions
    GROUP BY task_id, dept_code
)
SELECT t.task_id, t.title, t.period_end, t.deadline, u.dept_code, d.name AS dept_name,
       coalesce(l.state, 'none') AS state, l.reason, l.by_user, l.acted_at,
       CASE WHEN coalesce(l.state, 'none') IN ('none', 'return') THEN t.deadline - $today::DATE END AS days_left,
       coalesce(l.state, 'none') IN ('none', 'return') AND t.deadline < $today::DATE AS overdue
FROM round_tasks t
JOIN round_units u USING (task_id)
JOIN departments d USING (dept_code)
LEFT JOIN latest l USING (task_id, dept_code)
WHERE t.year = $year AND in_scope(u.dept_code, $dept::TEXT)
ORDER BY t.deadline DESC, t.task_id DESC, u.dept_code
