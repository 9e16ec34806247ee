"""Widgets several pages share: the project picker, download buttons, the execution-rate metric
and status colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from monitor.fmt import percent
from monitor.review.bulletin import Column
from monitor.review.export import csv_bytes, xlsx_bytes
from monitor.review.report import build_html, html_to_pdf
from monitor.review.workbook import build_workbook
from monitor.settings import settings
from monitor.store import db
from monitor.ui.data import cursor, query
from monitor.ui.filters import Filters, filters
from monitor.ui.links import keep_in_url, query_string, url_param

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def project_choices(f: Filters, key: str) -> dict[str, str]:
    """The projects (code → name) offered by the picker with widget key `key`, largest budget first:
    all of the unit's when there are at most `picker_rows` (settings; a province has ~10^5 projects); else
    a search box (name or code, kept in the URL) narrows them and the first `picker_rows` are listed. The project selected, or named in
    the URL, is always among them, so a shared link keeps working."""
    keep = st.session_state.get(key) or st.query_params.get(key)
    cap = settings().limits.picker_rows

    def listing(search: str | None) -> tuple[pd.DataFrame, int]:
        rows = query("project_list", year=f.year, dept=f.dept, search=search, limit=cap, keep=keep)
        return rows, int(rows["total"].iloc[0]) if not rows.empty else 0

    rows, total = listing(None)
    if total > cap:
        search_key = f"{key}_search"
        url_param(search_key, str, None, "")
        search = st.text_input(f.t("project_search"), key=search_key).strip()
        keep_in_url(search_key, "")
        if search:
            rows, total = listing(search)
        st.caption(f.t("picker_capped", total=total, shown=min(total, cap)))
    return dict(zip(rows["project_code"], rows["name"]))


def download_buttons(
    frame: pd.DataFrame,
    name: str,
    applied: Sequence[tuple[str, str]] = (),
    columns: list[str] | None = None,
    labels: dict[str, Any] | None = None,
) -> None:
    """CSV and xlsx buttons for a table as shown: its `columns` in order, headed by `labels`
    (strings or st.column_config entries). The files state the shared filters, the page's own
    `applied` ones and the link's query string (monitor/export.py)."""
    f = filters()
    shown = frame[columns] if columns else frame
    if labels:
        shown = shown.rename(columns={k: v if isinstance(v, str) else v["label"] for k, v in labels.items()})
    described = [
        (f.t("year"), str(f.year)),
        (f.t("dept"), f.dept or f.t("all_depts")),
        (f.t("as_of"), f.as_of.isoformat()),
        (f.t("unit"), f.unit),
        *applied,
        (f.t("export_link"), query_string()),
        (f.t("export_at"), dt.datetime.now().isoformat(timespec="seconds")),
    ]
    stem = f"{name}-{f.year}-{f.as_of.isoformat()}"
    formats = [("csv", "download_csv", csv_bytes, "text/csv"), ("xlsx", "download_xlsx", xlsx_bytes, XLSX_MIME)]
    row = st.container(horizontal=True)
    for ext, label, make, mime in formats:
        # Made on click (on_click="ignore": no rerun), so large tables cost nothing until wanted.
        row.download_button(
            f.t(label),
            lambda make=make: make(shown, described),
            f"{stem}.{ext}",
            mime,
            key=f"{ext}_{name}",
            on_click="ignore",
            icon=":material/download:",
        )


def execution_metrics(columns: list, f: Filters, row: Any) -> None:
    """执行率 with its gap to the plan (the status rule), and 序时进度 as a reference line with the
    execution rate's distance to it, each named as such, from a row of queries/pages/project_status.sql."""
    shown = [
        ("execution_rate", "execution_rate_help", row["execution_rate"], row["gap_pp"], "vs_plan"),
        ("time_progress", "time_progress_help", row["time_progress"], row["time_gap_pp"], "vs_time_progress"),
    ]
    for column, (key, help_key, value, delta, versus) in zip(columns, shown):
        column.metric(
            f.t(key),
            percent(value),
            help=f.t(help_key),
            border=True,
            delta=f"{delta:+.1f} pp",
            delta_description=f.t(versus),
            delta_color="off",
        )


def column_formats(columns: list[Column]) -> dict[str, Any]:
    """Streamlit column settings for the columns of a 支出进度通报 table (monitor.review.bulletin)."""
    formats = {"money": "%,.2f", "rate": "%.2f%%", "pp": "%+.2f", "rank": "%d", "count": "%d"}
    return {c.key: st.column_config.NumberColumn(c.label, format=formats[c.kind]) if c.kind in formats else c.label for c in columns}


def status_colours(table: pd.DataFrame, label_column: str, statuses: pd.Series, palette: dict[str, str]):
    """A Styler that gives the status cells their background colour from `palette` (the words
    stay in the cells, for print and for colour-blind readers)."""
    colours = [f"background-color: {palette[s]}" for s in statuses]
    texts = table.select_dtypes(include=["object", "string"]).columns
    table = table.assign(**{c: table[c].astype(object).where(table[c].notna(), "") for c in texts})  # a Styler shows None as "None"
    return table.style.apply(lambda column: colours if column.name == label_column else [""] * len(column), axis=0)


def review_downloads(f: Filters) -> None:
    """Download buttons for the 绩效运行监控表 and the quarterly review report of the current
    view; each file is built only when its button is clicked (in Streamlit's worker thread)."""
    con = cursor()  # taken in the script thread; the builders below only use this cursor

    def run(name: str, **params: Any) -> pd.DataFrame:
        return db.query_df(con, name, **params)

    stem = f"{f.year}-{f.dept or 'all'}-{f.as_of.isoformat()}"

    def report() -> str:
        return build_html(run, f.year, f.dept, f.as_of, f.unit, f.lang)

    files = [
        ("download_table", lambda: build_workbook(run, f.year, f.dept, f.as_of), f"绩效运行监控表-{stem}.xlsx", XLSX_MIME, "table"),
        ("download_report_html", report, f"季度报告-{stem}.html", "text/html", "description"),
        ("download_report_pdf", lambda: html_to_pdf(report()), f"季度报告-{stem}.pdf", "application/pdf", "picture_as_pdf"),
    ]
    for column, (label, build, file_name, mime, icon) in zip(st.columns(3), files):
        column.download_button(f.t(label), build, file_name, mime=mime, on_click="ignore", icon=f":material/{icon}:")
