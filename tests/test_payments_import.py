"""`python -m monitor import payments`: every accepted file shape, every refusal, idempotence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from payment_files import HEADER_YUAN, Line, demo_codes, ledger, stored, totals, write_csv, write_xlsx

from monitor.cli import main
from monitor.ingest.payments import check_payments, import_payments, parse_amount, parse_date, report
from monitor.review.export import csv_bytes
from monitor.store.db import connect

EXCEL_EPOCH = dt.date(1899, 12, 30)
HEADER = HEADER_YUAN


@pytest.fixture
def english(monkeypatch):
    """The command line in English (MONITOR_LANG), whose wording these tests read."""
    monkeypatch.setenv("MONITOR_LANG", "en")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def expected(lines: list[Line]) -> set[tuple]:
    return {(x.project_code, x.paid_on, x.yuan, x.voucher, x.summary) for x in lines}


def last_batch(db: Path) -> int:
    con = duckdb.connect(str(db))
    try:
        return con.execute("SELECT max(batch_id) FROM import_batches").fetchone()[0]
    finally:
        con.close()


# Each shape writes the ledger of payment_files.ledger() and returns the file and the CLI options it needs.
def csv_utf8_thousands(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    rows = [[x.project_code, x.paid_on.isoformat(), f"{x.yuan:,.2f}", x.voucher, x.summary] for x in lines]
    return write_csv(folder / "ledger.csv", HEADER, rows), []


def csv_bom_aliases_slashed_dates(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    header = ["项目代码", "日期", "支付金额(元)", "凭证编号", "摘要", "资金来源", "收款单位", "项目名称"]
    rows = [
        [
            x.project_code,
            f"{x.paid_on.year}/{x.paid_on.month}/{x.paid_on.day}",
            str(x.yuan),
            x.voucher,
            x.summary,
            "一般公共预算",
            "某公司",
            "—",
        ]
        for x in lines
    ]
    return write_csv(folder / "ledger-bom.csv", header, rows, encoding="utf-8-sig"), []


def csv_gbk_chinese_dates_unit_option(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    header = ["项目编码", "记账日期", "金额", "凭证号", "摘要"]
    rows = [[x.project_code, f"{x.paid_on.year}年{x.paid_on.month}月{x.paid_on.day}日", str(x.yuan), x.voucher, x.summary] for x in lines]
    return write_csv(folder / "ledger-gbk.csv", header, rows, encoding="gbk"), ["--unit", "元"]


def tsv_model_names(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    header = ["project_code", "paid_on", "amount", "voucher_no", "summary"]
    rows = [[x.project_code, x.paid_on.isoformat(), str(x.yuan), x.voucher, x.summary] for x in lines]
    return write_csv(folder / "ledger.tsv", header, rows, delimiter="\t"), ["--unit", "元", "--year", "2023"]


def csv_wan_yuan_header(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    header = ["项目编码", "支付日期", "金额（万元）", "凭证号", "摘要"]
    rows = [[x.project_code, x.paid_on.isoformat(), str(x.yuan / 10000), x.voucher, x.summary] for x in lines]
    return write_csv(folder / "ledger-wan.csv", header, rows), []


def csv_excel_serial_dates(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    rows = [[x.project_code, str((x.paid_on - EXCEL_EPOCH).days), str(x.yuan), x.voucher, x.summary] for x in lines]
    return write_csv(folder / "ledger-serial.csv", HEADER, rows), []


def xlsx_real_dates(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    rows = [[x.project_code, dt.datetime.combine(x.paid_on, dt.time()), float(x.yuan), x.voucher, x.summary] for x in lines]
    return write_xlsx(folder / "ledger.xlsx", HEADER, rows), []


def xlsx_serial_dates_wan_yuan(folder: Path, lines: list[Line]) -> tuple[Path, list[str]]:
    header = ["项目编码", "支付日期", "支付金额(万元)", "凭证号", "摘要"]
    rows = [[x.project_code, (x.paid_on - EXCEL_EPOCH).days, float(x.yuan / 10000), x.voucher, x.summary] for x in lines]
    return write_xlsx(folder / "ledger-serial.xlsx", header, rows), []


SHAPES = [
    csv_utf8_thousands,
    csv_bom_aliases_slashed_dates,
    csv_gbk_chinese_dates_unit_option,
    tsv_model_names,
    csv_wan_yuan_header,
    csv_excel_serial_dates,
    xlsx_real_dates,
    xlsx_serial_dates_wan_yuan,
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.__name__)
def test_each_file_shape_is_imported_exactly(shape, demo_copy, tmp_path, capsys, english):
    lines = ledger()
    path, options = shape(tmp_path, lines)
    count, total = totals(demo_copy)
    code, out, err = run(capsys, "import", "payments", path, "--db", demo_copy, *options)
    assert code == 0, err
    assert "imported as batch" in out
    assert totals(demo_copy) == (count + len(lines), total + sum(x.yuan for x in lines))
    assert stored(demo_copy, last_batch(demo_copy)) == expected(lines)


def test_year_is_inferred_from_the_dates_and_said(demo_copy, tmp_path, capsys, english):
    path, _ = csv_utf8_thousands(tmp_path, ledger())
    code, out, _ = run(capsys, "import", "payments", path, "--db", demo_copy, "--dry-run")
    assert code == 0
    assert "checked, nothing written" in out and "fiscal year 2023 (inferred" in out
    assert f"total {sum(x.yuan for x in ledger()):,.2f} 元" in out


def test_the_same_file_twice_adds_nothing(demo_copy, tmp_path, capsys, english):
    path, _ = csv_utf8_thousands(tmp_path, ledger())
    assert run(capsys, "import", "payments", path, "--db", demo_copy)[0] == 0
    batch = last_batch(demo_copy)
    after_first = totals(demo_copy)
    renamed = path.with_name("renamed copy.csv")  # the same bytes under another name are the same file
    renamed.write_bytes(path.read_bytes())
    for again in (path, renamed):
        code, out, _ = run(capsys, "import", "payments", again, "--db", demo_copy)
        assert code == 0
        assert f"already imported as batch {batch}; nothing added" in out
    assert totals(demo_copy) == after_first
    assert last_batch(demo_copy) == batch


def _refund_row(line: Line) -> list[str]:
    return [line.project_code, line.paid_on.isoformat(), str(line.yuan), line.voucher, line.summary]


def _stored_voucher(db: Path) -> str:
    con = duckdb.connect(str(db))
    try:
        return con.execute("SELECT min(voucher_no) FROM payments").fetchone()[0]
    finally:
        con.close()


CODE = demo_codes()[0]
ERROR_CASES = {  # name → (header, data rows, CLI options, row, column, words of the message)
    "unknown project code": (
        HEADER,
        [[CODE, "2023-10-01", "10", "E1", ""], ["13052923PXXXX", "2023-10-02", "10", "E2", ""]],
        [],
        3,
        "项目编码",
        "不是 2023 年度的项目编码",
    ),
    "date outside the fiscal year": (
        HEADER,
        [[CODE, "2023-10-01", "10", "E1", ""], [CODE, "2024-01-02", "10", "E2", ""]],
        ["--year", "2023"],
        3,
        "支付日期",
        "不在 2023 预算年度内",
    ),
    "not a date": (HEADER, [[CODE, "2023-02-30", "10", "E1", ""]], [], 2, "支付日期", "应为日期"),
    "non-numeric amount": (
        HEADER,
        [[CODE, "2023-10-01", "10", "E1", ""], [CODE, "2023-10-02", "十元", "E2", ""]],
        [],
        3,
        "金额（元）",
        "应为数字金额",
    ),
    "bad thousands separators": (HEADER, [[CODE, "2023-10-01", "1,00", "E1", ""]], [], 2, "金额（元）", "应为数字金额"),
    "amount too large": (
        HEADER,
        [[CODE, "2023-10-01", "123456789012345678901234567890", "E1", ""]],
        [],
        2,
        "金额（元）",
        "超出可存储的范围",
    ),
    "zero amount": (HEADER, [[CODE, "2023-10-01", "0.00", "E1", ""]], [], 2, "金额（元）", "不能为 0"),
    "more than two decimals in 元": (HEADER, [[CODE, "2023-10-01", "10.005", "E1", ""]], [], 2, "金额（元）", "超过两位小数"),
    "more than two decimals after 万元": (
        ["项目编码", "支付日期", "金额（万元）"],
        [[CODE, "2023-10-01", "0.1234567"]],
        [],
        2,
        "金额（万元）",
        "超过两位小数",
    ),
    "duplicate voucher in the file": (
        HEADER,
        [[CODE, "2023-10-01", "10", "E1", ""], [CODE, "2023-10-02", "20", "E1", ""]],
        [],
        3,
        "凭证号",
        "与第 2 行重复",
    ),
    "missing column": (["项目编码", "金额（元）"], [[CODE, "10"]], [], 1, "支付日期", "缺少必需的列"),
    "unit not stated": (["项目编码", "支付日期", "金额"], [[CODE, "2023-10-01", "10"]], [], 1, "金额", "金额单位不明"),
    "unit disagrees with --unit": (HEADER, [[CODE, "2023-10-01", "10", "E1", ""]], ["--unit", "万元"], 1, "金额（元）", "不一致"),
    "dates span two years": (
        HEADER,
        [[CODE, "2023-12-31", "10", "E1", ""], [CODE, "2024-01-01", "10", "E2", ""]],
        [],
        None,
        "支付日期",
        "跨多个年度",
    ),
    "header only": (HEADER, [], [], None, None, "没有支付数据行"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_each_error_names_its_row_and_writes_nothing(case, demo_copy, tmp_path, capsys):
    header, rows, options, row, column, words = ERROR_CASES[case]
    path = write_csv(tmp_path / "bad.csv", header, rows)
    before, batches = totals(demo_copy), last_batch(demo_copy)
    code, _, err = run(capsys, "import", "payments", path, "--db", demo_copy, *options)
    assert code == 2
    assert "未写入任何数据" in err
    given = dict(zip(options[::2], options[1::2]))
    con = connect(demo_copy)
    try:
        check = check_payments(con, path.read_bytes(), path.name, unit=given.get("--unit"), year=int(given.get("--year", 0)) or None)
    finally:
        con.close()
    assert any(p.row == row and p.column == column and words in str(p.expected) for p in check.problems), check.problems
    where = f"bad.csv 第 {row} 行" if row else "bad.csv"
    assert any(where in line and words in line and (column is None or f"列「{column}」" in line) for line in err.splitlines()), err
    assert totals(demo_copy) == before
    assert last_batch(demo_copy) == batches


def test_empty_and_unreadable_files_are_refused(demo_copy, tmp_path, capsys):
    before = totals(demo_copy)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    not_xlsx = tmp_path / "ledger.xlsx"
    not_xlsx.write_text("项目编码,支付日期\n", encoding="utf-8")
    old_excel = tmp_path / "ledger.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0")
    for path, words in ((empty, "文件为空"), (not_xlsx, "不是 xlsx 工作簿"), (old_excel, "另存为 .xlsx")):
        code, _, err = run(capsys, "import", "payments", path, "--db", demo_copy)
        assert code == 2 and words in err and path.name in err
    assert totals(demo_copy) == before


def test_voucher_already_stored_is_an_error(demo_copy, tmp_path, capsys):
    voucher = _stored_voucher(demo_copy)
    path = write_csv(tmp_path / "again.csv", HEADER, [[CODE, "2023-10-01", "10", "NEW-1", ""], [CODE, "2023-10-02", "99", voucher, ""]])
    before = totals(demo_copy)
    code, _, err = run(capsys, "import", "payments", path, "--db", demo_copy)
    assert code == 2
    assert f"again.csv 第 3 行 列「凭证号」：值 '{voucher}'：凭证号已导入" in err
    assert totals(demo_copy) == before


def test_likely_duplicates_need_confirmation(demo_copy, tmp_path, capsys):
    con = duckdb.connect(str(demo_copy))
    try:  # a stored demo payment, re-entered without its voucher as another ledger would hold it
        code, paid_on, amount, summary = con.execute(
            "SELECT project_code, paid_on, amount, summary FROM payments ORDER BY payment_id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    new = Line(CODE, dt.date(2023, 10, 1), Decimal("10.00"), "", "新支付")
    header = ["项目编码", "支付日期", "金额（元）", "摘要"]
    path = write_csv(
        tmp_path / "other.csv",
        header,
        [[new.project_code, "2023-10-01", "10.00", new.summary], [code, paid_on.isoformat(), str(amount), summary]],
    )
    before = totals(demo_copy)
    rc, _, err = run(capsys, "import", "payments", path, "--db", demo_copy)
    assert rc == 2
    assert "疑似重复 other.csv 第 3 行" in err and "--accept-duplicates" in err
    assert totals(demo_copy) == before
    rc, _, _ = run(capsys, "import", "payments", path, "--db", demo_copy, "--accept-duplicates")
    assert rc == 0
    assert totals(demo_copy) == (before[0] + 2, before[1] + Decimal("10.00") + amount)


def test_import_is_one_transaction(demo_copy, tmp_path):
    """A failure while writing the rows leaves neither the batch nor any row."""
    path = write_csv(tmp_path / "ok.csv", ["项目编码", "支付日期", "金额（元）"], [[CODE, "2023-10-01", "10"], [CODE, "2023-10-02", "20"]])
    con = connect(demo_copy)
    try:
        con.execute("ALTER TABLE payments ALTER COLUMN voucher_no SET NOT NULL")  # the insert now fails after the batch row
        before = con.execute("SELECT count(*), (SELECT count(*) FROM payments) FROM import_batches").fetchone()
        with pytest.raises(duckdb.ConstraintException):
            import_payments(con, path.read_bytes(), path.name, "tester")
        assert con.execute("SELECT count(*), (SELECT count(*) FROM payments) FROM import_batches").fetchone() == before
    finally:
        con.close()


def test_report_is_downloadable_and_neutralised(demo_copy, tmp_path):
    path = write_csv(tmp_path / "bad.csv", HEADER, [["=HYPERLINK(1)", "2023-10-01", "-0", "+E1", "@x"]])
    con = connect(demo_copy)
    try:
        table = report(check_payments(con, path.read_bytes(), path.name))
    finally:
        con.close()
    assert set(table["level"]) == {"error"}
    assert {(r, c) for r, c in zip(table["row"], table["column"])} == {(2, "项目编码"), (2, "金额（元）")}
    data = csv_bytes(table, [("文件", path.name)])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'-0" in text
    assert ",=HYPERLINK" not in text and ",-0," not in text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-03-15", dt.date(2023, 3, 15)),
        ("2023/3/5", dt.date(2023, 3, 5)),
        ("2023.03.15", dt.date(2023, 3, 15)),
        ("2023年3月15日", dt.date(2023, 3, 15)),
        ("20230315", dt.date(2023, 3, 15)),
        ("45000", dt.date(2023, 3, 15)),
        ("2023-03-15 10:30:00", dt.date(2023, 3, 15)),
        ("2023-02-29", None),
        ("15/03/2023", None),
        ("", None),
    ],
)
def test_dates(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234,567.89", Decimal("1234567.89")),
        ("-1,200.00", Decimal("-1200.00")),
        ("¥800", Decimal("800")),
        ("12,34", None),
        ("1.2.3", None),
        ("abc", None),
    ],
)
def test_amounts(text, value):
    assert parse_amount(text) == value
