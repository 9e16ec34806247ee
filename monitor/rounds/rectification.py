"""整改 (rectification) of an approved monitoring round: for each off-target indicator or lagging
project of its snapshot the bureau (admin) records whether rectification is needed, the
requirement and advice and a deadline; the unit (editor) later records the result, closing it."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from monitor import auth
from monitor.auth import User
from monitor.errors import InputError, NotAllowed, problem
from monitor.fmt import number
from monitor.i18n import DEFAULT_LANG, msg, t
from monitor.rounds.tasks import MAX_TEXT, Snapshot, latest_snapshot, now, require, state, transaction
from monitor.rules.disbursement import reason_text, status_label
from monitor.rules.indicators import status_word


def candidates(snapshot: Snapshot, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """What the approved snapshot shows as off track: lagging projects (indicator_id None) and
    off-target indicators, with the issue in words of `lang` (a recorded issue keeps the words it was recorded in)."""
    status = snapshot.frames["project_status"]
    rows = [
        (
            p.project_code,
            None,
            p.name,
            t(
                "rect_issue_project",
                lang,
                status=status_label(p.status, p.status_reason, lang),
                reason=reason_text(p.status_reason, p.gap_pp, p.actual_cumulative - p.budget, lang),
            ),
        )
        for p in status[status["project_code"].notna() & (status["status"] != "green")].itertuples()
    ]
    indicators = snapshot.frames["indicator_status"]
    for i in indicators[indicators["off_target"].astype(bool)].itertuples():
        actual = number(i.latest_actual) + (i.unit if isinstance(i.unit, str) else "") if pd.notna(i.latest_actual) else i.actual_text
        issue = t(
            "rect_issue_indicator",
            lang,
            indicator=i.level3,
            target=i.target_text,
            actual=actual if isinstance(actual, str) else t("ind_missing", lang),
            status=status_word(i.status, lang),
        )
        rows.append((i.project_code if isinstance(i.project_code, str) else None, i.indicator_id, i.level3, issue))
    return pd.DataFrame(rows, columns=["project_code", "indicator_id", "name", "issue"])


def record(
    con: duckdb.DuckDBPyConnection,
    user: User | None,
    task_id: int,
    dept: str,
    indicator_id: str | None,
    project_code: str | None,
    needed: bool,
    requirement: str = "",
    due: dt.date | None = None,
) -> int:
    """Record the bureau's decision on one candidate of an approved round (admin); once per item."""
    require(user, "admin")
    indicator_id, project_code = (x if isinstance(x, str) else None for x in (indicator_id, project_code))  # NaN from a frame = none
    requirement = requirement.strip()
    if needed and not (requirement and len(requirement) <= MAX_TEXT and due):
        raise InputError([problem(msg("form_rectification"), None, msg("field_requirement"), None, "err_rect_requirement", chars=MAX_TEXT)])
    with transaction(con):
        if state(con, task_id, dept) != "approve":
            raise NotAllowed("err_rect_approved_only")
        items = candidates(latest_snapshot(con, task_id, dept))
        match = items[
            (items["indicator_id"].fillna("") == (indicator_id or "")) & (items["project_code"].fillna("") == (project_code or ""))
        ]
        if match.empty:
            raise InputError(
                [problem(msg("form_rectification"), None, msg("field_target"), indicator_id or project_code, "err_rect_not_candidate")]
            )
        done = con.execute(
            "SELECT count(*) FROM rectifications WHERE task_id = ? AND dept_code = ?"
            " AND coalesce(indicator_id, '') = ? AND coalesce(project_code, '') = ?",
            [task_id, dept, indicator_id or "", project_code or ""],
        ).fetchone()[0]
        if done:
            raise InputError(
                [problem(msg("form_rectification"), None, msg("field_target"), indicator_id or project_code, "err_rect_recorded")]
            )
        return con.execute(
            "INSERT INTO rectifications"
            " (task_id, dept_code, project_code, indicator_id, issue, needed, requirement, due, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rect_id",
            [task_id, dept, project_code, indicator_id, match.iloc[0]["issue"], needed, requirement or None, due, user.name, now()],
        ).fetchone()[0]


def close(con: duckdb.DuckDBPyConnection, user: User | None, rect_id: int, result: str) -> None:
    """Record 整改结果和结论 (editor), closing an open rectification."""
    require(user, "editor")
    unit = con.execute("SELECT dept_code FROM rectifications WHERE rect_id = ?", [rect_id]).fetchone()
    auth.refuse_outside(con, user, None, units=[unit[0]] if unit else [])
    result = result.strip()
    if not result or len(result) > MAX_TEXT:
        raise InputError([problem(msg("form_rectification"), None, msg("field_result"), None, "err_rect_result", chars=MAX_TEXT)])
    closed = con.execute(
        "UPDATE rectifications SET result = ?, closed_by = ?, closed_at = ? WHERE rect_id = ? AND needed AND closed_at IS NULL",
        [result, user.name, now(), rect_id],
    ).fetchone()[0]
    if not closed:
        raise NotAllowed("err_rect_not_open", rect=rect_id)
