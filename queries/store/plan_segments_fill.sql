-- Build the plan segments (queries/schema.sql: plan_segments) of fiscal year $year (NULL: every year)
-- from plan_checkpoints: each project's plan from one checkpoint (d0, v0) to the next (d1, v1),
-- starting from 0 at the end of 31 December of the year before, so that every segment counts days
-- the same way (at the end of 15 February a plan of 217,500 at 3月底 stands at 217,500 × 46/90);
-- the last segment has d1 NULL (flat afterwards). monitor.store.plan_segments runs it after every
-- write of plan checkpoints, in the same transaction.
INSERT INTO plan_segments
WITH points AS (
    SELECT year, project_code, checkpoint_date AS d, planned_cumulative AS v
    FROM plan_checkpoints
    WHERE $year::INTEGER IS NULL OR year = $year::INTEGER
    UNION ALL
    SELECT year, project_code, make_date(year - 1, 12, 31), 0
    FROM projects
    WHERE $year::INTEGER IS NULL OR year = $year::INTEGER
)
SELECT year, project_code, d AS d0, v AS v0, lead(d) OVER w AS d1, lead(v) OVER w AS v1
FROM points
WINDOW w AS (PARTITION BY year, project_code ORDER BY d)
