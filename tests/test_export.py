"""Downloads: the files read back equal the table, state the filters, and neutralise formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from monitor.review.export import DATA_SHEET, FILTER_SHEET, csv_bytes, xlsx_bytes

TABLE = pd.DataFrame(
    {
        "项目名称": ["科普专项经费", '=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tcmd", "\rx", "普通 - 文本", None],
        "金额（万元）": [87.0, 1.5, -0.25, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        "支付日期": [dt.date(2023, 6, 30)] * 9,
    }
)
FILTERS = [("预算年度", "2023"), ("项目名称 包含", "=cmd|' /C calc'!A0")]
NEUTRAL = ["科普专项经费", '\'=HYPERLINK("http://x")', "'+1+1", "'-2", "'@SUM(A1)", "'\tcmd", "'\rx", "普通 - 文本", None]


def test_csv_has_a_bom_the_filters_and_the_table():
    data = csv_bytes(TABLE, FILTERS)
    assert data.startswith(b"\xef\xbb\xbf")
    head = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[:3]
    assert head == [["# 预算年度: 2023"], ["# 项目名称 包含: =cmd|' /C calc'!A0"], []]
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", skiprows=3)
    assert list(back.columns) == list(TABLE.columns)
    assert back["项目名称"].fillna("").tolist() == [v or "" for v in NEUTRAL]
    assert back["金额（万元）"].tolist() == TABLE["金额（万元）"].tolist()  # numbers, refunds included, stay numbers
    assert back["支付日期"].tolist() == ["2023-06-30"] * 9


def test_xlsx_has_the_table_and_a_sheet_of_filters():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(TABLE, FILTERS)))
    assert book.sheetnames == [DATA_SHEET, FILTER_SHEET]
    table = list(book[DATA_SHEET].iter_rows(values_only=True))
    assert table[0] == tuple(TABLE.columns)
    assert [r[0] for r in table[1:]] == NEUTRAL  # openpyxl over lxml (python-docx needs it) keeps a bare CR, escaped
    assert [r[1] for r in table[1:]] == TABLE["金额（万元）"].tolist()
    assert all(r[2] == dt.datetime(2023, 6, 30) for r in table[1:])
    assert not any(c.data_type == "f" for row in book[DATA_SHEET].iter_rows() for c in row)  # no formula cell anywhere
    filters = list(book[FILTER_SHEET].iter_rows(values_only=True))
    assert filters[1:] == [("预算年度", "2023"), ("项目名称 包含", "'=cmd|' /C calc'!A0")]


@pytest.mark.parametrize("header", ["=cmd", "+x", "-y", "@z"])
def test_headers_are_neutralised_too(header):
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({header: [1]}), [])))
    assert book[DATA_SHEET]["A1"].value == "'" + header
