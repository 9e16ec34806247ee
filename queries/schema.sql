-- Core data model (DESIGN.md). Money in 元 as DECIMAL(18,2); codes are text.
-- Every statement is idempotent so the schema can be applied to an existing file.

CREATE SEQUENCE IF NOT EXISTS batch_seq START 1;
CREATE SEQUENCE IF NOT EXISTS payment_seq START 1;

CREATE TABLE IF NOT EXISTS import_batches (
    batch_id     INTEGER PRIMARY KEY DEFAULT nextval('batch_seq'),
    kind         TEXT NOT NULL,            -- targets | payments | indicator_actuals | demo_* | undo
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    imported_at  TIMESTAMP NOT NULL,
    imported_by  TEXT NOT NULL,
    is_demo      BOOLEAN NOT NULL DEFAULT FALSE,  -- synthetic 演示数据, labelled wherever shown
    note         TEXT
);

-- Region 财政区划 → department 部门 → budget unit 单位; the seed's 731001 is a unit.
CREATE TABLE IF NOT EXISTS departments (
    dept_code    TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    parent_code  TEXT,
    region_code  TEXT,
    level        TEXT NOT NULL DEFAULT '单位'
);

CREATE TABLE IF NOT EXISTS projects (
    year          INTEGER NOT NULL,
    dept_code     TEXT NOT NULL,
    project_code  TEXT NOT NULL,
    name          TEXT NOT NULL,
    budget        DECIMAL(18,2) NOT NULL,
    fiscal_funds  DECIMAL(18,2) NOT NULL,
    other_funds   DECIMAL(18,2) NOT NULL DEFAULT 0,
    purpose       TEXT,
    batch_id      INTEGER,
    PRIMARY KEY (year, project_code)
);

CREATE TABLE IF NOT EXISTS project_goals (
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    goal          TEXT NOT NULL,
    PRIMARY KEY (year, project_code, seq)
);

CREATE TABLE IF NOT EXISTS plan_checkpoints (
    year                INTEGER NOT NULL,
    project_code        TEXT NOT NULL,
    checkpoint_date     DATE NOT NULL,
    planned_cumulative  DECIMAL(18,2) NOT NULL,   -- 元, cumulative from 1 January
    PRIMARY KEY (year, project_code, checkpoint_date)
);

-- The plan between checkpoints: from (d0, v0) to the next checkpoint (d1, v1), from 0 at the end of
-- the year before; the last segment has d1 NULL. Built from plan_checkpoints in the same transaction
-- by every write of them (monitor.store.plan_segments; queries/store/plan_segments_fill.sql).
CREATE TABLE IF NOT EXISTS plan_segments (
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    d0            DATE NOT NULL,
    v0            DECIMAL(18,2) NOT NULL,   -- 元, planned cumulative at the end of d0
    d1            DATE,
    v1            DECIMAL(18,2),
    PRIMARY KEY (year, project_code, d0)
);

-- indicator_id is a stable text identity ("<project_code>-<nn>") that actuals attach to.
CREATE TABLE IF NOT EXISTS indicators (
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    indicator_id  TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    level1        TEXT NOT NULL,
    level2        TEXT NOT NULL,
    level3        TEXT NOT NULL,
    description   TEXT NOT NULL,
    target_text   TEXT NOT NULL,
    op            TEXT NOT NULL CHECK (op IN ('>=', '<=', '=', '>', '<', 'qual')),
    target_value  DOUBLE,
    unit          TEXT,
    basis         TEXT,
    weight        DOUBLE,          -- share within its level1 for the score; NULL = equal shares
    PRIMARY KEY (year, indicator_id)
);

ALTER TABLE indicators ADD COLUMN IF NOT EXISTS weight DOUBLE;  -- databases made before the column

-- Department-wide targets of part one of the document (部门整体绩效目标).
CREATE TABLE IF NOT EXISTS dept_goals (
    year       INTEGER NOT NULL,
    dept_code  TEXT NOT NULL,
    section    TEXT NOT NULL,   -- 总体绩效目标 | 分项绩效目标 | 分项绩效指标 | 工作保障措施
    seq        INTEGER NOT NULL,
    title      TEXT,
    text       TEXT NOT NULL,
    PRIMARY KEY (year, dept_code, section, seq)
);

-- Measurable department-wide indicators; indicator_id "<dept_code>-D<nn>" shares the
-- namespace of project indicators so indicator_actuals can hold both.
CREATE TABLE IF NOT EXISTS dept_indicators (
    year          INTEGER NOT NULL,
    dept_code     TEXT NOT NULL,
    indicator_id  TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    description   TEXT NOT NULL,
    target_text   TEXT NOT NULL,
    op            TEXT NOT NULL CHECK (op IN ('>=', '<=', '=', '>', '<', 'qual')),
    target_value  DOUBLE,
    unit          TEXT,
    source        TEXT,            -- where in the document the target is stated
    PRIMARY KEY (year, indicator_id)
);

CREATE TABLE IF NOT EXISTS payments (
    payment_id    BIGINT PRIMARY KEY DEFAULT nextval('payment_seq'),
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    paid_on       DATE NOT NULL,
    amount        DECIMAL(18,2) NOT NULL,   -- 元; refunds negative
    voucher_no    TEXT,
    summary       TEXT,
    fund_source   TEXT,
    payee         TEXT,
    batch_id      INTEGER NOT NULL
);

-- Payment totals per project and calendar month, kept in step with payments in the same
-- transaction by every write (monitor.payment_months): cumulative actuals at a date read about
-- 12 rows per project here plus the payments of the as-of date's own month (paid_by_month in queries/rules/disbursement.sql).
CREATE TABLE IF NOT EXISTS payment_months (
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    month         DATE NOT NULL,            -- its first day
    amount        DECIMAL(18,2) NOT NULL,   -- 元
    payments      BIGINT NOT NULL,          -- how many payments; a month at 0 is removed
    PRIMARY KEY (year, project_code, month)
);
-- A database written before the table existed gets it filled once from its payments.
INSERT INTO payment_months
SELECT year, project_code, date_trunc('month', paid_on)::DATE, sum(amount), count(*)
FROM payments
WHERE NOT EXISTS (SELECT 1 FROM payment_months)
GROUP BY ALL;

CREATE TABLE IF NOT EXISTS indicator_actuals (
    year               INTEGER NOT NULL,
    project_code       TEXT,            -- NULL for department-wide indicators
    indicator_id       TEXT NOT NULL,
    period_end         DATE NOT NULL,
    actual_value       DOUBLE,          -- in the indicator's unit
    actual_text        TEXT,
    likelihood         TEXT CHECK (likelihood IN ('确定能', '有可能', '完全不可能')),
    reason             TEXT CHECK (reason IN ('经费保障', '制度保障', '人员保障', '硬件条件保障', '其他')),
    reason_detail      TEXT,
    corrective_action  TEXT,
    batch_id           INTEGER NOT NULL
);
-- No key on (indicator, period_end): a later batch supersedes an earlier one for the same
-- period (queries take the highest batch_id), so undoing a batch brings the old value back.
ALTER TABLE indicator_actuals ADD COLUMN IF NOT EXISTS forecast_text TEXT;  -- 全年预计完成情况 as staff wrote it (监控表回填)

-- 全年预计执行数 entered by staff (项目详情, or an imported file); the latest entry up to the as-of
-- date replaces the rule's forecast (disbursement_at in queries/rules/disbursement.sql).
CREATE TABLE IF NOT EXISTS forecasts (
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    entered_on    DATE NOT NULL,            -- the date the figure is as of
    forecast      DECIMAL(18,2) NOT NULL,   -- 元, expected spending for the whole year
    note          TEXT,
    batch_id      INTEGER NOT NULL
);
ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS reason TEXT;  -- 偏差原因 (deviation_reasons()), databases made before it
ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS reason_detail TEXT;

-- Comments on a project for a quarter, written by staff and read by leadership.
CREATE SEQUENCE IF NOT EXISTS note_seq START 1;
CREATE TABLE IF NOT EXISTS project_notes (
    note_id       INTEGER PRIMARY KEY DEFAULT nextval('note_seq'),
    year          INTEGER NOT NULL,
    project_code  TEXT NOT NULL,
    quarter       INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    note          TEXT NOT NULL,
    author        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

-- Undo (issue 7): an undone batch points at the 'undo' batch that removed its rows.
ALTER TABLE import_batches ADD COLUMN IF NOT EXISTS undone_by INTEGER;

-- Users who may change data (issue 7). Passwords only as argon2id hashes; failed sign-ins
-- are counted here so the lockout window holds across sessions and server processes.
CREATE TABLE IF NOT EXISTS users (
    user_name        TEXT PRIMARY KEY,
    role             TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash    TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,   -- consecutive, reset by a successful sign-in
    last_failed_at   TIMESTAMP
);

ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change BOOLEAN DEFAULT FALSE;  -- a reset password is changed at the next sign-in
-- The unit (or department, with its units) whose data a user may change; NULL: every unit (the bureau).
-- Reading is not limited by it. Admins have no scope: they administer every unit.
ALTER TABLE users ADD COLUMN IF NOT EXISTS scope_code TEXT;

-- Every change to the users (issue 19): who did what to whom, and when; shown on the users page.
CREATE SEQUENCE IF NOT EXISTS user_change_seq START 1;
CREATE TABLE IF NOT EXISTS user_changes (
    change_id   INTEGER PRIMARY KEY DEFAULT nextval('user_change_seq'),
    user_name   TEXT NOT NULL,          -- the user changed
    action      TEXT NOT NULL CHECK (action IN ('first_admin', 'add', 'reset', 'role', 'unlock', 'password')),
    detail      TEXT,                   -- a role change: "old→new"; an added user: the role (each "role@unit" when scoped)
    by_user     TEXT NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);

-- Named filters of a page (its URL query string), saved from 即席查询 and reopened as links.
-- created_by is "anonymous" until sign-in arrives. A name is unique per page; saving it again
-- replaces the stored query string.
CREATE SEQUENCE IF NOT EXISTS saved_view_seq START 1;
CREATE TABLE IF NOT EXISTS saved_views (
    view_id       INTEGER PRIMARY KEY DEFAULT nextval('saved_view_seq'),
    name          TEXT NOT NULL,
    page          TEXT NOT NULL,       -- the page's url path, e.g. explore
    query_string  TEXT NOT NULL,       -- without the leading "?"
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (page, name)
);

-- Monitoring rounds (issue 12): the bureau opens a task for some units at a period end; each
-- unit submits a frozen snapshot, the bureau returns or approves it; every step is a row of
-- round_transitions, so a unit's state is its latest action (none = 未填报).
CREATE SEQUENCE IF NOT EXISTS round_task_seq START 1;
CREATE TABLE IF NOT EXISTS round_tasks (
    task_id     INTEGER PRIMARY KEY DEFAULT nextval('round_task_seq'),
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    period_end  DATE NOT NULL,          -- the figures are taken at the end of this day
    deadline    DATE NOT NULL,          -- 报送截止日期
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS round_units (  -- the task's scope: every project of these units
    task_id    INTEGER NOT NULL,
    dept_code  TEXT NOT NULL,
    PRIMARY KEY (task_id, dept_code)
);
-- Written once, never updated: payload is the JSON of monitor/rounds.py (computed figures and
-- what staff entered); sha256 of the payload shows it is unchanged.
CREATE SEQUENCE IF NOT EXISTS round_snapshot_seq START 1;
CREATE TABLE IF NOT EXISTS round_snapshots (
    snapshot_id   INTEGER PRIMARY KEY DEFAULT nextval('round_snapshot_seq'),
    task_id       INTEGER NOT NULL,
    dept_code     TEXT NOT NULL,
    payload       TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  TIMESTAMP NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS round_transition_seq START 1;
CREATE TABLE IF NOT EXISTS round_transitions (
    transition_id  INTEGER PRIMARY KEY DEFAULT nextval('round_transition_seq'),
    task_id        INTEGER NOT NULL,
    dept_code      TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('submit', 'return', 'approve')),
    reason         TEXT,               -- why it was returned
    snapshot_id    INTEGER,            -- the submission acted on
    by_user        TEXT NOT NULL,
    acted_at       TIMESTAMP NOT NULL
);
-- 整改: per off-target indicator or lagging project of an approved round.
CREATE SEQUENCE IF NOT EXISTS rectification_seq START 1;
CREATE TABLE IF NOT EXISTS rectifications (
    rect_id       INTEGER PRIMARY KEY DEFAULT nextval('rectification_seq'),
    task_id       INTEGER NOT NULL,
    dept_code     TEXT NOT NULL,
    project_code  TEXT,                 -- NULL for a department-wide indicator
    indicator_id  TEXT,                 -- NULL for the project's disbursement
    issue         TEXT NOT NULL,        -- what was off, worded from the snapshot
    needed        BOOLEAN NOT NULL,     -- 是否需要整改
    requirement   TEXT,                 -- 整改要求和建议
    due           DATE,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    result        TEXT,                 -- 整改结果和结论; set once, closing it
    closed_by     TEXT,
    closed_at     TIMESTAMP
);
-- Evidence files, stored outside the database in <db>.attachments/<sha256>.
CREATE SEQUENCE IF NOT EXISTS attachment_seq START 1;
CREATE TABLE IF NOT EXISTS attachments (
    attachment_id  INTEGER PRIMARY KEY DEFAULT nextval('attachment_seq'),
    year           INTEGER NOT NULL,
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('project', 'indicator', 'round')),
    target_key     TEXT NOT NULL,       -- project code, indicator id, or "<task_id>/<dept_code>"
    sha256         TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    file_type      TEXT NOT NULL,       -- as detected from the content: pdf, png, jpeg, docx, …
    original_name  TEXT NOT NULL,
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TIMESTAMP NOT NULL
);

-- 监控表回填 (issue 23): a filled monitoring form imported while a unit's round was open fills
-- that round's submission (monitor.rounds.tasks.prefill takes its entries until the next submission).
CREATE TABLE IF NOT EXISTS round_form_batches (
    task_id    INTEGER NOT NULL,
    dept_code  TEXT NOT NULL,
    batch_id   INTEGER NOT NULL,
    PRIMARY KEY (task_id, dept_code, batch_id)
);
