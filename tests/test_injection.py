"""Hostile text in the data is shown as text and exported neutralised.

A database is filled through the importers with project names, indicator texts, payment
summaries, a file name, a note, a user name and a saved view holding HTML/JS, markdown, Streamlit
markup, LaTeX and formula prefixes. Every page then runs under AppTest and one in the browser; the
spreadsheets, CSV and HTML report are read back; hostile filters and URL parameters change nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from contextlib import closing
from pathlib import Path

import pytest
from bad_files import template_copy
from browser_helpers import assert_no_exception, needs_chromium, open_page, streamlit_server
from db_state import fingerprint
from google.protobuf.json_format import MessageToDict
from openpyxl import load_workbook
from payment_files import HEADER_YUAN, demo_codes, write_csv
from streamlit.testing.v1 import AppTest

from monitor.auth import add_user
from monitor.explore.saved_views import save_view
from monitor.ingest.payments import import_payments
from monitor.ingest.targets import commit, preview
from monitor.review.export import csv_bytes, xlsx_bytes
from monitor.review.report import build_html
from monitor.review.workbook import build_workbook
from monitor.rounds.notes import add_note
from monitor.store.db import REPO_ROOT, connect, query_df
from monitor.ui.filters import ENTER_APPLIES_DATES

HOSTILE = (
    "=1+2 <script>window.__pwned=1</script><img src=x onerror=window.__pwned=2> [点此](https://evil.example/x) "
    ":red[红字] :material/warning: $x^2$ **粗**"
)
FILE_NAME = "@cmd <img src=x onerror=window.__pwned=3> [点此](https:evil.example) :red[红].csv"
USER = ":red[ed]<img/src=x/onerror=window.__pwned=4>"
PASSWORD = "injection-test-password"
CODE = demo_codes()[1]  # 科普专项经费, which has payments and an off-target indicator
# Markup that would take effect if rendered: unescaped (no backslash before it) in markdown text, or
# an address that GFM would turn into a link (escapes do not stop that; a word joiner does).
LIVE_MARKUP = re.compile(r"(?<!\\)(<script|<img|\[点此\]|:red\[|:material/warning:|\$x\^2\$|\*\*粗)|https?\\?:")


def _rewrite(path: Path, change) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows, header = [change(row) for row in reader], reader.fieldnames
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)


def _hostile_project(row: dict) -> dict:
    return row | {"name": HOSTILE, "purpose": HOSTILE} if row["project_code"] == CODE else row


def _hostile_indicator(row: dict) -> dict:
    return row | {"description": HOSTILE, "basis": HOSTILE} if row["project_code"] == CODE else row


@pytest.fixture(scope="module")
def hostile_db(demo_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.duckdb"
    shutil.copy(demo_db, path)
    template = template_copy(folder / "template")
    _rewrite(template / "projects.csv", _hostile_project)
    _rewrite(template / "indicators.csv", _hostile_indicator)
    ledger = write_csv(folder / "ledger.csv", [*HEADER_YUAN, "收款单位"], [[CODE, "2023-10-09", "10.00", "H-1", HOSTILE, HOSTILE]])
    with closing(connect(path)) as con:
        assert commit(con, preview(template, "template", 2023), "test").batch_id
        assert import_payments(con, ledger.read_bytes(), FILE_NAME, "test").batch_id
        add_user(con, USER, "editor", PASSWORD)
        add_note(con, 2023, CODE, 3, HOSTILE, USER)
        save_view(con, HOSTILE[:100], "explore", "subject=payments", USER)
        con.execute("UPDATE indicator_actuals SET reason_detail = ? WHERE likelihood IS NOT NULL", [HOSTILE])  # shown on 总览
    return path


PLAIN_ELEMENTS = ("text", "code", "plotly_chart")  # st.text and st.code show text as it is; charts are checked apart


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text of the run that Streamlit renders as markdown: bodies, labels, help texts."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and node.type not in PLAIN_ELEMENTS:
            message = MessageToDict(proto)
            if message.get("body") != ENTER_APPLIES_DATES:  # our own fixed script, the one HTML element of the app
                found.extend(f"{node.type}: {message[k]}" for k in ("body", "label", "help") if k in message)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _plotly_specs(at: AppTest) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


PAGES = [
    ("app_pages/overview.py", {}),
    ("app_pages/disbursement.py", {"project": CODE}),
    ("app_pages/indicators.py", {}),
    ("app_pages/project.py", {"project": CODE}),
    ("app_pages/explore.py", {"subject": "payments", "group": "payee"}),
    ("app_pages/data.py", {}),
    ("app_pages/rounds.py", {}),
]


@pytest.mark.parametrize(("page", "params"), PAGES, ids=[p for p, _ in PAGES])
def test_every_page_shows_hostile_text_as_text(hostile_db, monkeypatch, page, params):
    monkeypatch.setenv("MONITOR_DB", str(hostile_db))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.text_input(key="auth_name").input(USER)
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_submit").click().run()
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    texts = _markdown_texts(at)
    live = [t for t in texts if LIVE_MARKUP.search(t)]
    assert not live, live
    for spec in _plotly_specs(at):
        assert "<script" not in spec and "<img" not in spec and "<a " not in spec
    if page in ("app_pages/project.py", "app_pages/overview.py"):  # the hostile text is there, escaped
        assert any("\\<script\\>" in t for t in texts)
    if page == "app_pages/disbursement.py":
        assert any("&lt;script&gt;" in spec for spec in _plotly_specs(at))


def test_exports_neutralise_and_escape(hostile_db):
    with closing(connect(hostile_db)) as con:  # as the pages' connection (one configuration per file and process)

        def run(name, **params):
            return query_df(con, name, **params)

        as_of = dt.date(2023, 12, 31)
        book = load_workbook(io.BytesIO(build_workbook(run, 2023, None, as_of)))
        page = build_html(run, 2023, None, as_of)
        payments = run("project_payments", year=2023, project=CODE, as_of=as_of)
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + HOSTILE in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "<script>" not in page and "<img src=x" not in page and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    table = load_workbook(io.BytesIO(xlsx_bytes(payments, [("文件", FILE_NAME)])))
    values = [c.value for sheet in table.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + HOSTILE in values and "'" + FILE_NAME in values
    assert not [v for v in values if v.startswith(("=", "+", "-", "@"))]
    text = csv_bytes(payments, [("文件", FILE_NAME)]).decode("utf-8-sig")
    assert not re.search(r"(^|,)\"?[=+\-@]", text, re.MULTILINE)


HOSTILE_PARAMS = {
    "subject": "payments",
    "f.summary": "x' OR 1=1; COPY payments TO '{out}/copied.csv'; --",
    "f.project_code": ["'); ATTACH '{out}/attached.duckdb' AS x; --", "read_csv('/etc/passwd')"],
    "f.amount.min": "0); INSTALL httpfs; --",
    "group": ["payee; DROP TABLE payments", "read_csv_auto('/etc/passwd')"],
    "measure": "sum:amount) FROM projects; COPY projects TO '{out}/m.csv'; --",
    "year": "2023; DELETE FROM payments",
    "as_of": "2023-09-30'; DROP TABLE projects; --",
}


def test_hostile_url_parameters_read_and_write_nothing(demo_copy, monkeypatch, tmp_path):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    before = fingerprint(demo_copy)
    out = tmp_path / "out"
    out.mkdir()
    params = {k: [x.format(out=out) for x in v] if isinstance(v, list) else v.format(out=out) for k, v in HOSTILE_PARAMS.items()}
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception, at.exception
    notices = [c.value for c in at.caption if "已忽略" in c.value or "ignored" in c.value]
    assert notices, "the malformed parameters are named in a notice"
    assert not LIVE_MARKUP.search(json.dumps(notices, ensure_ascii=False))
    assert list(out.iterdir()) == []  # nothing copied, attached or written
    assert fingerprint(demo_copy) == before


@needs_chromium
def test_hostile_project_page_in_the_browser(browser, hostile_db, tmp_path, artifacts):
    db = tmp_path / "hostile.duckdb"
    shutil.copy(hostile_db, db)
    with streamlit_server(db) as url:
        page = open_page(browser, f"{url}/project?project={CODE}")
        assert_no_exception(page)
        found = page.evaluate(
            """() => ({
                pwned: window.__pwned === undefined ? null : window.__pwned,
                scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
                images: document.querySelectorAll('img[src="x"], img[onerror]').length,
                links: [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || '')
                    .filter(href => /evil|javascript:/.test(href) && !href.startsWith('#')),
                text: document.body.innerText.replaceAll('\u2060', ''),  // the word joiners that keep addresses from linking
            })"""
        )
        page.screenshot(path=str(artifacts / "injection-project.png"), full_page=True)
        page.close()
    assert (found["pwned"], found["scripts"], found["images"], found["links"]) == (None, 0, 0, [])  # a heading's own #anchor aside
    assert "<script>window.__pwned=1</script>" in found["text"]  # shown literally
    assert ":red[红字]" in found["text"] and "[点此](https://evil.example/x)" in found["text"]
