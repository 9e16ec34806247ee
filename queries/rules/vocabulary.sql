-- The enumerations of the data model, defined once: the rules below use them, Python reads them
-- (monitor.store.vocabulary), and queries/schema.sql's CHECK constraints list the same values
-- (tests/test_vocabulary.py holds them equal). Temporary macros, defined first on every connection.

-- 完成目标可能性 of an indicator; the at-risk ones put it off target whatever its value.
CREATE OR REPLACE TEMP MACRO likelihoods() AS TABLE
SELECT * FROM (VALUES (1, '确定能', FALSE), (2, '有可能', TRUE), (3, '完全不可能', TRUE)) v(seq, likelihood, at_risk);

-- 偏差原因 categories of the official monitoring table (the detail is free text beside it).
CREATE OR REPLACE TEMP MACRO deviation_reasons() AS TABLE
SELECT * FROM (VALUES (1, '经费保障'), (2, '制度保障'), (3, '人员保障'), (4, '硬件条件保障'), (5, '其他')) v(seq, reason);

-- Indicator status (indicator_latest).
CREATE OR REPLACE TEMP MACRO indicator_statuses() AS TABLE
SELECT * FROM (VALUES (1, '达标'), (2, '未达标'), (3, '未填报'), (4, '定性待评')) v(seq, status);

-- Disbursement status (disbursement_status): green 正常, amber 滞后 or 超预算风险, red 严重滞后 or 超预算.
CREATE OR REPLACE TEMP MACRO disbursement_statuses() AS TABLE
SELECT * FROM (VALUES (1, 'green'), (2, 'amber'), (3, 'red')) v(seq, status);

-- Why a project has its disbursement status (disbursement_reason), worded by the UI.
CREATE OR REPLACE TEMP MACRO disbursement_reasons() AS TABLE
SELECT * FROM (VALUES (1, 'on_plan'), (2, 'ahead'), (3, 'forecast_over_budget'), (4, 'behind'), (5, 'not_started'), (6, 'far_behind'),
                      (7, 'over_budget')) v(seq, reason);

-- The level-1 indicator groups of the self-evaluation score and the points of each score group:
-- 产出 50 (成本指标 counts inside it, whether a level-2 under 产出指标 or a level-1 of the newer
-- scheme), 效益 30, 满意度 10; with 预算执行率's 10 points the total is 100.
CREATE OR REPLACE TEMP MACRO score_levels() AS TABLE
SELECT * FROM (VALUES (1, '产出指标', 'output', 50.0), (2, '成本指标', 'output', 50.0),
                      (3, '效益指标', 'effect', 30.0), (4, '满意度指标', 'satisfaction', 10.0)) v(seq, level1, score_group, points);

-- The level-1 under which the department-wide indicators (部门整体绩效目标) are listed beside a project's.
CREATE OR REPLACE TEMP MACRO dept_wide_level1() AS '部门整体指标';
