"""Widgets several pages share: the project picker, download buttons, the execution-rate metric
and status colours."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from monitor.fmt import money_format, money_frame, percent
from monitor.review.bulletin import Column
from monitor.review.export import csv_bytes, xlsx_bytes
from monitor.rounds.attachments import MIME
from monitor.settings import settings
from monitor.ui.data import query
from monitor.ui.filters import Filters, filters
from monitor.ui.links import keep_in_url, query_string, url_param

XLSX_MIME, DOCX_MIME = MIME["xlsx"], MIME["docx"]


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


BULLETIN_PINNED = ("rank", "name")  # the 通报's 15 or more columns scroll: its rank and unit stay in view


def column_formats(columns: list[Column]) -> dict[str, Any]:
    """Streamlit column settings for the columns of a 支出进度通报 table (monitor.review.bulletin)."""
    formats = {"money": "%,.2f", "rate": "%.2f%%", "pp": "%+.2f", "rank": "%d", "count": "%d"}
    return {
        c.key: st.column_config.NumberColumn(c.label, format=formats[c.kind], pinned=c.key in BULLETIN_PINNED)
        if c.kind in formats
        else st.column_config.TextColumn(c.label, pinned=c.key in BULLETIN_PINNED)
        for c in columns
    }


_PRINTF = re.compile(r"%(\+?)(,?)\.(\d+)f(%%)?")


def _printf(fmt: str, value: Any) -> str:
    """A number in one of the printf formats our columns use (%,.2f, %+.1f, %.2f%%, %d)."""
    found = _PRINTF.fullmatch(fmt)
    if found is None:
        return f"{value:,.0f}" if fmt == "%d" else f"{value:,}"
    sign, comma, places, percent = found.groups()
    return f"{value:{sign}{comma}.{places}f}" + ("%" if percent else "")


def readable(frame: pd.DataFrame, config: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame and its column config with no cell left for st.dataframe to draw as "None": missing
    text is empty, and a number or date column with a gap becomes right-aligned text in its format."""
    out, config = frame.copy(), dict(config)
    for column in out.columns:
        values = out[column]
        if not values.isna().any():
            continue
        spec = config.get(column)
        spec = {"label": spec} if isinstance(spec, str) else (spec or {"label": str(column)})
        kind = (spec.get("type_config") or {}).get("type")
        if pd.api.types.is_bool_dtype(values) or kind == "checkbox":
            continue
        if pd.api.types.is_numeric_dtype(values) or kind == "number":
            fmt = (spec.get("type_config") or {}).get("format") or "%,.2f"
            out[column] = [("" if pd.isna(v) else _printf(fmt, v)) for v in values]
            config[column] = st.column_config.TextColumn(
                spec.get("label"), help=spec.get("help"), width=spec.get("width"), pinned=spec.get("pinned"), alignment="right"
            )
        elif pd.api.types.is_datetime64_any_dtype(values) or kind in ("date", "datetime"):
            shape = "%Y-%m-%d %H:%M" if kind == "datetime" else "%Y-%m-%d"
            out[column] = ["" if pd.isna(v) else pd.Timestamp(v).strftime(shape) for v in values]
            config[column] = st.column_config.TextColumn(
                spec.get("label"), help=spec.get("help"), width=spec.get("width"), pinned=spec.get("pinned")
            )
        else:
            out[column] = values.astype(object).where(values.notna(), "")
    return out, config


def show_table(
    frame: pd.DataFrame,
    config: dict[str, Any],
    order: list[str] | None = None,
    colours: tuple[str, pd.Series, dict[str, str]] | None = None,
    **options: Any,
) -> Any:
    """st.dataframe of `frame` made readable (no "None"), its `order` of columns headed by `config`,
    the cells of `colours` = (column, statuses, palette) coloured by status. Only the columns of
    `order` are sent: the rest would be hidden anyway, and styling them cost a 2,000-row table of
    indicators a third of a second on every run."""
    if order is not None:
        frame = frame[[c for c in order if c in frame.columns]]
    shown, config = readable(frame, config)
    data = status_colours(shown, *colours) if colours else shown
    return st.dataframe(data, hide_index=True, column_order=order, column_config=config, **options)


def status_colours(table: pd.DataFrame, label_column: str, statuses: pd.Series, palette: dict[str, str]):
    """A Styler that gives the status cells their background colour from `palette` (the words
    stay in the cells, for print and for colour-blind readers)."""
    colours = [f"background-color: {palette[s]}" for s in statuses]
    texts = table.select_dtypes(include=["object", "string"]).columns
    table = table.assign(**{c: table[c].astype(object).where(table[c].notna(), "") for c in texts})  # a Styler shows None as "None"
    return table.style.apply(lambda column: colours if column.name == label_column else [""] * len(column), axis=0)


# Printing a page from the browser (Ctrl+P): the page alone on A4 landscape, without the sidebar,
# the header, the app's buttons and the new-data watcher; charts, figures and tables not split.
PRINT_CSS = """<style>
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stDownloadButton"], [data-testid="stButton"],
  [data-testid="stFormSubmitButton"], [data-testid="stFileUploader"] { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; padding: 0 !important; overflow: visible !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stDataFrame"], [data-testid="stTable"] { break-inside: avoid; }
  .js-plotly-plot, .plot-container, .svg-container { max-width: 100% !important; overflow: visible !important; }
}
</style>"""


def print_style() -> None:
    """The page's print CSS (our constant, no data in it)."""
    st.html(PRINT_CSS)


PAYMENT_ORDER = ["paid_on", "amount", "summary", "voucher_no", "fund_source", "payee"]


def payments_table(f: Filters, payments: pd.DataFrame, file_stem: str, chosen: list[tuple[str, str]]) -> None:
    """A project's payments in the page's money unit (decimals by the money rule), with downloads."""
    config = {
        "paid_on": st.column_config.DateColumn(f.t("col_paid_on"), width=96),
        "amount": st.column_config.NumberColumn(f.t("th_amount"), format=money_format(payments["amount"], f.unit), width=110),
        "summary": st.column_config.TextColumn(f.t("col_summary"), width=260),
        "voucher_no": st.column_config.TextColumn(f.t("col_voucher"), width=130),
        "fund_source": st.column_config.TextColumn(f.t("col_fund_source"), width=120),
        "payee": st.column_config.TextColumn(f.t("col_payee"), width=150),
    }
    shown = money_frame(payments, ["amount"], f.unit)
    st.caption(f.t("money_unit_note", unit=f.unit_word))
    show_table(shown, config, PAYMENT_ORDER)
    download_buttons(shown, file_stem, chosen, PAYMENT_ORDER, config)
