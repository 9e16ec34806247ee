-- Headline figures of 总览 for $year, unit $dept (NULL = all units), up to $as_of:
-- project count, total budget, actual spending (payments net of refunds) and execution rate.
WITH scope AS (
    SELECT project_code, budget
    FROM projects
    WHERE year = $year AND ($dept::TEXT IS NULL OR dept_code = $dept::TEXT)
), totals AS (
    SELECT (SELECT count(*) FROM scope) AS projects,
           (SELECT coalesce(sum(budget), 0) FROM scope)::DECIMAL(18, 2) AS budget,
           (SELECT coalesce(sum(amount), 0)
            FROM payments
            WHERE year = $year AND paid_on <= $as_of::DATE
              AND project_code IN (SELECT project_code FROM scope))::DECIMAL(18, 2) AS actual
)
SELECT projects, budget, actual, actual / nullif(budget, 0) AS execution_rate
FROM totals
