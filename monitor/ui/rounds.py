"""The widgets of 监控任务 (pages/rounds.py): task list and creation, one unit's round (fill and
submit, review, snapshot with its diff and export), rectification and evidence files. The rules
and permission checks are in monitor/rounds.py, rectification.py and attachments.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from monitor.fmt import money, number, percent, plain
from monitor.review.workbook import build_workbook
from monitor.rounds import attachments, rectification
from monitor.rounds import tasks as rounds
from monitor.rules.indicators import status_word
from monitor.rules.words import STATUS_CLASS_KEYS, likelihood_word, reason_word, status_class_word
from monitor.settings import settings
from monitor.store import db
from monitor.store.vocabulary import LIKELIHOODS, OPEN_ROUND_STATES, REASONS
from monitor.ui.data import cursor, query
from monitor.ui.errors import write_then_rerun
from monitor.ui.filters import Filters
from monitor.ui.import_form import fill_download
from monitor.ui.indicator_table import actual_text
from monitor.ui.signin import current_user, require_role, within_scope
from monitor.ui.widgets import XLSX_MIME, project_choices, readable, show_table

RECT_COLUMNS = (
    "rect_id",
    "title",
    "dept_name",
    "project_name",
    "issue",
    "needed",
    "requirement",
    "due",
    "result",
    "closed_by",
    "closed_at",
)
ATTACHMENT_COLUMNS = (
    "attachment_id",
    "target_kind",
    "target_key",
    "original_name",
    "file_type",
    "size_bytes",
    "uploaded_by",
    "uploaded_at",
)
DIFF_COLUMNS = ("kind", "key", "name", "field", "submitted", "now")
ATTACHMENT_KINDS = ("project", "indicator", "round")  # what evidence can be attached to (monitor.rounds.attachments)
STATE_KEYS = {"none": "round_none", "submit": "round_submitted", "return": "round_returned", "approve": "round_approved"}
ENTRY_COLUMNS = ["project_name", "level3", "target_text", "latest", "status", *rounds.ENTRY_FIELDS]


def act(f: Filters, action: Callable[[duckdb.DuckDBPyConnection], object], done_key: str) -> None:
    """Run a step, `action(con)` on the database being written; on success note it and rerun so every
    table shows it, else say why not (escaped: messages quote the data)."""
    write_then_rerun(f.lang, action, "round_notice", f.t(done_key))


def notice() -> None:
    if text := st.session_state.pop("round_notice", None):
        st.success(text)


def task_list(f: Filters) -> pd.DataFrame:
    """Every unit of every task of the year with its state and days to the deadline."""
    listing = query("round_status", year=f.year, dept=f.dept, today=dt.date.today())
    if listing.empty:
        st.info(f.t("round_no_tasks"))
        return listing
    shown, config = readable(
        listing.assign(
            state_word=[f.t(STATE_KEYS[s]) for s in listing["state"]],
            # dates as dates: the Styler below would print a timestamp's 00:00:00
            period_end=[d.date() for d in pd.to_datetime(listing["period_end"])],
            deadline=[d.date() for d in pd.to_datetime(listing["deadline"])],
        ),
        {
            "title": f.t("round_title"),
            "dept_name": f.t("dept"),
            "period_end": st.column_config.DateColumn(f.t("round_period_end")),
            "deadline": st.column_config.DateColumn(f.t("round_deadline")),
            "days_left": st.column_config.NumberColumn(f.t("round_days_left"), format="%d"),  # whole days, not -1,140.00
            "state_word": f.t("col_status"),
            "by_user": f.t("round_by"),
            "acted_at": st.column_config.DatetimeColumn(f.t("round_at"), format="YYYY-MM-DD HH:mm"),
            "reason": f.t("round_return_reason"),
        },
    )
    st.dataframe(
        shown.style.apply(lambda row: ["background-color: #f8cfca" if row["overdue"] else ""] * len(row), axis=1),
        hide_index=True,
        column_order=["title", "dept_name", "period_end", "deadline", "days_left", "state_word", "by_user", "acted_at", "reason"],
        column_config=config,
    )
    return listing


def create_form(f: Filters) -> None:
    with st.expander(f.t("round_create_title")):
        user = require_role("admin")
        if user is None:
            return
        units = query("filter_departments", year=f.year)
        names = dict(zip(units["dept_code"], units["name"]))
        st.text_input(f.t("round_title"), key="round_new_title")
        st.date_input(f.t("round_period_end"), value=f.as_of, key="round_new_period_end")
        st.date_input(f.t("round_deadline"), value=f.as_of + dt.timedelta(days=15), key="round_new_deadline")
        st.multiselect(
            f.t("round_units"),
            list(names),
            default=list(names),
            format_func=lambda c: f"{c} {names[c]}",
            placeholder=f.t("choose_options"),
            key="round_new_units",
        )
        if st.button(f.t("round_create"), key="round_create"):
            s = st.session_state
            act(
                f,
                lambda con: rounds.create_task(
                    con, user, f.year, s["round_new_title"], s["round_new_period_end"], s["round_new_deadline"], s["round_new_units"]
                ),
                "round_created",
            )


def unit_round(f: Filters, listing: pd.DataFrame) -> None:
    """One unit's round: its history, then the step its state allows."""
    options = {f"{r.task_id}/{r.dept_code}": r for r in listing.itertuples()}
    key = st.selectbox(
        f.t("round_pick"), list(options), key="round_pick", format_func=lambda k: f"{options[k].title} · {options[k].dept_name}"
    )
    row = options[key]
    con = cursor()
    st.markdown(f"**{plain(row.title)}** · {plain(row.dept_name)} · {f.t(STATE_KEYS[row.state])}")
    history = query("round_history", task=row.task_id, dept=row.dept_code)
    if not history.empty:
        show_table(
            history.assign(action=[f.t(STATE_KEYS[a]) for a in history["action"]]),
            {
                "action": f.t("round_step"),
                "by_user": f.t("round_by"),
                "acted_at": st.column_config.DatetimeColumn(f.t("round_at"), format="YYYY-MM-DD HH:mm"),
                "reason": f.t("round_return_reason"),
            },
            ["action", "by_user", "acted_at", "reason"],
        )
    if row.state in OPEN_ROUND_STATES:
        _fill(f, row)
    elif row.state == "submit":
        _review(f, row)
    snapshot = rounds.latest_snapshot(con, row.task_id, row.dept_code)
    if snapshot is not None:
        _snapshot(f, snapshot)
        if row.state == "approve":
            _record_rectification(f, snapshot)


def _fill(f: Filters, row) -> None:
    st.subheader(f.t("round_fill"))
    user = require_role("editor")
    if user is None or not within_scope(user, f.year, units=[row.dept_code]):
        return
    st.caption(f.t("round_fill_help", date=row.period_end.date().isoformat()))
    st.caption(f.t("round_fill_form"))
    fill_download(f, f.year, row.dept_code, row.period_end.date(), row.task_id, f"round_form_{row.task_id}_{row.dept_code}")
    rows = rounds.prefill(cursor(), row.task_id, row.dept_code)
    choices = {"reason": (REASONS, reason_word), "likelihood": (LIKELIHOODS, likelihood_word)}
    shown = rows.assign(
        latest=[actual_text(v, text, u) for v, text, u in zip(rows["latest_actual"], rows["actual_text"], rows["unit"])],
        status=[status_word(s, f.lang) for s in rows["status"]],
        project_name=rows["project_name"].fillna(f.t("dept_wide")),
        **{c: rows[c].astype(object).where(rows[c].notna(), "") for c in rounds.ENTRY_FIELDS},  # blank, not "None"
    )
    edited = st.data_editor(
        shown.set_index("indicator_id")[ENTRY_COLUMNS],
        key=f"round_entries_{row.task_id}_{row.dept_code}",
        disabled=ENTRY_COLUMNS[:5],
        column_config={
            **{c: f.t(f"round_col_{c}") for c in ENTRY_COLUMNS if c not in choices},
            **{
                c: st.column_config.SelectboxColumn(
                    f.t(f"round_col_{c}"), options=list(values), format_func=lambda v, w=words: w(v, f.lang)
                )
                for c, (values, words) in choices.items()
            },
        },
    )
    entries = {
        i: {c: v if isinstance(v, str) else None for c, v in values.items()} for i, values in edited[list(rounds.ENTRY_FIELDS)].iterrows()
    }
    if st.button(f.t("round_submit"), key="round_submit", type="primary"):
        act(f, lambda con: rounds.submit(con, user, row.task_id, row.dept_code, entries), "round_submitted_done")


def _review(f: Filters, row) -> None:
    st.subheader(f.t("round_review"))
    user = require_role("admin")
    if user is None:
        return
    st.text_area(f.t("round_return_reason"), key="round_return_reason")
    left, right = st.columns(2)
    if left.button(f.t("round_return"), key="round_return"):
        reason = st.session_state["round_return_reason"]
        act(f, lambda con: rounds.return_submission(con, user, row.task_id, row.dept_code, reason), "round_returned_done")
    if right.button(f.t("round_approve"), key="round_approve", type="primary"):
        act(f, lambda con: rounds.approve(con, user, row.task_id, row.dept_code), "round_approved_done")


def _snapshot(f: Filters, snapshot: rounds.Snapshot) -> None:
    st.subheader(f.t("round_snapshot"))
    st.caption(f.t("round_snapshot_caption", by=snapshot.submitted_by, at=str(snapshot.submitted_at), sha=snapshot.sha256[:12]))
    st.download_button(
        f.t("download_table"),
        lambda: build_workbook(snapshot.query, snapshot.year, snapshot.dept_code, snapshot.period_end, f.lang),
        f"{f.t('file_workbook')}-{snapshot.task_id}-{snapshot.dept_code}-{snapshot.snapshot_id}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key="round_export",
        icon=":material/table:",
    )
    changes = rounds.diff(cursor(), snapshot)
    if changes.empty:
        st.caption(f.t("round_no_diff"))
    else:
        st.warning(f.t("round_diff", n=len(changes)))
        show_table(
            changes.assign(
                kind=[f.t(f"diff_kind_{k}") for k in changes["kind"]],
                field=[f.t(f"diff_field_{c}") for c in changes["field"]],
                submitted=[_diff_value(f, c, v) for c, v in zip(changes["field"], changes["submitted"])],
                now=[_diff_value(f, c, v) for c, v in zip(changes["field"], changes["now"])],
            ),
            {c: f.t(f"diff_col_{c}") for c in DIFF_COLUMNS},
            list(DIFF_COLUMNS),
        )


def _diff_value(f: Filters, field: str, value: object) -> str:
    """A figure of a snapshot's diff as the pages show it: money in the sidebar's unit, rates in %,
    statuses in words."""
    if value is None or value != value:  # NaN != NaN
        return ""
    if field in ("actual_cumulative", "forecast"):
        return money(value, f.unit) + " " + f.unit_word
    if field == "execution_rate":
        return percent(float(value))
    if field == "status":
        return status_class_word(value, f.lang) if value in STATUS_CLASS_KEYS else status_word(str(value), f.lang)
    return number(value) if isinstance(value, float | int) else str(value)


def _record_rectification(f: Filters, snapshot: rounds.Snapshot) -> None:
    st.subheader(f.t("rect_record_title"))
    user = require_role("admin")
    if user is None:
        return
    items = rectification.candidates(snapshot, f.lang)
    if items.empty:
        st.caption(f.t("rect_none_needed"))
        return
    pick = st.selectbox(f.t("rect_item"), items.index, key="rect_item", format_func=lambda i: items.loc[i, "issue"])
    needed = st.checkbox(f.t("rect_needed"), value=True, key="rect_needed")
    requirement = st.text_area(f.t("rect_requirement"), key="rect_requirement")
    due = st.date_input(f.t("rect_due"), value=dt.date.today() + dt.timedelta(days=30), key="rect_due")
    if st.button(f.t("rect_record"), key="rect_record"):
        item = items.loc[pick]
        act(
            f,
            lambda con: rectification.record(
                con, user, snapshot.task_id, snapshot.dept_code, item["indicator_id"], item["project_code"], needed, requirement, due
            ),
            "rect_recorded",
        )


def rectifications(f: Filters) -> None:
    st.subheader(f.t("rect_title"))
    open_only = st.checkbox(f.t("rect_open_only"), value=True, key="rect_open_only")
    listing = query("rectification_list", year=f.year, dept=f.dept, task=None, open_only=open_only)
    if listing.empty:
        st.caption(f.t("rect_empty"))
        return
    show_table(
        listing,
        {c: f.t(f"rect_col_{c}") for c in RECT_COLUMNS} | {"due": st.column_config.DateColumn(f.t("rect_col_due"))},
        list(RECT_COLUMNS),
    )
    still_open = listing[listing["open"]]
    if still_open.empty:
        return
    user = require_role("editor")
    if user is None:
        return
    rect_id = st.selectbox(f.t("rect_close_pick"), still_open["rect_id"].tolist(), key="rect_close_pick")
    result = st.text_area(f.t("rect_col_result"), key="rect_result")
    if st.button(f.t("rect_close"), key="rect_close"):
        act(f, lambda con: rectification.close(con, user, int(rect_id), result), "rect_closed")


def evidence(f: Filters, listing: pd.DataFrame) -> None:
    st.subheader(f.t("att_title"))
    st.caption(f.t("att_help", mb=settings().limits.attachment_mb))
    files = query("attachment_list", year=f.year, dept=f.dept, kind=None, key=None)
    user = current_user()
    if not files.empty:
        show_table(
            files.assign(target_kind=[f.t(f"att_kind_{k}") for k in files["target_kind"]]),
            {c: f.t(f"att_col_{c}") for c in ATTACHMENT_COLUMNS}
            | {"uploaded_at": st.column_config.DatetimeColumn(f.t("att_col_uploaded_at"), format="YYYY-MM-DD HH:mm")},
            list(ATTACHMENT_COLUMNS),
        )
        if user is None:
            st.info(f.t("att_signin"))
        else:
            picked = st.selectbox(f.t("att_pick"), files["attachment_id"].tolist(), key="att_pick")
            attachment, data = attachments.read(cursor(), user, int(picked), db.db_path())
            st.download_button(
                f.t("att_download"), data, attachment.original_name, mime=attachments.MIME[attachment.file_type], key="att_download"
            )
    editor = require_role("editor")
    if editor is None:
        return
    kind = st.segmented_control(
        f.t("att_kind"), ATTACHMENT_KINDS, format_func=lambda k: f.t(f"att_kind_{k}"), default="project", required=True, key="att_kind"
    )
    if kind == "round":
        targets = {f"{r.task_id}/{r.dept_code}": f"{r.title} · {r.dept_name}" for r in listing.itertuples()}
    else:  # a project, or an indicator of one picked project: never a list of all a province's indicators
        targets = project_choices(f, "att_project" if kind == "indicator" else "att_target_project")
        if not targets:  # the search matched nothing
            st.info(f.t("explore_empty"))
            return
        if kind == "indicator":
            project = st.selectbox(f.t("pick_project"), list(targets), format_func=targets.get, key="att_project")
            indicators = query(
                "indicator_status",
                year=f.year,
                dept=f.dept,
                as_of=f.as_of,
                project=project,
                level1=None,
                status=None,
                off_only=False,
                limit=None,
            )
            targets = dict(zip(indicators["indicator_id"], indicators["level3"]))
    key = st.selectbox(
        f.t("att_target"), list(targets), format_func=lambda k: targets[k] + f.t("in_brackets", text=k), key=f"att_target_{kind}"
    )
    upload = st.file_uploader(f.t("att_file"), key="att_file")
    if upload is not None and st.button(f.t("att_upload"), key="att_upload"):
        act(f, lambda con: attachments.add(con, editor, f.year, kind, key, upload.name, upload.getvalue(), db.db_path()), "att_uploaded")
