"""The fast reading of payment ledgers against the row-by-row reading it stands in for.

A CSV file is read column-wise by Arrow (tables.read_upload_columns) and its cells parsed in one
SQL pass (payments.parse_cells); where either could differ from the row-by-row reading it must
refuse, and the file is then read row by row. These tests run tricky cells and files through both.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from payment_files import demo_codes, write_csv, write_xlsx

from monitor.ingest.files import WHITESPACE, read_upload, read_upload_columns
from monitor.ingest.payments import COLUMNS, UNITS, PaymentCheck, _amount_in_yuan, check_payments, parse_cells, parse_date
from monitor.store.db import connect

DATES = [
    "2023-03-15", "2023/3/15", "2023.3.5", "2023/03-15", "2023-3-15 10:20", "2023-03-15T10:20:30", "2023-03-15 10:20:30.125",
    "2023-03-15 99:99", "2023-03-15 1:2", "2023-03-15  10:20", "2023-03-15T", "2023-03-15 10:20:30.", "2023-3-5-1",
    "2023-02-29", "2024-02-29", "2023-13-01", "2023-00-10", "2023-01-00", "2023-04-31", "0000-01-01", "0001-01-01", "9999-12-31",
    "2023年3月15日", "2023年03月5日", "2023年3月15", "2023 年3月15日", "20230315", "20231301", "20230230", "2023031", "202303150",
    "45000", "45000.5", "45000.99999999999999999", "99999.9", "00001", "4500", "450000", "45000.", ".5", "45000.5e3", "4.5e4",
    "２０２３-03-15", "٢٠٢٣-٠٣-١٥", "45000\n", "2023-03-15\n2023-03-16", "",
]  # fmt: skip
AMOUNTS = [
    "12345.67", "12,345.67", "1,234,567.89", "1,23,456", "1234,567", ",123", "123,", "+12", "-150.50", "−150.5", "－150.5", "--1",
    "¥1,234.50", "￥¥12", "¥ 12", "1 234", "¥-12", "-¥12", "¥", "0", "-0", "0.00", "+0.0", "0.001", "0.004", "0.01", "1.005",
    "1.230", "1.2300000000", "1.23000000000000000000000000000000", "12.", ".5", "1e3", "١٢", "１２", "12.3.4", "1,234.5.6",
    "1.2345", "1.23456", "1.234567", "1.2345678", "0.000001", "0.0000001", "9999999999999999.99", "10000000000000000",
    "-9999999999999999.99", "999999999999.9999", "1000000000000", "00000000000000000000000012.5", "0000000000000000000000000000000001",
    "1.000000000000000000000000000000001", "1234567890123456.0000000000001", "12 ", "abc", "",
]  # fmt: skip
# Read by the row-by-row parse, left to it by the one-pass parse: Python's \d takes every Unicode
# digit, and Decimal rounds a product beyond 28 digits to one that is exact to the fen.
ROW_BY_ROW_ONLY = {"２０２３-03-15", "٢٠٢٣-٠٣-١٥", "١٢", "１２", "1.000000000000000000000000000000001", "1234567890123456.0000000000001"}
# Cells as a bank or Excel writes them: the one-pass parse must read these itself.
COMMON_DATES = {"2023-03-15", "2023/3/15", "2023-03-15 10:20:30", "2023年3月15日", "20230315", "45000", "45000.5"}
COMMON_AMOUNTS = {"12,345.67", "-150.50", "¥1,234.50", "12", "1,234,567.89", "0.01"}


def test_whitespace_is_what_str_strip_removes():
    assert sorted(WHITESPACE) == sorted(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


@pytest.mark.parametrize("unit", list(UNITS))
def test_one_pass_parse_reads_every_cell_as_the_row_by_row_parse(unit):
    values = [value.strip() for value in (*DATES, *AMOUNTS, *COMMON_DATES, *COMMON_AMOUNTS)]  # cells reach both parses trimmed
    cells = pa.table(
        {
            "row": pa.array(range(2, len(values) + 2), pa.int32()),
            **{column: pa.array(values if column in ("paid_on", "amount") else ["X"] * len(values), pa.string()) for column in COLUMNS},
        }
    )
    parsed = parse_cells(duckdb.connect(), cells, unit)
    assert parsed["row"].to_pylist() == cells["row"].to_pylist()
    for value, paid_on, amount in zip(values, parsed["paid_on"].to_pylist(), parsed["amount"].to_pylist()):
        for fast, slow in ((paid_on, parse_date(value)), (amount, _amount_in_yuan(value, UNITS[unit], lambda *_, **__: None))):
            assert fast == slow or (fast is None and value in ROW_BY_ROW_ONLY), (value, fast, slow)
            assert fast is not None or slow is None or value in ROW_BY_ROW_ONLY, value
    assert {v for v, paid_on in zip(values, parsed["paid_on"].to_pylist()) if paid_on} >= COMMON_DATES
    assert {v for v, amount in zip(values, parsed["amount"].to_pylist()) if amount} >= COMMON_AMOUNTS


# (file text, whether the column-wise reading must read it itself)
CSV_TEXTS = [
    ("a,b\nc,d\n", True),
    ("a,b\r\nc,d\r\n", True),
    ("a\tb\nc\td\n", True),
    (" a ,\u3000b\n\u3000x\u3000,y \n", True),
    ('a,b\n"1,234.50","x ""y"""\n', True),
    ('a,b\n"x\ny",z\n\n\n , \n"q",r', True),
    ("a,b\nc,d", True),
    ("a,b,\nc,d,\n,,\ne,f,\n", True),
    ('a,b\n"ab"c,d\na"b,c\n', True),
    ("a,b\n", True),
    ('a,b\n"abc,d\n', False),
    ("a,b\rc,d\r", False),
    ("\na,b\nc,d\n", False),
    (",\na,b\nc,d\n", False),
    ("a,b\nc,d,\n", False),
    ("a,b\nc,d,e\n", False),
    ("a,b\nc\n", False),
    ("", False),
]


@pytest.mark.parametrize("text, fast", CSV_TEXTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_column_reading_holds_what_the_row_reading_reads(text, fast, encoding):
    data = text.encode(encoding)
    columns = read_upload_columns(data, "ledger.csv")
    assert (columns is not None) == fast
    if columns is not None:
        sheet = read_upload(data, "ledger.csv")
        assert columns.header == sheet.header
        rows = [(r["row"], [r[str(i)] for i in range(len(columns.header))]) for r in columns.cells.to_pylist()]
        assert rows == [(number, [cells[h] for h in sheet.header]) for number, cells in sheet.rows]


def test_other_files_are_left_to_the_row_reading(tmp_path):
    path = write_xlsx(tmp_path / "ledger.xlsx", ["a", "b"], [["c", "d"]])
    assert read_upload_columns(path.read_bytes(), path.name) is None
    assert read_upload_columns(b"a,b\nc,d\n", "ledger.xls") is None
    assert read_upload_columns(b"a,b\n\xff\xff\xff,d\n", "ledger.csv") is None  # neither UTF-8 nor GB18030


def _both(demo_copy: Path, tmp_path: Path, header: list[str], rows: list[list[str]], **options) -> tuple[PaymentCheck, PaymentCheck]:
    """The check of a CSV file and of the same cells in an xlsx workbook, which is always read row by row."""
    csv_path = write_csv(tmp_path / "ledger.csv", header, rows)
    xlsx_path = write_xlsx(tmp_path / "ledger.xlsx", header, rows)
    con = connect(demo_copy)
    try:
        return tuple(check_payments(con, path.read_bytes(), path.name, **options) for path in (csv_path, xlsx_path))
    finally:
        con.close()


def _same(csv_check: PaymentCheck, xlsx_check: PaymentCheck) -> None:
    def problems(found):
        return [(p.row, p.column, p.value, p.expected) for p in found]

    assert csv_check.payments.equals(xlsx_check.payments)
    assert problems(csv_check.problems) == problems(xlsx_check.problems)
    assert problems(csv_check.duplicates) == problems(xlsx_check.duplicates)
    assert (csv_check.year, csv_check.year_inferred, csv_check.unit, csv_check.ignored_columns, csv_check.total) == (
        xlsx_check.year,
        xlsx_check.year_inferred,
        xlsx_check.unit,
        xlsx_check.ignored_columns,
        xlsx_check.total,
    )


HEADER = ["项目编码", "支付日期", "金额（万元）", "凭证号", "摘要", "备注"]


def test_a_clean_file_read_column_wise_checks_as_row_by_row(demo_copy, tmp_path):
    codes = demo_codes()
    rows = [
        [codes[0], "2023/10/8", "¥1,234.5", "F-1", "场地费", ""],
        [codes[1], "2023年10月9日", "+12", "", "耗材", "x"],
        [codes[2], "20231020", "−0.015", "F-3", "", ""],
        [codes[3], "45200", "1 000", "F-4", " 前后有空格 ", ""],
        [codes[4], "2023-11-02 10:20:30", "12.300000", "F-5", "摘要, 有逗号", ""],
        [codes[0], "2023.12.28", "0.000001", "", "", ""],
    ]
    csv_check, xlsx_check = _both(demo_copy, tmp_path, HEADER, rows)
    assert read_upload_columns((tmp_path / "ledger.csv").read_bytes(), "ledger.csv") is not None
    assert not csv_check.problems and csv_check.payments.num_rows == len(rows)
    _same(csv_check, xlsx_check)


@pytest.mark.parametrize("unreadable", [False, True], ids=["cells-read-column-wise", "with-unreadable-cells"])
def test_a_file_with_problems_is_reported_as_row_by_row(unreadable, demo_copy, tmp_path):
    codes = demo_codes()
    con = duckdb.connect(str(demo_copy))
    try:
        voucher = con.execute("SELECT voucher_no FROM payments WHERE voucher_no IS NOT NULL LIMIT 1").fetchone()[0]
        code, paid_on, amount, summary = con.execute(
            "SELECT project_code, paid_on, amount, summary FROM payments WHERE year = 2023 ORDER BY payment_id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    rows = [
        [codes[0], "2023-10-01", "1", "P-1", "", ""],
        [codes[0], "2023-10-03", "0.01", "P-1", "", ""],  # the voucher of row 2 again
        ["NOPE", "2023-10-04", "2", "P-4", "", ""],
        [codes[1], "2023-10-05", "3", voucher, "", ""],  # stored already
        [code, paid_on.isoformat(), str(amount / 10000), "", summary, ""],  # a stored payment without its voucher: likely a duplicate
    ]
    if unreadable:
        rows += [
            [codes[0], "2023-02-30", "1", "P-2", "", ""],
            [codes[0], "2023-10-02", "0", "P-3", "", ""],
            [codes[0], "2023-10-03", "0.0000001", "P-1", "", ""],
            ["", "2023-10-04", "x", "", "", ""],
            [codes[1], "２０２３-10-05", "3", voucher, "", ""],
        ]
    csv_check, xlsx_check = _both(demo_copy, tmp_path, HEADER, rows)
    assert csv_check.year == 2023 and csv_check.duplicates
    for words in ("凭证号与第 2 行重复", "不是 2023 年度的项目编码", "凭证号已导入"):
        assert any(words in str(p.expected) for p in csv_check.problems), words
    _same(csv_check, xlsx_check)
    rows.append([codes[2], "2024-01-04", "2", "P-9", "", ""])
    for options in ({}, {"year": 2023}):  # two years: refused unless the year is given, then the 2024 row is
        _same(*_both(demo_copy, tmp_path, HEADER, rows, **options))
