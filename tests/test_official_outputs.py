"""Issue 19: outputs a bureau can file and an app an admin runs alone — the PDF report in the official
form (A4, page numbers, 合计, signature block, a page per project; rendered to PNG under
tests/artifacts/), the 监控表 workbook's page setup, every import template filled with its example
rows imported by the command line, the demo's monitoring rounds on 监控任务, the first admin and the
users page, and the upload limit the widgets state."""

from __future__ import annotations

import datetime as dt
import io
import re
import tomllib
import unicodedata
from contextlib import closing

import pdfplumber
import pypdfium2
import pytest
from app_helpers import app_on
from cli_run import run_cli
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.ingest.blank import KINDS, blank_workbook, examples
from monitor.review import browser as report_browser
from monitor.review.report import build_html, html_to_pdf
from monitor.review.workbook import build_workbook
from monitor.settings import settings
from monitor.store.db import REPO_ROOT, connect, query_df

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
AS_OF = dt.date(2023, 9, 30)
A4 = (595, 842)  # points, portrait
RADICALS = {0x2EDA: "页"}  # a CJK radical supplement form NFKC does not fold
PROJECTS = ["13052923P00584011183Y", "13052923P00584011181P", "13052923P00584011177H", "13052923P005840111856", "13052923P005840111804"]


def _run(con):
    return lambda name, **params: query_df(con, name, **params)


@pytest.fixture(scope="module")
def reports(demo_db) -> dict[str, bytes]:
    with closing(connect(demo_db, read_only=True)) as con:
        return {lang: html_to_pdf(build_html(_run(con), 2023, None, AS_OF, "万元", lang)) for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_report_is_a_document_to_file(reports, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    data = reports[lang]
    (ARTIFACTS / f"report-{lang}.pdf").write_bytes(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sizes = [(round(p.width), round(p.height)) for p in pdf.pages]
        texts = [p.extract_text() or "" for p in pdf.pages]
    total = len(sizes)
    forms = [n for n, (w, h) in enumerate(sizes) if (h, w) == A4]  # the per-project forms are A4 landscape
    assert all(s in (A4, A4[::-1]) for s in sizes), sizes
    assert sizes[0] == A4 and len(forms) == len(PROJECTS) and forms == list(range(total - len(PROJECTS), total))
    number = "第 {n} 页 共 {m} 页" if lang == "zh" else "Page {n} of {m}"
    for n, text in enumerate(texts, start=1):
        assert number.format(n=n, m=total) in _plain(text), (n, text[-80:])
    summary = _plain("".join(texts[: forms[0]]))
    assert ("合计" if lang == "zh" else "Total") in summary
    signature = ("制表单位", "制表人", "审核人", "日期") if lang == "zh" else ("Prepared by (unit)", "Prepared by", "Reviewed by", "Date")
    assert all(word in summary for word in signature)
    assert [sum(code in _plain(texts[page]) for code in PROJECTS) for page in forms] == [1] * len(PROJECTS)  # one project a page
    assert {code for page in forms for code in PROJECTS if code in _plain(texts[page])} == set(PROJECTS)
    chart_title = "季度计划与实际支出" if lang == "zh" else "Quarterly"
    assert sum(_plain(t).count(chart_title) for t in texts) >= 1
    pdf = pypdfium2.PdfDocument(data)
    for n in (0, forms[0]):
        pdf[n].render(scale=1.5).to_pil().save(ARTIFACTS / f"report-{lang}-page{n + 1}.png")


def _plain(text: str) -> str:
    """PDF text as printed: the CJK radicals the fonts map some characters to folded (⽀ → 支, ⻚ → 页),
    line breaks removed."""
    return unicodedata.normalize("NFKC", text).translate(RADICALS).replace("\n", "")


def test_money_is_right_aligned_and_the_chart_titled_once(demo_db):
    with closing(connect(demo_db, read_only=True)) as con:
        page = build_html(_run(con), 2023, None, AS_OF, "万元", "zh")
    assert page.count("<figcaption>") == 1 and "@page { size: A4 portrait" in page
    assert re.search(r'<tr class="total"><td class="num"></td><td class="name">合计</td>', page)
    assert "td.num, th.num { text-align: right" in page


def test_one_browser_prints_every_pdf(demo_db, reports):
    """A cold Chromium per print took 8 s: the browser opened for the first export stays up and
    prints the next ones (how long a warm print takes is the benchmark's to measure, not a test's)."""
    with closing(connect(demo_db, read_only=True)) as con:
        page = build_html(_run(con), 2023, None, AS_OF, "万元", "zh")
    html_to_pdf(page)
    first = report_browser._get()._kaleido
    assert html_to_pdf(page).startswith(b"%PDF")
    assert first is not None and report_browser._get()._kaleido is first


def test_the_workbook_prints_on_a4_with_repeated_headers(demo_db):
    with closing(connect(demo_db, read_only=True)) as con:
        book = load_workbook(io.BytesIO(build_workbook(_run(con), 2023, None, dt.date(2023, 9, 24), "zh")))
    for sheet in book.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert sheet.print_title_rows, sheet.title
        assert sheet.freeze_panes, sheet.title
        assert sheet.print_area, sheet.title
    headings = {c.value for sheet in book.worksheets for row in sheet.iter_rows(max_row=12) for c in row if isinstance(c.value, str)}
    assert not any("09-24" in h and "实际完成值" in h for h in headings)  # the values are those reported at 06-30
    assert any("实际完成值" in h and "06-30" in h for h in headings), headings


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_template_filled_with_its_example_imports(demo_copy, tmp_path, kind, lang):
    book = load_workbook(io.BytesIO(blank_workbook(kind, lang)))
    assert len(book.worksheets) == 2 and book.worksheets[1].title == ("说明" if lang == "zh" else "notes")
    sheet = book.worksheets[0]
    for row in examples(kind):
        sheet.append(row)
    path = tmp_path / f"{kind}.xlsx"
    book.save(path)
    extra = ["--year", "2023"] if kind == "forecasts" else []
    batches = "SELECT count(*), max(batch_id) FROM import_batches"
    with closing(connect(demo_copy, read_only=True)) as con:
        before, _ = con.execute(batches).fetchone()
    result = run_cli("import", kind, str(path), *extra, "--db", str(demo_copy))
    assert result.returncode == 0, result.stderr + result.stdout
    with closing(connect(demo_copy, read_only=True)) as con:
        after, batch = con.execute(batches).fetchone()
        rows = con.execute("SELECT row_count FROM import_batches WHERE batch_id = ?", [batch]).fetchone()[0]
    assert (after, rows) == (before + 1, 1)


def test_the_template_command_writes_each_kind(tmp_path):
    for kind in ("payments", "actuals", "targets"):
        result = run_cli("template", kind, str(tmp_path / f"{kind}.xlsx"))
        assert result.returncode == 0, result.stderr
        assert load_workbook(tmp_path / f"{kind}.xlsx").worksheets


def test_the_demo_shows_a_round_in_progress(demo_db, monkeypatch):
    at = app_on(demo_db, monkeypatch, "app_pages/rounds.py")
    listing = at.dataframe[0].value
    assert {"submit", "return", "approve"} <= set(listing["state"]), listing
    assert all("演示数据" in title for title in listing["title"])
    with closing(connect(demo_db, read_only=True)) as con:
        assert con.execute("SELECT count(*) FROM rectifications").fetchone()[0] == 1
        returned = con.execute("SELECT reason FROM round_transitions WHERE action = 'return'").fetchone()[0]
    assert "演示数据" in returned


def test_a_fresh_database_offers_the_first_admin_once(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60).run()
    assert _keys(at) >= {"first_admin_name", "first_admin_password", "first_admin_again"}
    assert "auth_name" not in _keys(at)
    at.text_input(key="first_admin_name").input("boss")
    at.text_input(key="first_admin_password").input("a-long-first-password")
    at.text_input(key="first_admin_again").input("a-long-first-password")
    at.button(key="first_admin_submit").click().run()
    assert not at.exception, at.exception
    assert any("boss" in c.value for c in at.caption)
    with closing(connect(demo_copy, read_only=True)) as con:
        assert con.execute("SELECT user_name, role FROM users").fetchall() == [("boss", "admin")]
        with pytest.raises(Exception, match=r"管理员|admin"):
            auth.create_first_admin(con, "other", "another-long-password")
    again = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60).run()
    assert "first_admin_name" not in _keys(again) and "auth_name" in _keys(again)


def _keys(at: AppTest) -> set[str]:
    return {w.key for w in at.text_input}


def test_the_users_page_manages_users(demo_copy, monkeypatch):
    with closing(connect(demo_copy)) as con:
        auth.add_user(con, "boss", "admin", "boss-long-password")
    at = app_on(demo_copy, monkeypatch, "app_pages/users.py", user="boss", password="boss-long-password")
    at.text_input(key="users_add_name").input("clerk")
    at.selectbox(key="users_add_role").select("editor")
    at.text_input(key="users_add_password").input("temporary-password-1")
    at.button(key="users_add_submit").click().run()
    assert not at.exception, at.exception
    at.selectbox(key="users_role_name").select("clerk")
    at.selectbox(key="users_role_new").select("viewer")
    at.selectbox(key="users_role_scope").select("731001")  # the unit whose data the clerk may change
    at.button(key="users_role_submit").click().run()
    at.selectbox(key="users_reset_name").select("clerk")
    at.text_input(key="users_reset_password").input("temporary-password-2")
    at.button(key="users_reset_submit").click().run()
    assert not at.exception, at.exception
    with closing(connect(demo_copy, read_only=True)) as con:
        clerk_row = con.execute("SELECT role, scope_code, must_change FROM users WHERE user_name = 'clerk'").fetchone()
        assert clerk_row == ("viewer", "731001", True)
        actions = [r[0] for r in con.execute("SELECT action FROM user_changes WHERE user_name = 'clerk' ORDER BY change_id").fetchall()]
    assert actions == ["add", "role", "reset"]
    assert at.dataframe[0].value.set_index("user_name").loc["clerk", "scope"] == "731001 巨鹿县科学技术协会本级"
    history = at.dataframe[-1].value
    assert list(history["by_user"][:3]) == ["boss"] * 3
    assert "编辑 → 查看（731001）" in set(history["detail"])
    assert "重置密码" in set(history["action"]) or len(set(history["action"])) == 3

    clerk = app_on(demo_copy, monkeypatch, "app_pages/overview.py")
    clerk.text_input(key="auth_name").input("clerk")
    clerk.text_input(key="auth_password").input("temporary-password-2")
    clerk.button(key="auth_submit").click().run()
    assert clerk.text_input(key="change_new")  # a reset password is changed at the next sign-in


def test_the_upload_widgets_state_the_product_limit():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == settings().limits.upload_mb
