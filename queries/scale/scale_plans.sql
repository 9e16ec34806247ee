-- Synthetic plan checkpoints of $year: cumulative amounts at the end of month `month`.
INSERT INTO plan_checkpoints (year, project_code, checkpoint_date, planned_cumulative)
SELECT $year, gen_project_code(idx, $units, $year), last_day(make_date($year, month::INTEGER, 1)), gen_fen(fen)
FROM gen
