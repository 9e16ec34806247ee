"""Indicator actuals: file import (xlsx, CSV UTF-8/GBK), unit reconciliation, errors that write
nothing, re-import that adds nothing, and the editor's rows through the same path."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from monitor.ingest.actuals import check_file, check_rows, import_file, save
from monitor.rules.indicators import NO_FILTERS
from monitor.store.db import query_df

YJY = "13052923P00584011183Y"  # 巨鹿县研究院专项经费
KEPU = "13052923P00584011181P"  # 科普专项经费
HEADER = "项目编码,二级指标,三级指标,截至日期,实际完成值,偏差原因,原因说明,完成目标可能性,纠偏措施\n"


def csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode(encoding)


def stored(con) -> list[tuple]:
    return con.execute(
        "SELECT indicator_id, period_end::VARCHAR, actual_value, actual_text, likelihood, reason FROM indicator_actuals ORDER BY 1, 2"
    ).fetchall()


def status(con, level3: str, project: str = YJY) -> dict:
    rows = query_df(con, "indicator_status", year=2023, dept=None, as_of="2023-12-31", **NO_FILTERS)
    return rows[(rows["project_code"] == project) & (rows["level3"] == level3)].iloc[0].to_dict()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_import_and_status(targets_only, encoding):
    data = csv(
        f"{YJY},,研究院利用率,2023/9/30,88%,硬件条件保障,设备调试延后,有可能,协调企业开放设备",
        f"{KEPU},,工作经费成本,2023年9月30日,652500元,,,确定能,",
        encoding=encoding,
    )
    check = import_file(targets_only, data, "q3.csv", "tester")
    assert check.problems == [] and check.batch_id is not None and check.year == 2023
    assert status(targets_only, "研究院利用率")["latest_actual"] == 88.0
    assert status(targets_only, "研究院利用率")["status"] == "未达标"
    assert status(targets_only, "工作经费成本", KEPU)["latest_actual"] == pytest.approx(65.25)  # 元 → 万元, the target's unit
    assert import_file(targets_only, data, "again.csv", "tester").imported_as == check.batch_id  # the same bytes add nothing
    assert len(stored(targets_only)) == 2


def test_xlsx_import_with_indicator_ids(targets_only):
    book = Workbook()
    sheet = book.active
    sheet.append(["指标编号", "截至日期", "实际完成值", "完成目标可能性"])
    sheet.append([f"{YJY}-01", "2023-06-30", 1, "确定能"])
    dept = targets_only.execute("SELECT indicator_id FROM dept_indicators WHERE op = 'qual' ORDER BY seq LIMIT 1").fetchone()[0]
    sheet.append([dept, "2023-06-30", "已推荐 2 名市级优秀人才", "确定能"])
    out = io.BytesIO()
    book.save(out)
    check = import_file(targets_only, out.getvalue(), "q2.xlsx", "tester")
    assert check.problems == [], check.problems
    assert stored(targets_only) == [
        (f"{YJY}-01", "2023-06-30", 1.0, None, "确定能", None),
        (dept, "2023-06-30", None, "已推荐 2 名市级优秀人才", "确定能", None),
    ]


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("NOPE,,研究院利用率,2023-09-30,88%,,,,", "项目编码", "没有这个项目编码"),
        (f"{YJY},,不存在的指标,2023-09-30,88%,,,,", "三级指标", "没有这个三级指标"),
        (f"{YJY},,研究院利用率,2023-02-30,88%,,,,", "截至日期", "应为日期"),
        (f"{YJY},,研究院利用率,2023-09-30,较高,,,,", "实际完成值", "应为数值"),
        (f"{YJY},,研究院利用率,2023-09-30,88次,,,,", "实际完成值", "单位「次」与指标值的单位「%」不一致"),
        (f"{YJY},,工作完成率,2023-09-30,1万元,,,,", "实际完成值", "不一致"),
        (f"{YJY},,研究院利用率,2023-09-30,88%,资金不足,,,", "偏差原因", "经费保障 / 制度保障"),
        (f"{YJY},,研究院利用率,2023-09-30,88%,,,大概能,", "完成目标可能性", "确定能 / 有可能 / 完全不可能"),
        (f"{YJY},,研究院利用率,2023-09-30,,,,,", "实际完成值", "不能为空"),
    ],
)
def test_bad_rows_name_row_and_column_and_write_nothing(targets_only, row, column, expected):
    good = f"{YJY},,研究院数量,2023-09-30,1,,,确定能,"
    check = import_file(targets_only, csv(good, row), "bad.csv", "tester")
    assert check.batch_id is None and stored(targets_only) == []
    assert any(p.row == 3 and p.column == column and expected in str(p.expected) for p in check.problems), [str(p) for p in check.problems]


def test_english_words_of_reason_and_likelihood_are_stored_as_the_codes(targets_only):
    """The English UI names 人员保障 "Staffing" and 有可能 "At risk": a file written with those words
    stores the Chinese codes, and a refusal read in English lists the words with their codes."""
    check = import_file(targets_only, csv(f"{YJY},,研究院利用率,2023-09-30,88%,Staffing,设备调试延后,At risk,"), "en.csv", "tester")
    assert check.problems == [] and stored(targets_only)[0][4:] == ("有可能", "人员保障")
    bad = check_file(targets_only, csv(f"{YJY},,研究院利用率,2023-12-31,88%,Weather,,Maybe,"), "bad.csv")
    assert [p.column for p in bad.problems] == ["偏差原因", "完成目标可能性"]
    english = [p.expected.text("en") for p in bad.problems]
    assert "Funding (经费保障) / Rules and procedures (制度保障)" in english[0]
    assert english[1].endswith("Certain (确定能) / At risk (有可能) / Impossible (完全不可能)")
    assert "经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他" in bad.problems[0].expected.text("zh")


def test_same_indicator_and_period_twice_is_an_error(targets_only):
    check = check_file(targets_only, csv(f"{YJY},,研究院利用率,2023-09-30,88%,,,,", f"{YJY},,研究院利用率,2023-09-30,90%,,,,"), "dup.csv")
    assert [p.row for p in check.problems] == [3] and "第 2 行" in str(check.problems[0].expected)


def test_missing_columns_and_empty_file(targets_only):
    check = check_file(targets_only, "项目编码,三级指标\nX,Y\n".encode(), "cols.csv")
    assert {p.column for p in check.problems} == {"截至日期", "实际完成值"}
    assert check_file(targets_only, b"", "empty.csv").problems


def test_editor_rows_take_the_same_path(targets_only):
    entries = [
        {
            "indicator_id": f"{YJY}-02",
            "period_end": "2023-09-30",
            "actual": "91",
            "likelihood": "有可能",
            "reason": "经费保障",
            "reason_detail": "资金到位晚",
            "corrective_action": "",
        }
    ]
    check = save(targets_only, check_rows(targets_only, "页面录入（ed）", entries, 2023), "ed")
    assert check.batch_id is not None
    assert targets_only.execute(
        "SELECT kind, file_name, imported_by FROM import_batches WHERE batch_id = ?", [check.batch_id]
    ).fetchone() == ("indicator_actuals", "页面录入（ed）", "ed")
    assert status(targets_only, "研究院利用率")["reason"] == "经费保障"
    bad = check_rows(targets_only, "页面录入（ed）", [{**entries[0], "actual": "91次"}], 2023)
    assert bad.problems and save(targets_only, bad, "ed").batch_id is None
