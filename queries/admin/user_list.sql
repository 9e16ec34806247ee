-- Every user with their role, when they were created, the failed sign-ins in a row and whether they
-- must choose a new password (after a reset or as a new user); never the password hash.
SELECT user_name, role, created_at, failed_attempts, last_failed_at, coalesce(must_change, FALSE) AS must_change
FROM users
ORDER BY user_name
