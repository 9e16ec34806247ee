-- Monitoring rules shared by the named queries (DESIGN.md, "Monitoring rules"), defined as
-- temporary macros on every connection (read-only ones too) by monitor.db.connect. Each rule
-- is defined once here and used by every query that needs it.

-- Plan segments of each project of fiscal year fy: from one checkpoint (d0, v0) to the next
-- (d1, v1), starting from 0 on 1 January; the last segment has d1 NULL (flat afterwards).
CREATE OR REPLACE TEMP MACRO plan_segments(fy) AS TABLE
WITH points AS (
    SELECT project_code, checkpoint_date AS d, planned_cumulative AS v
    FROM plan_checkpoints
    WHERE year = fy
    UNION ALL
    SELECT project_code, make_date(fy, 1, 1), 0
    FROM projects p
    WHERE year = fy
      AND NOT EXISTS (SELECT 1 FROM plan_checkpoints c
                      WHERE c.year = p.year AND c.project_code = p.project_code
                        AND c.checkpoint_date = make_date(fy, 1, 1))
)
SELECT project_code, d AS d0, v AS v0, lead(d) OVER w AS d1, lead(v) OVER w AS v1
FROM points
WINDOW w AS (PARTITION BY project_code ORDER BY d);

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

-- Each project of fiscal year fy at the end of day as_of: budget, planned cumulative, planned
-- total (the last checkpoint; checkpoints are cumulative) and actual cumulative (元).
CREATE OR REPLACE TEMP MACRO disbursement_at(fy, as_of) AS TABLE
SELECT p.dept_code, p.project_code, p.name, p.budget,
       coalesce(pl.planned_cumulative, 0) AS planned_cumulative,
       coalesce(t.planned_total, 0) AS planned_total,
       coalesce(a.actual_cumulative, 0) AS actual_cumulative
FROM projects p
LEFT JOIN (SELECT project_code, planned_value(as_of, d0, v0, d1, v1) AS planned_cumulative
           FROM plan_segments(fy) WHERE in_segment(as_of, d0, d1)) pl USING (project_code)
LEFT JOIN (SELECT project_code, max(planned_cumulative) AS planned_total
           FROM plan_checkpoints WHERE year = fy GROUP BY project_code) t USING (project_code)
LEFT JOIN (SELECT project_code, sum(amount) AS actual_cumulative
           FROM payments WHERE year = fy AND paid_on <= as_of GROUP BY project_code) a USING (project_code)
WHERE p.year = fy;

-- Quarters of fiscal year fy with their first and last day.
CREATE OR REPLACE TEMP MACRO fiscal_quarters(fy) AS TABLE
SELECT q AS quarter, make_date(fy, 3 * q - 2, 1) AS q_start, last_day(make_date(fy, 3 * q, 1)) AS q_end
FROM range(1, 5) t(q);

-- Whether an actual value meets a quantitative target (values in the indicator's unit).
CREATE OR REPLACE TEMP MACRO target_met(op, actual, target) AS
    CASE op WHEN '>=' THEN actual >= target WHEN '>' THEN actual > target
            WHEN '<=' THEN actual <= target WHEN '<' THEN actual < target
            WHEN '=' THEN actual = target END;

-- Distance to the target, signed so that worse is negative (0 exactly on a >= / <= target).
CREATE OR REPLACE TEMP MACRO target_gap(op, actual, target) AS
    CASE WHEN op IN ('>=', '>') THEN actual - target
         WHEN op IN ('<=', '<') THEN target - actual
         WHEN op = '=' THEN -abs(actual - target) END;

-- Share of a quantitative target reached, 0..1, for the proportional credit of the score.
CREATE OR REPLACE TEMP MACRO attainment(op, actual, target) AS
    CASE WHEN target_met(op, actual, target) THEN 1.0
         WHEN op IN ('>=', '>') THEN greatest(0.0, least(1.0, actual / nullif(target, 0)))
         WHEN op IN ('<=', '<') THEN greatest(0.0, least(1.0, target / nullif(actual, 0)))
         WHEN op = '=' THEN greatest(0.0, 1.0 - abs(actual - target) / nullif(abs(target), 0)) END;

-- Every indicator of fiscal year fy (project indicators and department-wide ones, the latter
-- with project_code NULL and level1 部门整体指标) with its latest actual up to the end of day
-- as_of (latest period, then latest batch), its status (达标 / 未达标 / 未填报 / 定性待评),
-- whether it is off target (fails its target, or reported 有可能 / 完全不可能 to be completed),
-- the signed gap and the attainment used for scoring.
CREATE OR REPLACE TEMP MACRO indicator_latest(fy, as_of) AS TABLE
WITH targets AS (
    SELECT p.dept_code, i.project_code, i.indicator_id, i.seq, i.level1, i.level2, i.level3, i.description,
           i.target_text, i.op, i.target_value, i.unit
    FROM indicators i
    JOIN projects p USING (year, project_code)
    WHERE i.year = fy
    UNION ALL
    SELECT dept_code, NULL, indicator_id, seq, '部门整体指标', coalesce(source, ''), description, description,
           target_text, op, target_value, unit
    FROM dept_indicators
    WHERE year = fy
), latest AS (
    SELECT indicator_id,
           max_by(struct_pack(period_end, actual_value, actual_text, likelihood, reason, reason_detail, corrective_action),
                  (period_end, batch_id)) AS a
    FROM indicator_actuals
    WHERE year = fy AND period_end <= as_of
    GROUP BY indicator_id
), judged AS (
    SELECT t.*, l.a.period_end, l.a.actual_value, l.a.actual_text, l.a.likelihood, l.a.reason, l.a.reason_detail,
           l.a.corrective_action,
           CASE WHEN t.op = 'qual' AND (l.a.actual_text IS NOT NULL OR l.a.actual_value IS NOT NULL) THEN '定性待评'
                WHEN l.a.actual_value IS NULL THEN '未填报'
                WHEN target_met(t.op, l.a.actual_value, t.target_value) THEN '达标'
                ELSE '未达标' END AS status
    FROM targets t
    LEFT JOIN latest l USING (indicator_id)
)
SELECT *,
       status = '未达标' OR coalesce(likelihood IN ('有可能', '完全不可能'), FALSE) AS off_target,
       CASE WHEN status IN ('达标', '未达标') THEN target_gap(op, actual_value, target_value) END AS gap,
       CASE status WHEN '达标' THEN 1.0 WHEN '定性待评' THEN 1.0 WHEN '未填报' THEN 0.0
                   ELSE attainment(op, actual_value, target_value) END AS attainment
FROM judged;

-- Self-evaluation grade of a score out of 100.
CREATE OR REPLACE TEMP MACRO grade(score) AS
    CASE WHEN score >= 90 THEN '优' WHEN score >= 80 THEN '良' WHEN score >= 60 THEN '中' ELSE '差' END;
