-- Planned cumulative disbursement (元) of each project of $year at the end of $as_of.
-- Rule (DESIGN.md): linear by calendar day between checkpoints, 0 on 1 January, flat after
-- the last checkpoint; before 1 January it is 0. Rounded to the fen per project.
WITH points AS (
    SELECT project_code, checkpoint_date AS d, planned_cumulative AS v
    FROM plan_checkpoints
    WHERE year = $year
    UNION ALL
    SELECT project_code, make_date($year, 1, 1), 0
    FROM projects p
    WHERE year = $year
      AND NOT EXISTS (SELECT 1 FROM plan_checkpoints c
                      WHERE c.year = p.year AND c.project_code = p.project_code
                        AND c.checkpoint_date = make_date($year, 1, 1))
), segments AS (
    SELECT project_code, d AS d0, v AS v0,
           lead(d) OVER w AS d1, lead(v) OVER w AS v1
    FROM points
    WINDOW w AS (PARTITION BY project_code ORDER BY d)
)
SELECT p.project_code,
       coalesce(round(CASE WHEN s.d1 IS NULL THEN s.v0
                           ELSE s.v0 + (s.v1 - s.v0) * date_diff('day', s.d0, $as_of::DATE)
                                                     / date_diff('day', s.d0, s.d1)
                      END, 2), 0)::DECIMAL(18, 2) AS planned_cumulative
FROM projects p
LEFT JOIN segments s
       ON s.project_code = p.project_code
      AND s.d0 <= $as_of::DATE
      AND (s.d1 IS NULL OR $as_of::DATE < s.d1)
WHERE p.year = $year
ORDER BY p.project_code
