"""The review exports of 总览: the 绩效运行监控表 workbook and the quarterly report (HTML, PDF), in a
language chosen on export (the page's by default).

A built file is kept per data version and parameters, so asking again is instant and the next
import makes new ones. The report takes a second or two (the chart image and the print): asking for
it shows its progress (st.status) and then its download button; the workbook is quick and
downloads on the first click. The browser that draws and prints is started when the page opens.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from monitor.i18n import LANGUAGES
from monitor.review import browser
from monitor.review.report import build_html, html_to_pdf
from monitor.review.workbook import build_workbook
from monitor.store import db
from monitor.ui.data import cursor, data_version
from monitor.ui.filters import Filters
from monitor.ui.widgets import XLSX_MIME

KEPT = 24  # built files kept in memory, the oldest dropped first (a report is ~200 kB)
_built: OrderedDict[tuple, bytes] = OrderedDict()
_lock = threading.Lock()


def _kept(key: tuple) -> bytes | None:
    with _lock:
        if key in _built:
            _built.move_to_end(key)
        return _built.get(key)


def _keep(key: tuple, data: bytes) -> bytes:
    with _lock:
        _built[key] = data
        while len(_built) > KEPT:
            _built.popitem(last=False)
    return data


def built(key: tuple, build: Callable[[], bytes]) -> bytes:
    """The file of `key`, built once."""
    found = _kept(key)
    return found if found is not None else _keep(key, build())


@st.fragment
def review_downloads(f: Filters) -> None:
    """The three export buttons of the current view (a fragment: asking for a file reruns only this)."""
    browser.warm_up()
    con = cursor()  # the builders run on this cursor, in this script run or in the download's thread

    def run(name: str, **params: Any) -> pd.DataFrame:
        return db.query_df(con, name, **params)

    left, middle, right, choice = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    lang = choice.segmented_control(
        f.t("export_lang"), list(LANGUAGES), format_func=LANGUAGES.get, default=f.lang, key="export_lang", help=f.t("export_lang_help")
    )
    lang = lang or f.lang
    key = (str(db.db_path()), data_version(), f.year, f.dept, f.as_of, f.unit, lang)
    stem = f"{f.year}-{f.dept or 'all'}-{f.as_of.isoformat()}-{lang}"

    def html() -> bytes:
        return built(("html", *key), lambda: build_html(run, f.year, f.dept, f.as_of, f.unit, lang).encode("utf-8"))

    def pdf() -> bytes:
        return built(("pdf", *key), lambda: html_to_pdf(html().decode("utf-8")))

    left.download_button(
        f.t("download_table"),
        lambda: built(("xlsx", *key), lambda: build_workbook(run, f.year, f.dept, f.as_of, lang)),
        f"{f.t('file_workbook')}-{stem}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/table:",
        key="export_xlsx",
    )
    _report_button(f, middle, "html", html, ("html", *key), f"{f.t('file_report')}-{stem}.html", "text/html", "description")
    _report_button(f, right, "pdf", pdf, ("pdf", *key), f"{f.t('file_report')}-{stem}.pdf", "application/pdf", "picture_as_pdf")


def _report_button(f: Filters, column, kind: str, build: Callable[[], bytes], key: tuple, name: str, mime: str, icon: str) -> None:
    """The download of a built report; until it is built, a button that builds it with its progress shown."""
    data = _kept(key)
    if data is None and column.button(f.t(f"make_report_{kind}"), key=f"make_{kind}", icon=f":material/{icon}:"):
        with column, st.status(f.t("export_building"), expanded=False) as status:
            started = time.perf_counter()
            data = build()
            status.update(label=f.t("export_built", seconds=f"{time.perf_counter() - started:.1f}"), state="complete")
    if data is not None:
        column.download_button(
            f.t(f"download_report_{kind}"), data, name, mime=mime, on_click="ignore", icon=f":material/{icon}:", key=f"export_{kind}"
        )
