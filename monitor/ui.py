"""Streamlit glue shared by all pages: the cached connection, cached named queries and the
sidebar filters (kept in the URL so a view can be shared as a link)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from monitor import db
from monitor.demo import ensure_database
from monitor.export import csv_bytes, xlsx_bytes
from monitor.fmt import DEFAULT_UNIT, MONEY_UNITS, percent, plain
from monitor.i18n import LANGUAGES, t
from monitor.monitoring_table import build_workbook
from monitor.report import build_html, html_to_pdf

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = "*"  # the 单位 filter's "all units" option (not "", which the selectbox shows as empty)


@dataclass(frozen=True)
class Filters:
    year: int | None
    dept: str | None  # None = all units
    as_of: dt.date
    unit: str
    lang: str

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    ensure_database(Path(path))
    return db.connect(Path(path))  # a writable connection brings an older file up to the current schema


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's database, for named queries and for writes (imports, undo, sign-in):
    one connection per process and file, a cursor per script run (thread). While another process
    holds the file (an import from the command line) the page says so and stops."""
    try:
        return db.cursor(_connection(str(db.db_path())))
    except db.DatabaseBusy as busy:
        st.error(plain(busy))
        st.stop()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_sql(path: str, version: tuple, text: str, params: tuple) -> pd.DataFrame:
    return db.cursor(_connection(path)).execute(text, dict(params)).df()


def data_version() -> tuple:
    return tuple(db.query_rows(cursor(), "data_version")[0])


def query(name: str, **params: Any) -> pd.DataFrame:
    """A named query's result, cached until the data changes (any new import batch)."""
    return run_sql(db.sql(name), params)


def run_sql(text: str, params: dict[str, Any]) -> pd.DataFrame:
    """SQL composed by our own code (monitor.explore) with bound `params`, cached like `query`."""
    return _cached_sql(str(db.db_path()), data_version(), text, tuple(sorted(params.items())))


def scalar(name: str, **params: Any) -> Any:
    return db.query_rows(cursor(), name, **params)[0][0]


def _url_value(name: str, parse, allowed=None) -> Any:
    """A shared filter from the address bar; malformed or unknown values are ignored with a notice."""
    raw = st.query_params.get(name)
    if raw is None:
        return None
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None or (allowed is not None and value not in allowed):
        url_notice(name, raw)
        return None
    return value


def url_notice(name: str, raw: str) -> None:
    """Note an address parameter that was ignored; `show_url_notices` says so on the page."""
    st.session_state.setdefault("url_notices", []).append(f"{name}={raw}")


def show_url_notices() -> None:
    """Say which address parameters were ignored (escaped: they are whatever the link held)."""
    for notice in st.session_state.pop("url_notices", []):
        st.caption(t("url_ignored", st.session_state.get("lang", "zh"), param=plain(notice)))


def url_param(key: str, parse, allowed, default: Any) -> None:
    """A page's own widget state kept in the URL under `key`: initialise it from the address
    (ignoring malformed values with a notice) before drawing the widget with that key, and
    call `keep_in_url(key, default)` after it."""
    _init_from_url(key, parse, allowed, default)
    show_url_notices()


PICKER_ROWS = 1000  # a province has ~10^5 projects: a picker lists this many, a search box narrows them


def project_choices(f: Filters, key: str) -> dict[str, str]:
    """The projects (code → name) offered by the picker with widget key `key`, largest budget first:
    all of the unit's when there are at most PICKER_ROWS; else a search box (name or code, kept in
    the URL) narrows them and the first PICKER_ROWS are listed. The project selected, or named in
    the URL, is always among them, so a shared link keeps working."""
    keep = st.session_state.get(key) or st.query_params.get(key)

    def listing(search: str | None) -> tuple[pd.DataFrame, int]:
        rows = query("project_list", year=f.year, dept=f.dept, search=search, limit=PICKER_ROWS, keep=keep)
        return rows, int(rows["total"].iloc[0]) if not rows.empty else 0

    rows, total = listing(None)
    if total > PICKER_ROWS:
        search_key = f"{key}_search"
        url_param(search_key, str, None, "")
        search = st.text_input(f.t("project_search"), key=search_key).strip()
        keep_in_url(search_key, "")
        if search:
            rows, total = listing(search)
        st.caption(f.t("picker_capped", total=total, shown=min(total, PICKER_ROWS)))
    return dict(zip(rows["project_code"], rows["name"]))


def url_list_param(key: str, allowed: dict[str, Any]) -> None:
    """A multi-select's state kept in the URL as repeated `key=value` (values as text mapped by
    `allowed`); unknown values are dropped with a notice. Call `keep_in_url(key)` after the widget."""
    if key not in st.session_state:
        raws = st.query_params.get_all(key)
        for raw in raws:
            if raw not in allowed:
                url_notice(key, raw)
        st.session_state[key] = list(dict.fromkeys(allowed[raw] for raw in raws if raw in allowed))
    show_url_notices()


def keep_in_url(key: str, default: Any = None) -> None:
    """Write a widget's value to the URL (a list as repeated parameters); the default and empty
    values are left out to keep links short."""
    value = st.session_state.get(key)
    if value is None or value == default or value == []:
        st.query_params.pop(key, None)
    elif isinstance(value, list):
        if st.query_params.get_all(key) != [str(v) for v in value]:
            st.query_params[key] = [str(v) for v in value]
    elif st.query_params.get(key) != (text := _url_text(value)):
        st.query_params[key] = text


def _url_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).removesuffix(".0") if isinstance(value, float) else str(value)


def _init_from_url(key: str, parse, allowed, default: Any) -> None:
    """Give a widget its first value: from the URL when valid, else the default."""
    if key not in st.session_state:
        value = _url_value(key, parse, allowed)
        st.session_state[key] = default if value is None else value


def sidebar_filters() -> Filters:
    """Draw the shared sidebar filters; their values live in the URL (`year`, `dept`, `as_of`,
    `unit`, `lang`) so that a copied address opens the same view."""
    _init_from_url("lang", str, LANGUAGES, "zh")
    lang = st.session_state["lang"]
    years = query("filter_years")["year"].tolist()
    _init_from_url("year", int, years, years[0] if years else None)
    year = st.session_state["year"]
    depts = query("filter_departments", year=year) if year else pd.DataFrame(columns=["dept_code", "name"])
    names = dict(zip(depts["dept_code"], depts["name"]))
    _init_from_url("dept", str, names, ALL)
    _init_from_url("as_of", dt.date.fromisoformat, None, _default_as_of(year))
    _init_from_url("unit", str, MONEY_UNITS, DEFAULT_UNIT)

    with st.sidebar:
        st.subheader(t("filters", lang))
        if years:
            st.selectbox(t("year", lang), years, key="year", on_change=_year_changed)
        st.selectbox(
            t("dept", lang),
            [ALL, *names],
            key="dept",
            format_func=lambda c: t("all_depts", lang) if c == ALL else f"{c} {names.get(c, '')}",
        )
        st.date_input(t("as_of", lang), key="as_of")
        st.segmented_control(t("unit", lang), list(MONEY_UNITS), required=True, key="unit")
        st.segmented_control(t("lang", lang), list(LANGUAGES), format_func=LANGUAGES.get, required=True, key="lang")
        if scalar("demo_data_present"):
            st.caption(t("demo_notice", lang))
        show_url_notices()

    dept = st.session_state["dept"]
    f = Filters(st.session_state.get("year"), None if dept == ALL else dept, st.session_state["as_of"], st.session_state["unit"], lang)
    _write_url(f)
    st.session_state["filters"] = f
    return f


def _default_as_of(year: int | None) -> dt.date:
    latest = scalar("latest_payment_date", year=year) if year else None
    return latest or dt.date.today()


def _year_changed() -> None:
    st.session_state["as_of"] = _default_as_of(st.session_state["year"])
    st.session_state["dept"] = ALL


def _write_url(f: Filters) -> None:
    wanted = {"year": f.year, "dept": f.dept, "as_of": f.as_of.isoformat(), "unit": f.unit, "lang": f.lang}
    for name, value in wanted.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def filters() -> Filters:
    """The shared filters drawn by dashboard.py in this run."""
    if "filters" not in st.session_state:
        # A deep link opened first on a fresh server runs the page file on its own (Streamlit's
        # legacy pages/ mode stays on until st.navigation has run once). Leave that mode and
        # rerun, so the page is reached through dashboard.py with the sidebar and filters.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["filters"]


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


def query_string() -> str:
    """The current address's query string (without "?"), repeated parameters included."""
    return urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])


def execution_rate_metric(container, f: Filters, row: Any) -> None:
    """执行率 with its distance to 序时进度, from a row of queries/project_status.sql."""
    container.metric(
        f.t("execution_rate"),
        percent(row["execution_rate"]),
        help=f.t("execution_rate_help"),
        border=True,
        delta=f"{(row['execution_rate'] - row['time_progress']) * 100:+.1f} pp",
        delta_description=f.t("vs_time_progress"),
        delta_color="off",
    )


def status_colours(table: pd.DataFrame, label_column: str, statuses: pd.Series, palette: dict[str, str]):
    """A Styler that gives the status cells their background colour from `palette` (the words
    stay in the cells, for print and for colour-blind readers)."""
    colours = [f"background-color: {palette[s]}" for s in statuses]
    return table.style.apply(lambda column: colours if column.name == label_column else [""] * len(column), axis=0)


def parse_flag(text: str) -> bool:
    """A checkbox in the URL: 1 or 0."""
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


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
