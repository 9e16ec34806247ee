"""数据管理 → 监控表回填: download a unit's 填报版 (monitor.review.fill), upload it filled → check →
preview of what will be written (old → new) → confirm (editor), through monitor.ingest.form; one
undoable batch. Also the 填报版 download of one unit's round on 监控任务."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from monitor.fmt import money, number, shown_text
from monitor.ingest.form import FormCheck, check_form, save
from monitor.review.fill import build_fill_form
from monitor.rules.words import likelihood_word, reason_word
from monitor.store import db
from monitor.ui.data import cursor, query
from monitor.ui.filters import Filters
from monitor.ui.uploads import checked_import, show_done, table_uploader
from monitor.ui.widgets import XLSX_MIME

PREVIEW_COLUMNS = ("sheet", "row", "name", "value", "previous", "likelihood", "reason", "reason_detail", "forecast_text")


def form_section(f: Filters) -> None:
    st.caption(f.t("form_fill_intro"))
    if f.year is None:
        return
    units = query("filter_departments", year=f.year)
    names = dict(zip(units["dept_code"], units["name"]))
    if names:
        codes = list(names)
        dept = st.selectbox(
            f.t("form_fill_unit"),
            codes,
            index=codes.index(f.dept) if f.dept in names else 0,
            format_func=lambda c: f"{c} {names[c]}",
            key="form_unit",
        )
        fill_download(f, f.year, dept, f.as_of, None, "form_download")
    show_done("form")
    upload = table_uploader(f, "form", "upload_form", ["xlsx"])
    if upload is None:
        return
    checked_import(
        f,
        "form",
        upload,
        lambda con, data, name: check_form(con, data, name, f.year, f.dept),
        save,
        lambda check: f.t("form_ok", **check.summary()),
        lambda saved: f.t("form_done", batch=saved.batch_id, rows=len(saved.records)),
        preview=lambda check: _preview(f, check),
    )


def fill_download(f: Filters, year: int, dept: str, as_of: dt.date, task_id: int | None, key: str) -> None:
    """The 填报版 of `dept` at `as_of` (of round `task_id`; None = the unit's one open round then, if any)."""
    con = cursor()
    st.download_button(
        f.t("form_fill_download", as_of=as_of.isoformat()),
        lambda: build_fill_form(lambda name, **p: db.query_df(con, name, **p), year, dept, as_of, f.lang, task_id),
        f"{f.t('file_fill_form')}-{year}-{dept}-{as_of.isoformat()}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/edit_document:",
        key=key,
    )


def _preview(f: Filters, check: FormCheck) -> bool:
    """What the form will write, row by row with the value it replaces; False when nothing is new."""
    if not check.records:
        st.info(f.t("form_nothing_new", unchanged=check.unchanged))
        return False
    rows: list[tuple] = []
    for a in check.actuals:
        old = check.previous.get(a.indicator_id, {})
        name = check.names.get(a.indicator_id, a.indicator_id)
        value, previous = _value(a.actual_value, a.actual_text), _value(old.get("actual_value"), old.get("actual_text"))
        judged = (likelihood_word(a.likelihood, f.lang), reason_word(a.reason, f.lang), shown_text(a.reason_detail))
        rows.append((*_where(check, a.row), name, value, previous, *judged, shown_text(a.forecast_text)))
    for p in check.forecasts:
        old = check.previous.get(p.project_code, {})
        name = f"{check.names.get(p.project_code, p.project_code)} · {f.t('form_forecast')}"
        previous = money(old["forecast"], f.unit) if old.get("forecast") is not None else ""
        judged = ("", reason_word(p.reason, f.lang), shown_text(p.reason_detail))
        rows.append((*_where(check, p.row), name, money(p.forecast, f.unit), previous, *judged, ""))
    st.subheader(f.t("form_preview_title"))
    st.dataframe(
        pd.DataFrame(rows, columns=list(PREVIEW_COLUMNS)),
        hide_index=True,
        column_config={
            "sheet": f.t("form_col_sheet"),
            "row": st.column_config.NumberColumn(f.t("form_col_row"), width="small"),
            "name": f.t("form_col_name"),
            "value": f.t("form_col_value"),
            "previous": f.t("form_col_previous"),
            "likelihood": f.t("col_likelihood"),
            "reason": f.t("form_reason"),
            "reason_detail": f.t("form_detail"),
            "forecast_text": f.t("form_forecast_text"),
        },
    )
    if check.rounds:
        st.info(f.t("form_fills_rounds", tasks="、".join(map(str, check.rounds))))
    return True


def _where(check: FormCheck, number: int) -> tuple[str, int]:
    place = check.places[number]
    return place.sheet, place.row


def _value(value: object, text: object) -> str:
    return number(value) if value is not None and not pd.isna(value) else shown_text(text)
