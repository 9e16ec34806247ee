"""数据管理 → 全年预计执行数: upload a forecasts file → check → confirm (editor), and the form on
项目详情 for one project; both through monitor.ingest.forecasts, each write one undoable batch."""

from __future__ import annotations

import streamlit as st

from monitor.fmt import money
from monitor.ingest.forecasts import check_file, check_rows, save
from monitor.rules.words import reason_word
from monitor.store.vocabulary import REASONS
from monitor.ui.errors import show_problems
from monitor.ui.filters import Filters
from monitor.ui.signin import require_role, within_scope, writing_as
from monitor.ui.uploads import checked_import, show_done, table_uploader, template_button


def forecasts_section(f: Filters) -> None:
    st.caption(f.t("forecasts_intro"))
    template_button(f, "forecasts")
    show_done("forecasts")
    upload = table_uploader(f, "forecasts", "upload_forecasts")
    if upload is None or f.year is None:
        return
    checked_import(
        f,
        "forecasts",
        upload,
        lambda con, data, name: check_file(con, data, name, f.year, f.unit),
        save,
        lambda check: f.t("forecasts_ok", rows=len(check.forecasts), year=f.year),
        lambda saved: f.t("forecasts_done", batch=saved.batch_id, rows=len(saved.forecasts)),
    )


def forecast_form(f: Filters, code: str, row) -> None:
    """项目详情: the year-end forecast entered vs the rule's, and a form to enter one as of the as-of date."""
    entered = row["forecast_entered"]
    st.metric(
        f.t("forecast_title", unit=f.unit_word),
        money(row["forecast"], f.unit),
        help=f.t("forecast_help"),
        border=True,
    )
    rule = f.t("forecast_rule", amount=money(row["forecast_rule"], f.unit), unit=f.unit_word)
    if entered:
        reason = f.t("list_sep").join(
            x for x in (reason_word(row["forecast_reason"], f.lang), row["forecast_reason_detail"]) if x and isinstance(x, str)
        )
        st.caption(f.t("forecast_entered", reason=reason or "—") + " · " + rule)
    else:
        st.caption(rule)
    user = require_role("editor")
    if user is None or not within_scope(user, f.year, projects=[code]):
        return
    with st.form("forecast_form", clear_on_submit=True):
        amount = st.number_input(f.t("forecast_amount", unit=f.unit_word), min_value=0.0, step=0.01, format="%.2f", key="forecast_amount")
        reason = st.selectbox(
            f.t("col_reason_cat"), [None, *REASONS], format_func=lambda r: reason_word(r, f.lang) or "—", key="forecast_reason"
        )
        detail = st.text_input(f.t("col_reason_detail"), key="forecast_detail")
        if not st.form_submit_button(f.t("forecast_save", as_of=f.as_of.isoformat()), key="forecast_save"):
            return
    entry = {
        "project_code": code,
        "entered_on": f.as_of.isoformat(),
        "forecast": f"{amount:.2f}",
        "reason": reason or "",
        "reason_detail": detail,
    }
    with writing_as(user, f.year, projects=[code]) as con:
        check = check_rows(con, f.t("forecast_source", name=user.name), [entry], f.year, f.unit)
        save(con, check, user.name)
    if check.problems:
        show_problems(check.problems, f.lang, with_file=False)
        return
    st.rerun()
