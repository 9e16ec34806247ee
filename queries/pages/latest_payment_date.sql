-- The default as-of date: the latest payment of $year (NULL when none yet).
SELECT max(paid_on) FROM payments WHERE year = $year
