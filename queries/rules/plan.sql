-- The plan 资金支出计划 by calendar day, 序时进度, and the fiscal quarters.
-- Temporary macros defined on every connection by monitor.store.db (in the order of RULE_FILES).

-- Plan segments of each project of fiscal year fy, as stored in plan_segments (d0, v0 to the
-- next checkpoint d1, v1; d1 NULL for the last). only_project narrows it to one project.
CREATE OR REPLACE TEMP MACRO plan_of(fy, only_project := NULL) AS TABLE
SELECT project_code, d0, v0, d1, v1
FROM plan_segments
WHERE year = fy AND (only_project IS NULL OR project_code = only_project);


-- Whether day d falls in the segment starting at d0 (and ending before d1).
CREATE OR REPLACE TEMP MACRO in_segment(d, d0, d1) AS d0 <= d AND (d1 IS NULL OR d < d1);


-- Planned cumulative (元) at the end of day d within its segment: linear by calendar day,
-- rounded to the fen.
CREATE OR REPLACE TEMP MACRO planned_value(d, d0, v0, d1, v1) AS
    round(CASE WHEN d1 IS NULL THEN v0
               ELSE v0 + (v1 - v0) * date_diff('day', d0, d) / date_diff('day', d0, d1) END, 2)::DECIMAL(18, 2);


-- 序时进度: the share of fiscal year fy elapsed at the end of day d (0 before, 1 after).
CREATE OR REPLACE TEMP MACRO time_progress(fy, d) AS
    greatest(0, least(1, (date_diff('day', make_date(fy, 1, 1), d) + 1)
                         / (date_diff('day', make_date(fy, 1, 1), make_date(fy + 1, 1, 1)))::DOUBLE));


-- Quarters of fiscal year fy with their first and last day.
CREATE OR REPLACE TEMP MACRO fiscal_quarters(fy) AS TABLE
SELECT q AS quarter, make_date(fy, 3 * q - 2, 1) AS q_start, last_day(make_date(fy, 3 * q, 1)) AS q_end
FROM range(1, 5) t(q);
