-- Every change to the users, newest first: who did what to whom and when.
SELECT change_id, changed_at, by_user, user_name, action, detail
FROM user_changes
ORDER BY change_id DESC
