"""Monitoring rounds (监控任务): tasks with a deadline, a unit's submission frozen as a snapshot,
and the bureau's review (退回 with a reason, or 终审).

A task names a fiscal year, a period end, a deadline and the units in scope (all their
projects). A submission is a snapshot of the figures the pages compute at the period end
(queries project_status, project_funds, indicator_status, project_scores, project_goals) with
what staff entered merged into the indicator rows; it is stored as JSON with its SHA-256 and
never updated, so later data changes do not alter it, and `diff` shows how today's data differs.
A unit's state is its latest row in round_transitions. Permissions are checked here, so the
rules hold whatever calls them: admin creates tasks and reviews, editor (or admin) submits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd

from monitor import auth
from monitor.auth import User
from monitor.errors import InputError, NotAllowed, NotFound, problem
from monitor.i18n import msg
from monitor.rules.disbursement import threshold_params
from monitor.rules.indicators import NO_FILTERS
from monitor.store.batches import insert_rows, transaction
from monitor.store.db import Run, query_df, query_rows
from monitor.store.vocabulary import LIKELIHOOD_KEYS, LIKELIHOODS, OPEN_ROUND_STATES, REASON_KEYS, REASONS, choices

STATES = ("none", "submit", "return", "approve")  # 未填报 / 已提交 / 已退回 / 已终审
# What staff fill in per indicator; the rest of a submission is computed from the data.
ENTRY_FIELDS = ("forecast_text", "reason", "likelihood", "reason_detail", "corrective_action")
MAX_TEXT = 2000
FORMAT = 1  # of the snapshot payload
PROJECT_DIFF = ("actual_cumulative", "execution_rate", "forecast", "status")
INDICATOR_DIFF = ("latest_actual", "actual_text", "status")


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: int
    task_id: int
    dept_code: str
    year: int
    period_end: dt.date
    submitted_by: str
    submitted_at: dt.datetime
    sha256: str
    frames: dict[str, pd.DataFrame]

    def query(self, name: str, **params: Any) -> pd.DataFrame:
        """A `Run` over the frozen frames, so builders of the live views (the 绩效运行监控表) can
        take a snapshot instead of the database."""
        frame = self.frames[name]
        if name == "project_goals":
            frame = frame[frame["project_code"] == params["project"]].drop(columns="project_code")
        return frame.copy()


def require(user: User | None, role: str) -> User:
    if user is None:
        raise NotAllowed("err_signin_first")
    if not user.can(role):
        raise NotAllowed("err_role", name=user.name, role=msg(f"role_{user.role}"), needed=msg(f"role_{role}"))
    return user


def create_task(
    con: duckdb.DuckDBPyConnection, user: User | None, year: int, title: str, period_end: dt.date, deadline: dt.date, units: list[str]
) -> int:
    """Open a monitoring task for `units` (admin); InputError names what is wrong."""
    require(user, "admin")
    title = title.strip()
    problems = []
    if not title or len(title) > 200:
        problems.append(problem(msg("form_round"), None, msg("field_title"), title, "err_title", chars=200))
    if period_end.year != year:
        problems.append(problem(msg("form_round"), None, msg("field_period_end"), period_end.isoformat(), "err_in_year", year=year))
    if deadline < period_end:
        problems.append(problem(msg("form_round"), None, msg("field_deadline"), deadline.isoformat(), "err_deadline"))
    known = {code for (code, _) in query_rows(con, "filter_departments", year=year)}
    if not units or not set(units) <= known:
        problems.append(
            problem(msg("form_round"), None, msg("field_units"), "、".join(sorted(set(units) - known)), "err_round_units", year=year)
        )
    if problems:
        raise InputError(problems)
    with transaction(con):
        task_id = con.execute(
            "INSERT INTO round_tasks (year, title, period_end, deadline, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING task_id",
            [year, title, period_end, deadline, user.name, now()],
        ).fetchone()[0]
        insert_rows(con, "round_units", ("task_id", "dept_code"), [(task_id, code) for code in dict.fromkeys(units)])
    return task_id


def task(con: duckdb.DuckDBPyConnection, task_id: int) -> tuple[int, str, dt.date, dt.date]:
    """(year, title, period_end, deadline) of a task."""
    row = con.execute("SELECT year, title, period_end, deadline FROM round_tasks WHERE task_id = ?", [task_id]).fetchone()
    if row is None:
        raise NotFound("err_no_task", task=task_id)
    return row


def state(con: duckdb.DuckDBPyConnection, task_id: int, dept: str) -> str:
    """The unit's state in the task: none, submit, return or approve."""
    if not con.execute("SELECT count(*) FROM round_units WHERE task_id = ? AND dept_code = ?", [task_id, dept]).fetchone()[0]:
        raise NotFound("err_unit_not_in_task", dept=dept, task=task_id)
    row = con.execute(
        "SELECT arg_max(action, transition_id) FROM round_transitions WHERE task_id = ? AND dept_code = ?", [task_id, dept]
    ).fetchone()
    return row[0] or "none"


def overdue_rounds(run: Run, year: int, dept: str | None, today: dt.date | None = None) -> pd.DataFrame:
    """Units past a task's deadline that have not submitted (or were returned and not resubmitted)."""
    listing = run("round_status", year=year, dept=dept, today=today or dt.date.today())
    return listing[listing["overdue"]]


def figures(run: Run, year: int, dept: str, period_end: dt.date) -> dict[str, pd.DataFrame]:
    """The computed figures of one unit at the end of `period_end`: what a submission freezes."""
    funds = run("project_funds", year=year, dept=dept, as_of=period_end)
    goals = [run("project_goals", year=year, project=code).assign(project_code=code) for code in funds["project_code"]]
    return {
        "project_status": run("project_status", year=year, dept=dept, as_of=period_end, limit=None, **threshold_params()),
        "project_funds": funds,
        "indicator_status": run("indicator_status", year=year, dept=dept, as_of=period_end, **NO_FILTERS),
        "project_scores": run("project_scores", year=year, dept=dept, as_of=period_end),
        "project_goals": pd.concat(goals, ignore_index=True) if goals else pd.DataFrame(columns=["seq", "goal", "project_code"]),
    }


def prefill(con: duckdb.DuckDBPyConnection, task_id: int, dept: str) -> pd.DataFrame:
    """The indicator rows a unit fills in: figures at the period end with the entry columns taken
    from the last submission when there is one (a returned round is corrected, not redone),
    else from the reported actuals; a filled 监控表 imported for the round since (monitor.ingest.form)
    fills in what it holds."""
    last = latest_snapshot(con, task_id, dept)
    year, _, period_end, _ = task(con, task_id)
    if last is None:
        rows = query_df(con, "indicator_status", year=year, dept=dept, as_of=period_end, **NO_FILTERS)
    else:
        rows = last.frames["indicator_status"]
    forms = form_entries(con, task_id, dept, period_end, last)
    if not forms:
        return rows
    rows = _entry_frame(rows)
    for indicator_id, values in forms.items():
        if indicator_id in rows.index:
            for field, value in values.items():
                rows.loc[indicator_id, field] = value
    return rows.reset_index(drop=True)


def form_entries(
    con: duckdb.DuckDBPyConnection, task_id: int, dept: str, period_end: dt.date, last: Snapshot | None
) -> dict[str, dict[str, str | None]]:
    """indicator id → ENTRY_FIELDS of the filled 监控表 imported for the round after its last submission."""
    since = None if last is None else last.submitted_at
    found = query_df(con, "round_form_entries", task=task_id, dept=dept, period_end=period_end, since=since)
    return {r["indicator_id"]: {f: r[f] if isinstance(r[f], str) else None for f in ENTRY_FIELDS} for r in found.to_dict("records")}


def submit(con: duckdb.DuckDBPyConnection, user: User | None, task_id: int, dept: str, entries: dict[str, dict[str, Any]]) -> int:
    """Freeze the unit's figures at the period end with `entries` (indicator id → ENTRY_FIELDS) as
    a snapshot and record the submission (editor); returns the snapshot id."""
    require(user, "editor")
    year, _, period_end, _ = task(con, task_id)
    auth.refuse_outside(con, user, year, units=[dept])
    with transaction(con):
        current = state(con, task_id, dept)
        if current not in OPEN_ROUND_STATES:
            raise NotAllowed("err_already_submitted")
        frames = figures(lambda name, **p: query_df(con, name, **p), year, dept, period_end)
        last = latest_snapshot(con, task_id, dept)  # a returned round keeps what was written, corrected by `entries`
        written = {} if last is None else last.frames["indicator_status"].set_index("indicator_id")[list(ENTRY_FIELDS)].to_dict("index")
        forms = form_entries(con, task_id, dept, period_end, last)  # and by a filled 监控表 imported since
        keys = written.keys() | forms.keys() | entries.keys()
        merged = {i: {**written.get(i, {}), **forms.get(i, {}), **entries.get(i, {})} for i in keys}
        frames["indicator_status"] = _merge_entries(frames["indicator_status"], merged)
        payload = json.dumps(
            {"format": FORMAT, "task_id": task_id, "dept_code": dept, "year": year, "period_end": period_end.isoformat()}
            | {"frames": {name: _pack(frame) for name, frame in frames.items()}},
            ensure_ascii=False,
            sort_keys=True,
        )
        snapshot_id = con.execute(
            "INSERT INTO round_snapshots (task_id, dept_code, payload, sha256, submitted_by, submitted_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING snapshot_id",
            [task_id, dept, payload, hashlib.sha256(payload.encode()).hexdigest(), user.name, now()],
        ).fetchone()[0]
        _transition(con, task_id, dept, "submit", user, snapshot_id)
    return snapshot_id


def return_submission(con: duckdb.DuckDBPyConnection, user: User | None, task_id: int, dept: str, reason: str) -> None:
    """退回 a submission with the reason the unit will see (admin)."""
    require(user, "admin")
    reason = reason.strip()
    if not reason or len(reason) > MAX_TEXT:
        raise InputError([problem(msg("form_review"), None, msg("field_return_reason"), None, "err_return_reason", chars=MAX_TEXT)])
    _review(con, user, task_id, dept, "return", reason)


def approve(con: duckdb.DuckDBPyConnection, user: User | None, task_id: int, dept: str) -> None:
    """终审 a submission (admin); its snapshot becomes the round's record."""
    require(user, "admin")
    _review(con, user, task_id, dept, "approve", None)


def latest_snapshot(con: duckdb.DuckDBPyConnection, task_id: int, dept: str) -> Snapshot | None:
    row = con.execute(
        "SELECT snapshot_id, payload, sha256, submitted_by, submitted_at FROM round_snapshots"
        " WHERE task_id = ? AND dept_code = ? ORDER BY snapshot_id DESC LIMIT 1",
        [task_id, dept],
    ).fetchone()
    if row is None:
        return None
    snapshot_id, payload, sha256, by, at = row
    if hashlib.sha256(payload.encode()).hexdigest() != sha256:
        raise ValueError(f"snapshot {snapshot_id} does not match its checksum")  # tampering or corruption, not a user's error
    data = json.loads(payload)
    return Snapshot(
        snapshot_id,
        task_id,
        dept,
        data["year"],
        dt.date.fromisoformat(data["period_end"]),
        by,
        at,
        sha256,
        {name: _unpack(packed) for name, packed in data["frames"].items()},
    )


def diff(con: duckdb.DuckDBPyConnection, snapshot: Snapshot) -> pd.DataFrame:
    """What today's data says differently at the snapshot's period end: one row per changed
    figure (kind, key, name, field, submitted, now)."""
    today = figures(lambda name, **p: query_df(con, name, **p), snapshot.year, snapshot.dept_code, snapshot.period_end)
    rows = _changes("project", snapshot.frames["project_status"], today["project_status"], "project_code", "name", PROJECT_DIFF)
    rows += _changes("indicator", snapshot.frames["indicator_status"], today["indicator_status"], "indicator_id", "level3", INDICATOR_DIFF)
    return pd.DataFrame(rows, columns=["kind", "key", "name", "field", "submitted", "now"])


def _review(con: duckdb.DuckDBPyConnection, user: User, task_id: int, dept: str, action: str, reason: str | None) -> None:
    with transaction(con):
        if state(con, task_id, dept) != "submit":
            raise NotAllowed("err_review_submitted_only")
        snapshot = con.execute("SELECT max(snapshot_id) FROM round_snapshots WHERE task_id = ? AND dept_code = ?", [task_id, dept])
        _transition(con, task_id, dept, action, user, snapshot.fetchone()[0], reason)


def _transition(
    con: duckdb.DuckDBPyConnection, task_id: int, dept: str, action: str, user: User, snapshot_id: int, reason: str | None = None
) -> None:
    insert_rows(
        con,
        "round_transitions",
        ("task_id", "dept_code", "action", "reason", "snapshot_id", "by_user", "acted_at"),
        [(task_id, dept, action, reason, snapshot_id, user.name, now())],
    )


def _entry_frame(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows by id, each entry field an object column holding None for blanks (pandas' str
    dtype would turn None into NaN; a snapshot made before forecast_text lacks that column)."""
    out = indicators.set_index("indicator_id", drop=False)
    for field in ENTRY_FIELDS:
        values = out[field] if field in out else [None] * len(out)
        out[field] = pd.Series([v if isinstance(v, str) else None for v in values], index=out.index, dtype=object)
    return out


def _merge_entries(indicators: pd.DataFrame, entries: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """The indicator rows with what staff entered; InputError when an entry is not acceptable."""
    out = _entry_frame(indicators)
    problems = []
    for indicator_id, values in entries.items():
        if indicator_id not in out.index:
            problems.append(problem(msg("form_entry"), None, msg("field_indicator"), indicator_id, "err_not_unit_indicator"))
            continue
        for field in [f for f in ENTRY_FIELDS if f in values]:  # fields left out keep their prefilled value
            value = values[field]
            value = value.strip() or None if isinstance(value, str) else None
            allowed = {"reason": (REASONS, REASON_KEYS), "likelihood": (LIKELIHOODS, LIKELIHOOD_KEYS)}.get(field)
            if value is not None and (len(value) > MAX_TEXT or (allowed and value not in allowed[0])):
                expected = msg("err_one_of", allowed=choices(*allowed)) if allowed else msg("err_max_chars", chars=MAX_TEXT)
                problems.append(
                    problem(msg("form_entry"), None, field, value[:40], "err_for_indicator", indicator=indicator_id, problem=expected)
                )
            out.loc[indicator_id, field] = value
    for row in out[out["status"] == "未达标"].itertuples():
        if not (row.reason and row.likelihood):
            problems.append(
                problem(msg("form_entry"), None, msg("field_deviation"), row.level3, "err_unmet_needs_reason", indicator=row.indicator_id)
            )
    if problems:
        raise InputError(problems)
    return out.reset_index(drop=True)


def _changes(kind: str, then: pd.DataFrame, now: pd.DataFrame, key: str, name: str, fields: tuple[str, ...]) -> list[tuple]:
    merged = then.merge(now, on=key, how="outer", suffixes=("_then", "_now"))
    rows = []
    for record in merged.to_dict("records"):
        label = record.get(f"{name}_then") if isinstance(record.get(f"{name}_then"), str) else record.get(f"{name}_now")
        for field in fields:
            before, after = _comparable(record.get(f"{field}_then")), _comparable(record.get(f"{field}_now"))
            if before != after:
                rows.append((kind, _plain(record[key]), label if isinstance(label, str) else "合计", field, before, after))
    return rows


def _comparable(value: Any) -> Any:
    value = _plain(value)
    return round(value, 6) if isinstance(value, float) else value


def _plain(value: Any) -> Any:
    """A value as JSON holds it: Decimal as text (exact), dates as ISO text, numpy scalars as Python's."""
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | pd.Timestamp):
        return pd.Timestamp(value).isoformat()
    return value.item() if hasattr(value, "item") else value


def _pack(frame: pd.DataFrame) -> dict[str, Any]:
    kinds = {c: {type(v) for v in frame[c] if v is not None and not (isinstance(v, float) and pd.isna(v))} for c in frame.columns}
    return {
        "columns": list(frame.columns),
        "decimal": [c for c, types in kinds.items() if Decimal in types],
        "date": [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])],
        "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)],
    }


def _unpack(packed: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(packed["rows"], columns=packed["columns"], dtype=object)
    for column in packed["decimal"]:
        frame[column] = [None if v is None else Decimal(v) for v in frame[column]]
    for column in packed["date"]:
        frame[column] = pd.to_datetime(frame[column])
    return frame.infer_objects()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
