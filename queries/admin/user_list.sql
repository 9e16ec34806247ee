-- Every user with their role, the unit whose data they may change (NULL: every unit) and its name,
-- when they were created, the failed sign-ins in a row and whether they must choose a new password
-- (after a reset or as a new user); never the password hash.
SELECT u.user_name, u.role, u.scope_code, d.name AS scope_name, u.created_at, u.failed_attempts, u.last_failed_at,
       coalesce(u.must_change, FALSE) AS must_change
FROM users u
LEFT JOIN departments d ON d.dept_code = u.scope_code
ORDER BY u.user_name
