"""The bad-input corpus: every importer refuses each file with a message naming the file (and the
row and column where there is one) and what was expected, and the database content stays exactly
as it was (every table's rows and checksum, tests/db_state.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bad_files import SCAN_PDF, TEXT_PDF, pdf, replace_in, template_copy, xlsx, zip_bomb, zipped
from cli_run import run_cli
from db_state import fingerprint
from payment_files import demo_codes, ledger_csv

from monitor.errors import InputError
from monitor.ingest.actuals import import_file
from monitor.ingest.payments import import_payments
from monitor.ingest.targets import commit, preview
from monitor.settings import settings
from monitor.store.db import connect

MAX_UPLOAD_BYTES = settings().limits.upload_bytes
MAX_UNPACKED_BYTES = settings().limits.unpacked_mb * 1024 * 1024
CODE = demo_codes()[0]
HEADER = "项目编码,支付日期,金额（元）,凭证号,摘要"
STORED = (CODE, "2023-01-04", "431.00", "DEMO-183Y-011", "演示数据：巨鹿县研究院专项经费1月支出")  # a demo payment


def ledger(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *rows, ""]).encode(encoding)


def row(paid_on: str = "2023-10-08", amount: str = "100.00", voucher: str = "B-1", code: str = CODE, summary: str = "测试") -> str:
    return ",".join([code, paid_on, amount, voucher, summary])


@dataclass(frozen=True)
class Case:
    name: str  # the file name the importer is given
    data: bytes | Callable[[Path], Path | bytes]  # or made in a test folder
    expected: tuple[str, ...]  # fragments of the message besides the file name
    options: dict = field(default_factory=dict)


PAYMENTS = [
    Case("utf16.csv", ledger(row()).decode().encode("utf-16"), ("不是文本文件", "UTF-16")),
    Case("latin1.csv", ledger(row(summary="café")).replace("café".encode(), "café".encode("latin-1")), ("文件编码无法识别",)),
    Case("binary.csv", bytes(range(256)) * 8, ("不是文本文件",)),
    Case("bom.csv", b"\xef\xbb\xbf" + ledger(row(amount="十元")), ("第 2 行", "列「金额（元）」", "'十元'", "应为数字金额")),
    Case(
        "gbk.csv",
        ledger(row(code="未知项目")).decode().encode("gbk"),
        ("第 2 行", "列「项目编码」", "'未知项目'", "不是 2023 年度的项目编码"),
    ),
    Case("semicolons.csv", ledger(row()).replace(b",", b";"), ("第 1 行", "缺少必需的列「项目编码」", "缺少必需的列「金额」")),
    Case(
        "merged_header.xlsx",
        xlsx([["2023 年支付流水"], HEADER.split(","), row().split(",")], merge="A1:E1"),
        ("第 1 行", "缺少必需的列「支付日期」"),
    ),
    Case("no_date.csv", ledger("x,100", header="项目编码,金额（元）"), ("第 1 行", "缺少必需的列「支付日期」")),
    Case("two_amounts.csv", ledger(row() + ",5", header=HEADER + ",支付金额"), ("第 1 行", "金额（元）、支付金额", "多列都表示「金额」")),
    Case("comma_in_text.csv", ledger(row(summary="场地费,含税")), ("第 2 行", "'含税'", "超出表头的 5 列")),
    Case(
        "formula.xlsx",
        xlsx([HEADER.split(","), [CODE, "2023-10-08", "=100*2", "B-1", "x"]]),
        ("第 2 行", "列「金额（元）」", "应为数字金额"),
    ),
    Case("formula.csv", ledger(row(amount="=SUM(C2:C9)")), ("第 2 行", "'=SUM(C2:C9)'", "应为数字金额")),
    Case("not_a_number.csv", ledger(row(amount="NaN"), row(amount="1e5", voucher="B-2")), ("第 2 行", "'NaN'", "第 3 行", "'1e5'")),
    Case("absurd.csv", ledger(row(amount="9" * 30)), ("第 2 行", "列「金额（元）」", "超出可存储的范围")),
    Case("zero.csv", ledger(row(amount="0.00")), ("第 2 行", "金额不能为 0")),
    Case(
        "unit_clash.csv",
        ledger(row(), header=HEADER.replace("元", "万元")),
        ("列「金额（万元）」", "与指定的单位「元」不一致"),
        {"unit": "元"},
    ),
    Case("no_unit.csv", ledger(row(), header=HEADER.replace("（元）", "")), ("第 1 行", "列「金额」", "金额单位不明")),
    Case(
        "wan_decimals.csv",
        ledger(row(amount="1.2345678"), header=HEADER.replace("元", "万元")),
        ("第 2 行", "超过两位小数", "不做四舍五入"),
    ),
    Case(
        "next_year.csv",
        ledger(row(paid_on="2024-01-02")),
        ("第 2 行", "列「支付日期」", "'2024-01-02'", "不在 2023 预算年度内"),
        {"year": 2023},
    ),
    Case("feb30.csv", ledger(row(paid_on="2023-02-30")), ("第 2 行", "列「支付日期」", "'2023-02-30'", "应为日期")),
    Case("month13.csv", ledger(row(paid_on="2023/13/01")), ("第 2 行", "'2023/13/01'", "应为日期")),
    Case("two_years.csv", ledger(row(paid_on="2022-12-31"), row(voucher="B-2")), ("'2022、2023'", "跨多个年度")),
    Case("future_year.csv", ledger(row(paid_on="2031-03-01")), ("2031 年度还没有项目", "请先导入该年度的绩效目标")),
    Case("no_code.csv", ledger(row(code="")), ("第 2 行", "列「项目编码」", "项目编码不能为空")),
    Case("voucher_twice.csv", ledger(row(), row(amount="5")), ("第 3 行", "列「凭证号」", "'B-1'", "与第 2 行重复")),
    Case("voucher_stored.csv", ledger(row(voucher=STORED[3])), ("第 2 行", "'DEMO-183Y-011'", "凭证号已导入", "批次")),
    Case(
        "stored_again.csv",
        ledger(",".join((*STORED[:3], "", STORED[4]))),
        ("第 2 行", "疑似重复", "已有项目、日期、金额", "批次 2"),
    ),
    Case("empty.csv", b"", ("文件为空",)),
    Case("header_only.csv", ledger(), ("只有表头", "没有支付数据行")),
    Case("huge.csv", ledger(row()) + b"," * MAX_UPLOAD_BYTES, ("文件过大", "上限为 20 MB")),
    Case("archive.xlsx", zipped({"report.txt": b"hello"}), ("是压缩包而不是 xlsx 工作簿",)),
    Case("old_excel.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), ("不是 xlsx 工作簿", "另存为 .xlsx")),
    Case("bomb.xlsx", zip_bomb(MAX_UNPACKED_BYTES), ("解压后超过",)),
    Case("ledger.pdf", TEXT_PDF, ("文件类型应为 .xlsx 或 .csv",)),
]


ACTUALS_HEADER = "项目编码,二级指标,三级指标,截至日期,实际完成值,偏差原因,原因说明,完成目标可能性,纠偏措施"


def actual(value: str = "88%", period: str = "2023-09-30", level3: str = "研究院利用率", reason: str = "", likely: str = "有可能") -> str:
    return ",".join([CODE, "", level3, period, value, reason, "", likely, ""])


def actuals(*rows: str) -> bytes:
    return ledger(*rows, header=ACTUALS_HEADER)


ACTUALS = [
    Case(
        "unknown_code.csv",
        actuals(actual().replace(CODE, "NOPE")),
        ("第 2 行", "列「项目编码」", "'NOPE'", "没有这个项目编码"),
    ),
    Case("feb30.csv", actuals(actual(period="2023-02-30")), ("第 2 行", "列「截至日期」", "'2023-02-30'", "应为日期")),
    Case("words.csv", actuals(actual(value="很好")), ("第 2 行", "列「实际完成值」", "'很好'", "应为数值")),
    Case("bad_numeral.csv", actuals(actual(value="二二")), ("第 2 行", "'二二'", "应为数值")),
    Case(
        "likelihood.csv",
        actuals(actual(likely="也许")),
        ("列「完成目标可能性」", "'也许'", "确定能 / 有可能 / 完全不可能"),
    ),
    Case("reason.csv", actuals(actual(reason="天气")), ("列「偏差原因」", "'天气'", "经费保障")),
    Case("wrong_unit.csv", actuals(actual(value="88 家")), ("第 2 行", "单位「家」与指标值的单位「%」不一致")),
    Case("no_indicator.csv", actuals(actual(level3="不存在的指标")), ("列「三级指标」", "该项目没有这个三级指标")),
    Case("no_period.csv", ledger(f"{CODE},88%", header="项目编码,实际完成值"), ("第 1 行", "缺少必需的列「截至日期」")),
    Case("empty.csv", b"", ("文件为空",)),
    Case("huge.csv", actuals(actual()) + b" " * MAX_UPLOAD_BYTES, ("文件过大",)),
    Case("archive.xlsx", zipped({"a.csv": b"x"}), ("是压缩包而不是 xlsx 工作簿",)),
]


def _template(change: Callable[[Path], None]) -> Callable[[Path], Path]:
    """A case made from the demo template folder with one change."""

    def make(folder: Path) -> Path:
        path = template_copy(folder / "template")
        change(path)
        return path

    return make


SEED_PROJECT = "13052923P00584011183Y,巨鹿县研究院专项经费,20000.00,20000.00"
TARGETS = [
    Case("empty.txt", b"", ("文件为空",)),
    Case("binary.txt", bytes(range(256)) * 8, ("不是文本文件",)),
    Case("utf16.txt", "项目编码 13052923P00584011183Y".encode("utf-16"), ("UTF-16",)),
    Case("minutes.txt", "会议纪要\n今天讨论了预算执行。\n".encode(), ("没有找到项目绩效目标表", "不是绩效目标文件")),
    Case("scan.pdf", SCAN_PDF, ("没有可提取的文字", "扫描图片")),
    Case("cut.pdf", TEXT_PDF[: len(TEXT_PDF) // 2], ("不是可读取的 PDF 文件",)),
    Case("page.pdf", b"<html><body>not a pdf</body></html>", ("不是可读取的 PDF 文件",)),
    Case("no_table.pdf", pdf(b"BT /F1 12 Tf 20 200 Td (Minutes of the meeting) Tj ET"), ("没有找到项目绩效目标表",)),
    Case("archive.xlsx", zipped({"projects.csv": b"year\n2023\n"}), ("是压缩包而不是 xlsx 工作簿",)),
    Case("contacts.xlsx", xlsx([["姓名", "电话"], ["张三", "123"]]), ("缺少表 projects",)),
    Case("targets.docx", b"PK\x03\x04 a word file", ("应为结构化模板",)),
    Case("huge.txt", b"x" * (MAX_UPLOAD_BYTES + 1), ("文件过大",)),
    Case("no_projects", _template(lambda p: (p / "projects.csv").unlink()), ("projects.csv", "缺少表 projects")),
    Case(
        "text_budget",
        _template(lambda p: replace_in(p / "projects.csv", SEED_PROJECT, SEED_PROJECT.replace("20000.00,", "两万,", 1))),
        ("projects.csv 第 2 行", "列「budget」", "'两万'", "应为金额"),
    ),
    Case(
        "budget_in_wan",  # 万元 written where the template wants 元: funds and plan no longer agree with the budget
        _template(lambda p: replace_in(p / "projects.csv", SEED_PROJECT, SEED_PROJECT.replace("20000.00,", "2.00,", 1))),
        ("13052923P00584011183Y", "财政资金 + 其他资金应等于预算数 2.00", "最后一个计划时点的累计数应等于预算数 2.00"),
    ),
    Case(
        "feb30",
        _template(lambda p: replace_in(p / "plan_checkpoints.csv", "2023-03-31", "2023-02-30")),
        ("plan_checkpoints.csv 第 2 行", "列「checkpoint_date」", "日期 YYYY-MM-DD"),
    ),
    Case(
        "plan_next_year",
        _template(lambda p: replace_in(p / "plan_checkpoints.csv", "2023-03-31", "2024-03-31")),
        ("checkpoint_date", "计划时点应在 2023 年内"),
    ),
    Case(
        "project_twice",
        _template(
            lambda p: (p / "projects.csv").write_text(
                (p / "projects.csv").read_text() + (p / "projects.csv").read_text().splitlines()[1] + "\n"
            )
        ),
        ("projects.csv 第 7 行", "项目编码重复"),
    ),
    Case(
        "unknown_code",
        _template(lambda p: replace_in(p / "indicators.csv", "2023,13052923P00584011183Y,1,", "2023,NOPE,1,")),
        ("indicators.csv 第 2 行", "列「project_code」", "'NOPE'", "应为项目表中的项目编码"),
    ),
    Case("year_clash", _template(lambda p: None), ("模板中的年度与指定的年度 2024 不一致",), {"year": 2024}),
    Case(
        "no_budget_column",
        _template(lambda p: replace_in(p / "projects.csv", "name,budget,", "name,预算,")),
        ("projects.csv", "列「budget」", "缺少必需的列"),
    ),
    Case(
        "comma_in_text",
        _template(lambda p: replace_in(p / "indicators.csv", "1 家,>=,1,家", "1 家,>=,1,家,多出")),
        ("indicators.csv 第 2 行", "超出表头"),
    ),
    Case(
        "bad_op",
        _template(lambda p: replace_in(p / "indicators.csv", "1 家,>=,1,家", "1 家,=>,1,家")),
        ("13052923P00584011183Y", "比较符应为"),
    ),
]


@pytest.fixture(scope="module")
def con(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("bad") / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def original(con):
    return fingerprint(con)


def _source(case: Case, tmp_path: Path) -> Path | bytes:
    return case.data if isinstance(case.data, bytes) else case.data(tmp_path)


@pytest.mark.parametrize("case", PAYMENTS, ids=lambda c: c.name)
def test_payments_refused(con, original, case, tmp_path):
    check = import_payments(con, _source(case, tmp_path), case.name, "test", **case.options)
    message = "\n".join(str(p) for p in check.problems + check.duplicates)
    assert check.batch_id is None
    for fragment in (case.name, *case.expected):
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert fingerprint(con) == original


@pytest.mark.parametrize("case", TARGETS, ids=lambda c: c.name)
def test_targets_refused(con, original, case, tmp_path):
    with pytest.raises(InputError) as error:
        commit(con, preview(_source(case, tmp_path), case.name, case.options.get("year", 2023)), "test")
    message = str(error.value)
    named = (case.name,) if isinstance(case.data, bytes) else ()  # a folder's problems name its CSV file (in `expected`)
    for fragment in (*named, *case.expected):
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert fingerprint(con) == original


@pytest.mark.parametrize("case", ACTUALS, ids=lambda c: c.name)
def test_actuals_refused(con, original, case, tmp_path):
    check = import_file(con, _source(case, tmp_path), case.name, "test")
    message = "\n".join(str(p) for p in check.problems)
    assert check.batch_id is None
    for fragment in (case.name, *case.expected):
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert fingerprint(con) == original


def test_the_corpus_is_large_enough():
    assert len(PAYMENTS) + len(TARGETS) + len(ACTUALS) >= 40


def test_the_same_file_twice_adds_nothing(demo_copy, tmp_path):
    data = ledger_csv(tmp_path / "q4.csv").read_bytes()
    with closing(connect(demo_copy)) as con:
        first = import_payments(con, data, "q4.csv", "test")
        assert first.batch_id is not None
        after_first = fingerprint(con)
        again = import_payments(con, data, "q4-copy.csv", "test")  # the same bytes under another name
        assert again.batch_id is None and again.imported_as == first.batch_id
        assert fingerprint(con) == after_first


def test_cli_refuses_a_huge_file_without_reading_it(demo_copy, tmp_path):
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as f:
        f.truncate(MAX_UPLOAD_BYTES + 1)  # sparse: takes no disk space
    before = fingerprint(demo_copy)
    done = run_cli("import", "payments", str(huge), "--db", str(demo_copy))
    assert done.returncode == 2 and "huge.csv" in done.stderr and "文件过大" in done.stderr and "Traceback" not in done.stderr
    assert fingerprint(demo_copy) == before
