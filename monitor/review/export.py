"""Tables as downloadable files: CSV (UTF-8 with BOM, so Excel reads Chinese) and xlsx.

Both carry the filters that produced the table: the CSV starts with lines beginning with "#"
(one "# label: value" per filter) and a blank line before the header row; the xlsx has the
table on its first sheet and the filters on a second sheet named 筛选条件. Text cells that a
spreadsheet would take for a formula (starting with = + - @, tab or carriage return) are
prefixed with a single quote.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

FORMULA_START = r"^[=+\-@\t\r]"
DATA_SHEET = "数据"
FILTER_SHEET = "筛选条件"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that starts like a formula is prefixed with "'"."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            text = values.astype("string")
            risky = text.str.contains(FORMULA_START, na=False)
            out[column] = values.where(~risky, "'" + text)
    out.columns = [neutral_text(c) for c in out.columns]
    return out


def neutral_text(value: object) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_bytes(frame: pd.DataFrame, filters: list[tuple[str, str]]) -> bytes:
    """UTF-8 with BOM: "# label: value" lines, a blank line, then the table with its header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as Excel writes it; quotes fields holding CR
    for label, value in filters:
        writer.writerow([f"# {label}: {value}"])
    writer.writerow([])
    neutralise(frame).to_csv(out, index=False, lineterminator="\r\n")
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, filters: list[tuple[str, str]]) -> bytes:
    """The table on sheet 数据 (header in row 1), the filters on sheet 筛选条件."""
    out = io.BytesIO()
    described = pd.DataFrame([(neutral_text(k), neutral_text(v)) for k, v in filters], columns=["筛选条件", "取值"])
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, sheet_name=DATA_SHEET, index=False)
        described.to_excel(writer, sheet_name=FILTER_SHEET, index=False)
        for sheet in writer.sheets.values():
            for column in sheet.columns:  # wide enough for the header and Chinese text
                sheet.column_dimensions[column[0].column_letter].width = min(60, 4 + max(len(str(c.value or "")) for c in column) * 1.6)
    return out.getvalue()
