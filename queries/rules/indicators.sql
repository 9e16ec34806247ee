-- Indicator targets: met or not, the signed gap, attainment, and every indicator's latest actual and status.
-- Temporary macros defined on every connection by monitor.store.db (in the order of RULE_FILES).

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


-- Share of a quantitative target reached, 0..1, for the proportional credit of the score. An unmet
-- target whose share has no measure (> 0 reported as 0, < 0 reported as 0, = 0 missed) earns 0: the
-- coalesce is needed because least and greatest skip a NULL, which gave such an indicator full credit.
CREATE OR REPLACE TEMP MACRO attainment(op, actual, target) AS
    CASE WHEN target_met(op, actual, target) THEN 1.0
         WHEN op IN ('>=', '>') THEN greatest(0.0, least(1.0, coalesce(actual / nullif(target, 0), 0.0)))
         WHEN op IN ('<=', '<') THEN greatest(0.0, least(1.0, coalesce(target / nullif(actual, 0), 0.0)))
         WHEN op = '=' THEN greatest(0.0, 1.0 - coalesce(abs(actual - target) / nullif(abs(target), 0), 1.0)) END;


-- Whether an indicator (its project, level1, status and off-target flag) passes 绩效指标's filters,
-- each NULL for 全部: the project ('' = the department-wide indicators only), the level-1, the
-- status, and off_only for the off-target ones only. The page's table, cards and heatmap filter alike.
CREATE OR REPLACE TEMP MACRO indicator_passes(project_code, level1, status, off_target, f_project, f_level1, f_status, f_off_only) AS
    (f_project IS NULL OR coalesce(project_code, '') = f_project)
    AND (f_level1 IS NULL OR level1 = f_level1)
    AND (f_status IS NULL OR status = f_status)
    AND (NOT f_off_only OR off_target);


-- Every indicator of fiscal year fy (project indicators and department-wide ones, the latter
-- with project_code NULL and level1 部门整体指标) with its latest actual up to the end of day
-- as_of (latest period, then latest batch; only_project narrows it to one project, '' to the
-- department-wide ones) and the batch it came in (actual_batch: with the indicator and period it names the
-- row of indicator_actuals, so a query can pick its rows first and read their texts after), its status
-- (达标 / 未达标 / 未填报 / 定性待评),
-- whether it is off target (fails its target, or reported 有可能 / 完全不可能 to be completed),
-- the signed gap and the attainment used for scoring.
CREATE OR REPLACE TEMP MACRO indicator_latest(fy, as_of, only_project := NULL) AS TABLE
WITH targets AS (
    SELECT p.dept_code, i.project_code, i.indicator_id, i.seq, i.level1, i.level2, i.level3, i.description,
           i.target_text, i.op, i.target_value, i.unit, i.weight
    FROM indicators i
    JOIN projects p USING (year, project_code)
    WHERE i.year = fy AND (only_project IS NULL OR i.project_code = only_project)
    UNION ALL
    SELECT dept_code, NULL, indicator_id, seq, dept_wide_level1(), coalesce(source, ''), description, description,
           target_text, op, target_value, unit, NULL
    FROM dept_indicators
    WHERE year = fy AND (only_project IS NULL OR only_project = '')
), reported AS (
    -- (period, batch) packed into one integer: unique per indicator, as a batch holds one value per
    -- indicator and period. One aggregate per column (not of a struct) lets a query that reads only
    -- the status skip the text columns: a third less time over 10^6 indicators. arg_max_null, not
    -- max_by: every column comes from the latest actual, a NULL included (max_by skips NULLs, so a
    -- reason given in June stayed on an indicator reported without one in September).
    SELECT *, (date_diff('day', DATE '1970-01-01', period_end)::BIGINT << 32) + batch_id AS k
    FROM indicator_actuals
    WHERE year = fy AND period_end <= as_of AND (only_project IS NULL OR coalesce(project_code, '') = only_project)
), latest AS (
    SELECT indicator_id, arg_max_null(period_end, k) AS period_end, arg_max_null(batch_id, k) AS actual_batch,
           arg_max_null(actual_value, k) AS actual_value, arg_max_null(actual_text, k) AS actual_text,
           arg_max_null(likelihood, k) AS likelihood, arg_max_null(reason, k) AS reason,
           arg_max_null(reason_detail, k) AS reason_detail, arg_max_null(corrective_action, k) AS corrective_action,
           arg_max_null(forecast_text, k) AS forecast_text
    FROM reported
    GROUP BY indicator_id
), judged AS (
    SELECT t.*, l.period_end, l.actual_batch, l.actual_value, l.actual_text, l.likelihood, l.reason, l.reason_detail, l.corrective_action,
           l.forecast_text,
           CASE WHEN t.op = 'qual' AND (l.actual_text IS NOT NULL OR l.actual_value IS NOT NULL) THEN '定性待评'
                WHEN l.actual_value IS NULL THEN '未填报'
                WHEN target_met(t.op, l.actual_value, t.target_value) THEN '达标'
                ELSE '未达标' END AS status
    FROM targets t
    LEFT JOIN latest l USING (indicator_id)
)
SELECT *,
       status = '未达标' OR coalesce(likelihood IN (SELECT likelihood FROM likelihoods() WHERE at_risk), FALSE) AS off_target,
       CASE WHEN status IN ('达标', '未达标') THEN target_gap(op, actual_value, target_value) END AS gap,
       CASE status WHEN '达标' THEN 1.0 WHEN '定性待评' THEN 1.0 WHEN '未填报' THEN 0.0
                   ELSE attainment(op, actual_value, target_value) END AS attainment
FROM judged;
