"""监控表回填: the 填报版 exported for the demo at 2023-09-30, filled with openpyxl as a person would
(values, reasons, likelihoods, a moved row, a renamed sheet, an inserted column, one forecast),
imported back on the command line and found in `monitor status --json`; the same file twice adds
nothing, a corrected version supersedes the first with old → new in the history, undo restores,
a round open for the unit is filled, and each bad form is refused with sheet, row and column, nothing written."""

from __future__ import annotations

import datetime as dt
import io
import json
from contextlib import closing
from pathlib import Path

import pytest
from cli_run import run_cli
from db_state import fingerprint
from openpyxl import load_workbook

from monitor.auth import User
from monitor.ingest.form import check_form, import_form, save
from monitor.review.fill import build_fill_form
from monitor.rounds import tasks as rounds
from monitor.rules.indicators import indicator_report
from monitor.store.db import connect, query_df
from monitor.store.undo import undo_batch

AS_OF = "2023-09-30"
UNIT = "731001"
YJY = "13052923P00584011183Y"  # 巨鹿县研究院专项经费
KEPU = "13052923P00584011181P"  # 科普专项经费
RETURNED_TASK = 3  # the demo's round at 09-30 the bureau returned to the unit
SUBMITTED_TASK = 2  # the demo's round at 09-30 waiting for review


def export(db: Path, out: Path, *extra: str) -> Path:
    done = run_cli("report", "--fill", "--year", "2023", "--as-of", AS_OF, "--dept", UNIT, "--out", str(out), "--db", str(db), *extra)
    assert done.returncode == 0, done.stderr
    return out


def sheet_of(book, code: str):
    """The project sheet of `code`, found as a person finds it: by the 项目编码 printed on it."""
    return next(s for s in book.worksheets if any(c.value == code for row in s.iter_rows(max_row=3) for c in row))


def row_of(sheet, level3: str) -> int:
    return next(c.row for c in sheet["C"] if c.value == level3)


def fill(path: Path, out: Path, edits) -> Path:
    book = load_workbook(path)
    edits(book)
    book.save(out)
    return out


def person(book) -> None:
    """What staff write: values, judgements, one forecast; then a moved row, a renamed sheet, an inserted column."""
    yjy = sheet_of(book, YJY)
    r = row_of(yjy, "研究院利用率")
    yjy.cell(r, 5).value = "92%"
    yjy.cell(r, 6).value = "四季度设备到位后可达 95%"
    yjy.cell(r, 7).value = "硬件条件保障"
    yjy.cell(r, 8).value = "有可能"
    yjy.cell(r, 9).value = "设备调试延后"
    count = row_of(yjy, "研究院数量")
    yjy.cell(count, 5).value = 2
    yjy.cell(count, 8).value = "确定能"
    yjy["F6"].value = 1.5  # 全年预计执行数, 万元
    yjy["H6"].value = "经费保障"
    yjy["I6"].value = "配套资金年底到位"
    # the two rows swapped by hand (cut and insert): their cells and hidden 指标编号 move together
    for column in range(3, 11):
        above, below = yjy.cell(r, column), yjy.cell(count, column)
        above.value, below.value = below.value, above.value
    yjy.title = "研究院（已填）"
    kepu = sheet_of(book, KEPU)
    kepu.insert_cols(4)  # a column inserted by hand: every heading and value moves right
    rate = row_of(kepu, "科普活动参与率")
    kepu.cell(rate, 6).value = 0.97  # typed into a number cell: 97%
    kepu.cell(rate, 6).number_format = "0%"
    kepu.cell(rate, 9).value = "确定能"


def status(db: Path) -> dict:
    done = run_cli("status", "--year", "2023", "--as-of", AS_OF, "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def blank(demo_db, tmp_path_factory) -> Path:
    """The 填报版 of the demo unit at 09-30, built once (the round-trip test exports its own on the command line)."""
    with closing(connect(demo_db, read_only=True)) as con:
        data = build_fill_form(lambda name, **p: query_df(con, name, **p), 2023, UNIT, dt.date(2023, 9, 30))
    path = tmp_path_factory.mktemp("form") / "填报版.xlsx"
    path.write_bytes(data)
    return path


def test_the_export_is_made_for_filling(blank):
    book = load_workbook(blank)
    info = dict(book["_form"].iter_rows(values_only=True))
    assert (info["year"], info["dept"], info["period_end"], info["task"]) == (2023, UNIT, AS_OF, RETURNED_TASK)
    assert book["_form"].sheet_state == "veryHidden"
    yjy = sheet_of(book, YJY)
    assert yjy["A1"].value == "项目支出绩效目标执行监控表" and yjy["E10"].value == "实际完成值（截至 2023-09-30）"
    assert yjy.protection.sheet and book.worksheets[0].protection.sheet
    assert yjy.column_dimensions["J"].hidden and yjy["J3"].value == f"#project:{YJY}"
    r = row_of(yjy, "研究院利用率")
    assert yjy.cell(r, 10).value == f"{YJY}-02"
    assert [yjy.cell(r, c).protection.locked for c in range(1, 10)] == [True] * 4 + [False] * 5
    assert yjy["F6"].protection.locked is False and yjy["C6"].protection.locked is True
    lists = {str(v.sqref): v.formula1 for v in yjy.data_validations.dataValidation}
    assert any(f == '"经费保障,制度保障,人员保障,硬件条件保障,其他"' and f"G{r}" in ref for ref, f in lists.items())
    assert any(f == '"确定能,有可能,完全不可能"' and f"H{r}" in ref for ref, f in lists.items())


def test_round_trip_into_status_then_again_then_corrected(demo_copy, tmp_path):
    filled = fill(export(demo_copy, tmp_path / "填报版.xlsx"), tmp_path / "已填.xlsx", person)
    done = run_cli("import", "form", str(filled), "--db", str(demo_copy))
    assert done.returncode == 0, done.stderr
    assert "3 个指标完成值、1 个全年预计执行数" in done.stdout and "监控任务 3" in done.stderr

    found = status(demo_copy)
    indicators = {i["indicator_id"]: i for i in found["indicators"]}
    rate = indicators[f"{YJY}-02"]
    assert (rate["latest_actual"], rate["period_end"], rate["reason"], rate["likelihood"]) == (92.0, AS_OF, "硬件条件保障", "有可能")
    assert (rate["reason_detail"], rate["forecast_text"], rate["status"]) == ("设备调试延后", "四季度设备到位后可达 95%", "未达标")
    assert (indicators[f"{YJY}-01"]["latest_actual"], indicators[f"{YJY}-01"]["likelihood"]) == (2.0, "确定能")
    assert indicators[f"{KEPU}-02"]["latest_actual"] == pytest.approx(97.0)
    project = next(p for p in found["projects"] if p["project_code"] == YJY)
    assert project["forecast"] == 15000.0

    before = fingerprint(demo_copy)
    again = run_cli("import", "form", str(filled), "--db", str(demo_copy))
    assert again.returncode == 0 and "已作为批次" in again.stdout
    with closing(connect(demo_copy)) as con:
        resaved = fill(filled, tmp_path / "另存.xlsx", lambda book: None)  # the same content saved again: other bytes
        same = import_form(con, resaved.read_bytes(), resaved.name, "tester")
        assert (same.problems, same.records, same.batch_id, same.unchanged) == ([], [], None, 35)
        assert fingerprint(con) == before

        def corrected(book) -> None:
            yjy = sheet_of(book, YJY)
            yjy.cell(row_of(yjy, "研究院利用率"), 5).value = "93%"

        second = fill(filled, tmp_path / "更正.xlsx", corrected)
        check = import_form(con, second.read_bytes(), second.name, "tester")
        assert (len(check.actuals), len(check.forecasts), check.previous[f"{YJY}-02"]["actual_value"]) == (1, 0, 92.0)
        changes = query_df(con, "actual_changes", year=2023, project=None, batch=check.batch_id, max_batch_rows=None, limit=None)
        assert changes[["indicator_id", "field", "old", "new"]].values.tolist() == [[f"{YJY}-02", "actual", "92", "93"]]
        assert latest(con, f"{YJY}-02") == 93.0
        undo_batch(con, check.batch_id, "tester")
        assert latest(con, f"{YJY}-02") == 92.0


def latest(con, indicator_id: str) -> float:
    found = indicator_report(con, 2023, dt.date(2023, 9, 30))["indicators"]
    return next(i["latest_actual"] for i in found if i["indicator_id"] == indicator_id)


def test_a_returned_round_is_filled_and_a_submitted_one_refused(blank, demo_copy, tmp_path):
    filled = fill(blank, tmp_path / "已填.xlsx", person)
    with closing(connect(demo_copy)) as con:
        save(con, check := check_form(con, filled.read_bytes(), filled.name, 2023, UNIT), "tester")
        assert check.rounds == [RETURNED_TASK] and check.batch_id is not None
        entries = rounds.prefill(con, RETURNED_TASK, UNIT).set_index("indicator_id")
        wanted = ["四季度设备到位后可达 95%", "硬件条件保障", "有可能"]
        assert entries.loc[f"{YJY}-02", ["forecast_text", "reason", "likelihood"]].tolist() == wanted
        rounds.submit(con, User("ed", "editor"), RETURNED_TASK, UNIT, {})  # submitted as it came from the form
        kept = rounds.latest_snapshot(con, RETURNED_TASK, UNIT).frames["indicator_status"].set_index("indicator_id")
        assert kept.loc[f"{YJY}-02", ["reason_detail", "forecast_text"]].tolist() == ["设备调试延后", wanted[0]]
        again = fill(filled, tmp_path / "提交后.xlsx", lambda book: setattr(sheet_of(book, YJY)["I6"], "value", "改"))
        refused = check_form(con, again.read_bytes(), again.name)
        assert [p.expected.key for p in refused.problems] == ["err_form_round_closed"]
        assert "监控任务 3" in refused.problems[0].text() and "已提交" in refused.problems[0].text()
    args = ["--fill", "--year", "2023", "--as-of", AS_OF, "--dept", UNIT, "--task", str(SUBMITTED_TASK)]
    done = run_cli("report", *args, "--out", str(tmp_path / "x.xlsx"), "--db", str(demo_copy))
    assert done.returncode == 2 and "监控任务 2" in done.stderr, done.stderr


def _cell(sheet_code: str, level3: str, column: int, value):
    def edit(book) -> None:
        sheet = sheet_of(book, sheet_code)
        sheet.cell(row_of(sheet, level3), column).value = value

    return edit


BAD_FORMS = {
    "wrong unit": (_cell(YJY, "研究院利用率", 5, "5次"), "E（实际完成值（截至 2023-09-30））", "err_actual_unit"),
    "text in a number": (_cell(YJY, "研究院数量", 5, "已完成"), "E（实际完成值（截至 2023-09-30））", "err_actual_number_unit"),
    "reason off the list": (_cell(YJY, "研究院利用率", 7, "天气原因"), "G（偏差原因分析）", "err_reason"),
    "likelihood off the list": (_cell(YJY, "研究院利用率", 8, "大概能"), "H（完成目标可能性）", "err_likelihood"),
    "forecast not an amount": (
        lambda book: setattr(sheet_of(book, YJY)["F6"], "value", "约两万"),
        "F（全年预计执行数）",
        "err_forecast_amount",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FORMS))
def test_a_bad_cell_is_refused_by_sheet_row_and_column(blank, demo_copy, tmp_path, name):
    edit, column, key = BAD_FORMS[name]
    bad = fill(blank, tmp_path / "bad.xlsx", edit)
    before = fingerprint(demo_copy)
    with closing(connect(demo_copy)) as con:
        check = save(con, check_form(con, bad.read_bytes(), bad.name), "tester")
    assert [p.expected.key for p in check.problems] == [key] and check.batch_id is None
    text = check.problems[0].text()
    assert "工作表「3.巨鹿县研究院专项经费」" in text and f"列「{column}」" in text and "第 " in text
    assert fingerprint(demo_copy) == before


@pytest.mark.parametrize(
    ("edit", "expected", "key"),
    [
        (lambda book: sheet_of(book, YJY).delete_cols(10), {}, "err_form_no_ids"),
        (lambda book: None, {"year": 2024}, "err_form_year"),
        (lambda book: None, {"dept": "731002"}, "err_form_dept"),
        (lambda book: None, {"task_id": 1}, "err_form_task"),
        (lambda book: book.remove(book["_form"]), {}, "err_form_not_fill"),
    ],
    ids=["deleted id column", "another year", "another unit", "another round", "not a 填报版"],
)
def test_a_form_of_another_kind_is_refused(blank, demo_copy, tmp_path, edit, expected, key):
    bad = fill(blank, tmp_path / "bad.xlsx", lambda book: (person(book), edit(book)))
    before = fingerprint(demo_copy)
    with closing(connect(demo_copy)) as con:
        check = save(con, check_form(con, bad.read_bytes(), bad.name, **expected), "tester")
    assert [p.expected.key for p in check.problems] == [key] and check.batch_id is None
    assert fingerprint(demo_copy) == before


def test_the_command_line_refuses_with_status_2(blank, demo_copy, tmp_path):
    bad = fill(blank, tmp_path / "bad.xlsx", _cell(YJY, "研究院利用率", 7, "天气原因"))
    done = run_cli("import", "form", str(bad), "--db", str(demo_copy))
    assert done.returncode == 2 and "第 " in done.stderr and "天气原因" in done.stderr and "未写入任何数据" in done.stderr


def english_form_checked(db: Path, reason: str):
    """The English 填报版 at 2023-09-30 with 研究院利用率 filled (90, `reason`, At risk), checked."""
    with closing(connect(db)) as con:
        data = build_fill_form(lambda name, **p: query_df(con, name, **p), 2023, UNIT, dt.date(2023, 9, 30), "en")
        book = load_workbook(io.BytesIO(data))
        yjy = sheet_of(book, YJY)
        r = row_of(yjy, "研究院利用率")
        yjy.cell(r, 5).value, yjy.cell(r, 7).value, yjy.cell(r, 8).value = "90", reason, "At risk"
        out = io.BytesIO()
        book.save(out)
        return check_form(con, out.getvalue(), "en.xlsx")


def test_an_english_form_reads_back(demo_copy):
    check = english_form_checked(demo_copy, "Staffing")
    assert check.problems == [] and [(a.actual_value, a.reason, a.likelihood) for a in check.actuals] == [(90.0, "人员保障", "有可能")]


def test_an_english_form_is_refused_in_english(demo_copy):
    """A reason typed past the English drop-down is refused with the English column heading and the
    English choices (each with the code it stands for), not the stored Chinese list alone."""
    check = english_form_checked(demo_copy, "Bad weather")
    assert [p.expected.key for p in check.problems] == ["err_reason"] and check.batch_id is None
    text = check.problems[0].text("en")
    assert "G (Reason for deviation)" in text and "Bad weather" in text
    assert "Funding (经费保障) / Rules and procedures (制度保障) / Staffing (人员保障)" in text
