"""The quarterly review exports: the 绩效运行监控表 workbook checked cell by cell against the
database, the review report (HTML and PDF), `monitor report`, and notes with sign-in."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from contextlib import closing

import pytest
from app_helpers import app_on
from openpyxl import load_workbook
from payment_files import pay
from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.review.report import build_html, html_to_pdf
from monitor.review.workbook import build_workbook
from monitor.rules.disbursement import status_report
from monitor.rules.headline import previous_quarter_end
from monitor.rules.indicators import indicator_report
from monitor.store.db import REPO_ROOT, connect, query_df

AS_OF = dt.date(2023, 9, 30)
YJY = "13052923P00584011183Y"  # 巨鹿县研究院专项经费


def runner(con):
    return lambda name, **params: query_df(con, name, **params)


@pytest.fixture(scope="module")
def workbook(demo_db):
    with closing(connect(demo_db, read_only=True)) as con:
        data = build_workbook(runner(con), 2023, None, AS_OF)
        expected = status_report(con, 2023, AS_OF) | indicator_report(con, 2023, AS_OF)
        paid = dict(con.execute("SELECT project_code, sum(amount) FROM payments WHERE paid_on <= ? GROUP BY 1", [AS_OF]).fetchall())
    return load_workbook(io.BytesIO(data)), expected, paid


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2023-09-24", "2023-06-30"), ("2023-09-30", "2023-06-30"), ("2023-01-15", "2022-12-31"), ("2023-12-31", "2023-09-30")],
)
def test_previous_quarter_end(day, expected):
    assert previous_quarter_end(dt.date.fromisoformat(day)).isoformat() == expected


def test_summary_sheet_against_the_database(workbook):
    book, expected, paid = workbook
    sheet = book["汇总"]
    assert sheet["A1"].value == "绩效运行监控汇总表"
    rows = {sheet.cell(row=r, column=2).value: r for r in range(4, 4 + 5)}
    assert set(rows) == {p["project_code"] for p in expected["projects"]}
    for p in expected["projects"]:
        r = rows[p["project_code"]]
        assert sheet.cell(row=r, column=4).value == pytest.approx(p["budget"] / 10000)
        assert sheet.cell(row=r, column=5).value == pytest.approx(float(paid[p["project_code"]]) / 10000)
        assert sheet.cell(row=r, column=6).value == pytest.approx(p["execution_rate"])
        assert sheet.cell(row=r, column=6).number_format == "0.00%"
    total_row = 4 + 5
    assert sheet.cell(row=total_row, column=1).value == "合计"
    assert sheet.cell(row=total_row, column=4).value == pytest.approx(94.0)
    assert sheet.cell(row=total_row, column=5).value == pytest.approx(float(sum(paid.values())) / 10000)
    assert sheet.cell(row=total_row, column=11).value == sum(i["off_target"] for i in expected["indicators"])
    assert sheet.freeze_panes == "D4"


def test_project_sheet_layout_and_one_indicator_row_per_status(workbook):
    book, expected, paid = workbook
    assert len(book.sheetnames) == 1 + 5
    sheet = next(book[name] for name in book.sheetnames if name.endswith("巨鹿县研究院专项经费"))
    assert sheet["A1"].value == "项目支出绩效目标执行监控表"
    assert (sheet["A3"].value, sheet["B3"].value, sheet["G3"].value) == ("项目名称", "巨鹿县研究院专项经费", YJY)
    assert (sheet["A4"].value, sheet["F4"].value, sheet["G4"].value) == ("主管部门", "实施单位", "巨鹿县科学技术协会本级")
    assert sheet["C6"].value == pytest.approx(2.0) and sheet["D6"].value == pytest.approx(float(paid[YJY]) / 10000)
    assert sheet["E6"].value == pytest.approx(float(paid[YJY]) / 20000)
    assert sheet["A9"].value == "年度总体目标" and sheet["B9"].value.startswith("1. 以科技创新助推巨鹿经济社会高质量发展")
    assert [sheet.cell(row=10, column=c).value for c in (1, 2, 3, 4)] == ["一级指标", "二级指标", "三级指标", "年度指标值"]
    rows = {sheet.cell(row=r, column=3).value: r for r in range(11, 18)}
    mine = {i["level3"]: i for i in expected["indicators"] if i["project_code"] == YJY}
    assert set(rows) == set(mine)
    unmet = rows["研究院利用率"]  # 未达标, at risk
    assert (sheet.cell(row=unmet, column=4).value, sheet.cell(row=unmet, column=5).value) == ("≥95%", "78%")
    assert (sheet.cell(row=unmet, column=7).value, sheet.cell(row=unmet, column=8).value) == ("硬件条件保障", "有可能")
    met = rows["研究院数量"]  # 达标
    assert (sheet.cell(row=met, column=5).value, sheet.cell(row=met, column=8).value) == ("1家", "确定能")
    assert {"A11:A14", "A15:A16"} <= {str(r) for r in sheet.merged_cells.ranges}  # 产出指标 and 效益指标 cells merged, in document order
    assert [sheet.cell(row=r, column=2).value for r in (11, 12, 13, 14)] == ["数量指标", "质量指标", "时效指标", "成本指标"]


def test_formula_like_text_is_neutralised(tmp_path, demo_db):
    import shutil

    path = tmp_path / "evil.duckdb"
    shutil.copy(demo_db, path)
    with closing(connect(path)) as con:
        con.execute("UPDATE projects SET name = '=HYPERLINK(\"http://x\")' WHERE project_code = ?", [YJY])
        con.execute("UPDATE indicators SET target_text = '@SUM(1)' WHERE project_code = ? AND seq = 1", [YJY])
        book = load_workbook(io.BytesIO(build_workbook(runner(con), 2023, None, AS_OF)))
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(1)" in cells
    assert not [c for c in cells if c.startswith(("=", "@", "+"))]


def test_report_html_and_pdf(demo_db):
    with closing(connect(demo_db, read_only=True)) as con:
        page = build_html(runner(con), 2023, None, AS_OF)
        expected = status_report(con, 2023, AS_OF)
    total = expected["total"]
    assert "绩效运行监控季度报告" in page and "94.00" in page
    assert f"{total['execution_rate'] * 100:.2f}%" in page
    assert f"{total['actual_cumulative'] / 10000:,.2f}" in page
    assert "data:image/png;base64," in page and "巨鹿县研究院专项经费" in page
    assert "较上季度末（2023-06-30）" in page and "较 2023-06-30" not in page  # the date once, in the heading
    pdf = html_to_pdf(page)
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000


def test_report_escapes_data(tmp_path, demo_db):
    import shutil

    path = tmp_path / "evil.duckdb"
    shutil.copy(demo_db, path)
    with closing(connect(path)) as con:
        con.execute("UPDATE projects SET name = '<script>alert(1)</script>' WHERE project_code = ?", [YJY])
        page = build_html(runner(con), 2023, None, AS_OF)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("suffix", [".xlsx", ".html"])
def test_cli_report(demo_db, tmp_path, suffix):
    out = tmp_path / f"review{suffix}"
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "report", "--year", "2023", "--as-of", "2023-09-30", "--db", str(demo_db), "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000


def _project_page(db, monkeypatch, user: str | None = None) -> AppTest:
    return app_on(db, monkeypatch, "app_pages/project.py", user=user, password="notes-test-password", project=YJY)


def test_notes_need_an_editor_and_are_kept_with_author(demo_copy, monkeypatch):
    with closing(connect(demo_copy)) as con:
        auth.add_user(con, "ed", "editor", "notes-test-password")
        auth.add_user(con, "vi", "viewer", "notes-test-password")
    for user in (None, "vi"):
        at = _project_page(demo_copy, monkeypatch, user)
        assert not at.text_area  # no note form without the editor role
    at = _project_page(demo_copy, monkeypatch, "ed")
    at.text_area[0].input("三季度研究院设备已到位，预计十月起加快支付。")
    at.button(key="note_save").click().run()
    assert not at.exception, at.exception
    with closing(connect(demo_copy)) as con:  # the same configuration as the app's connection in this process
        rows = con.execute("SELECT project_code, quarter, note, author FROM project_notes").fetchall()
    assert rows == [(YJY, 3, "三季度研究院设备已到位，预计十月起加快支付。", "ed")]


def test_headline_change_since_previous_quarter(targets_only):
    from monitor.rules.headline import headline

    pay(targets_only, YJY, ("2023-05-01", "4000.00"), ("2023-08-01", "6000.00"))
    run = runner(targets_only)
    now, before = headline(run, 2023, None, dt.date(2023, 9, 30)), headline(run, 2023, None, dt.date(2023, 6, 30))
    assert (now.actual, before.actual) == (10000.0, 4000.0)
    assert now.execution_rate == pytest.approx(10000 / 940000) and before.execution_rate == pytest.approx(4000 / 940000)
