"""The 绩效指标 page's editor for indicator actuals: one project, one period end; the rows go
through the same check and write as an imported file (monitor.ingest.actuals) and become a batch."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.auth import User
from monitor.fmt import number, plain
from monitor.ingest.actuals import check_rows, save, stale_judgements, without_judgement
from monitor.rules.words import likelihood_word, reason_word
from monitor.store.vocabulary import LIKELIHOODS, REASONS
from monitor.ui.data import cursor, query
from monitor.ui.errors import show_problems
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role, within_scope, writing_as

EDITABLE = ["actual", "likelihood", "reason", "reason_detail", "corrective_action"]


def actuals_editor(f: Filters, projects: dict[str, str]) -> None:
    st.subheader(f.t("editor_title"))
    user = require_role("editor")
    if user is None or not projects:
        return
    done = st.session_state.pop("editor_done", None)
    if done:
        st.success(done)
    left, right = st.columns([3, 1])
    code = left.selectbox(f.t("filter_project"), list(projects), format_func=projects.get, key="editor_project")
    period = right.date_input(f.t("col_period"), value=f.as_of, key="editor_period")
    if not within_scope(user, f.year, projects=[code]):
        return
    rows = query(
        "indicator_status", year=f.year, dept=None, as_of=period, project=code, level1=None, status=None, off_only=False, limit=None
    )
    current = rows.assign(
        actual=[number(v) if pd.notna(v) else (t or "") for v, t in zip(rows["latest_actual"], rows["actual_text"])],
    )[["indicator_id", "level3", "target_text", *EDITABLE]].fillna("")
    edited = st.data_editor(
        current,
        hide_index=True,
        key=f"editor_{code}_{period}",
        disabled=["indicator_id", "level3", "target_text"],
        column_order=["level3", "target_text", *EDITABLE],
        column_config={
            "level3": f.t("col_level3"),
            "target_text": f.t("col_target"),
            "actual": f.t("col_latest"),
            "likelihood": st.column_config.SelectboxColumn(
                f.t("col_likelihood"), options=list(LIKELIHOODS), format_func=lambda v: likelihood_word(v, f.lang)
            ),
            "reason": st.column_config.SelectboxColumn(
                f.t("col_reason_cat"), options=list(REASONS), format_func=lambda v: reason_word(v, f.lang)
            ),
            "reason_detail": f.t("col_reason_detail"),
            "corrective_action": f.t("col_action"),
        },
    )
    changed = edited[(edited[EDITABLE] != current[EDITABLE]).any(axis=1)]
    if st.button(f.t("editor_save", n=len(changed)), type="primary", disabled=changed.empty, key="editor_save"):
        entries = [
            {"indicator_id": r.indicator_id, "period_end": period.isoformat(), **{c: str(getattr(r, c) or "") for c in EDITABLE}}
            for r in changed.itertuples()
        ]
        check = check_rows(cursor(), f.t("editor_source", name=user.name), entries, f.year)
        if check.problems:
            show_problems(check.problems, f.lang, with_file=False)
            return
        stale = stale_judgements(cursor(), check)
        if not stale:
            _save(f, entries, user, {})  # reruns
        names = dict(zip(current["indicator_id"], current["level3"]))
        st.session_state["editor_pending"] = (entries, {a.indicator_id: names[a.indicator_id] for a in stale})
    if "editor_pending" in st.session_state:
        _confirm_stale(f, user)


def _confirm_stale(f: Filters, user: User) -> None:
    """A new value meets its target while the row keeps 完成可能性/偏差原因 that say otherwise:
    say so, and offer to clear them (or keep them, or go back) before anything is written."""
    entries, stale = st.session_state["editor_pending"]
    st.warning(f.t("editor_stale", items=f.t("enum_sep").join(plain(name) for name in stale.values())))
    clear, keep, back = st.columns(3)
    if back.button(f.t("editor_back"), key="editor_back"):
        del st.session_state["editor_pending"]
        st.rerun()
    chosen = "clear" if clear.button(f.t("editor_clear_and_save"), type="primary", key="editor_clear") else None
    chosen = chosen or ("keep" if keep.button(f.t("editor_keep_and_save"), key="editor_keep") else None)
    if chosen is None:
        return
    del st.session_state["editor_pending"]
    _save(f, entries, user, stale if chosen == "clear" else {})


def _save(f: Filters, entries: list[dict], user: User, clear: dict[str, str]) -> None:
    """Check the entries again on the database being written (data may have changed) and write them,
    the judgements of the rows in `clear` cleared."""
    with writing_as(user, f.year, indicators=[e["indicator_id"] for e in entries]) as con:
        check = check_rows(con, f.t("editor_source", name=user.name), entries, f.year)
        check.actuals = [without_judgement(a) if a.indicator_id in clear else a for a in check.actuals]
        saved = save(con, check, user.name)
    if check.problems:
        show_problems(check.problems, f.lang, with_file=False)
        return
    st.session_state["editor_done"] = f.t("actuals_done", batch=saved.batch_id, rows=len(saved.actuals))
    st.rerun()
