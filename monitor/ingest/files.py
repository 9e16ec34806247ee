"""Reading input files: the size limit for every importer, and tabular files (CSV in UTF-8/GBK, xlsx)
into rows of text cells.

Cells are kept as text so that each importer validates and converts them itself and can
name the exact row and column of a bad value.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from openpyxl import load_workbook

from monitor.errors import InputError, InputProblem, problem
from monitor.settings import settings

ENCODINGS = ("utf-8-sig", "gb18030")
# The characters str.strip() removes (str.isspace), to trim Arrow cells exactly as _sheet trims them.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))


@dataclass
class Sheet:
    source: str  # file name (and sheet) as shown in messages
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, column → text)


@dataclass
class Columns:
    """A table read column-wise: the header, and one Arrow string column per header position
    (named "0", "1", …) with the cells trimmed, plus `row`, the spreadsheet row number; blank rows left out."""

    source: str
    header: list[str]
    cells: pa.Table


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, a superset of GBK and GB2312. NUL bytes
    (UTF-16 text, binary files) never occur in these encodings' text, but GB18030 would accept them."""
    if b"\x00" in data:
        raise InputError([problem(source, None, None, None, "err_not_text")])
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([problem(source, None, None, None, "err_encoding")])


def check_size(size: int, file_name: str) -> None:
    """Refuse a file over the upload limit (settings: upload_mb), saying how large it is and what to do.
    A ledger or targets file of one department-year is far below it; the limit keeps a wrong file (an
    export of a whole database, a video) from holding the app's memory and its one writer."""
    limits = settings().limits
    if size > limits.upload_bytes:
        raise InputError(
            [problem(file_name, None, None, None, "err_file_too_large", mb=f"{size / 1024 / 1024:.1f}", limit=limits.upload_mb)]
        )


def read_file(path: Path) -> bytes:
    """A file's bytes, after checking its size on disk (a huge file is never read into memory)."""
    check_size(path.stat().st_size, path.name)
    return path.read_bytes()


def read_csv(path: Path) -> Sheet:
    text = decode(path.read_bytes(), path.name)
    dialect = _dialect(text)
    records = list(csv.reader(io.StringIO(text), dialect))
    return _sheet(path.name, records)


def read_xlsx_sheets(path: Path) -> dict[str, Sheet]:
    workbook = _open_workbook(path)
    try:
        return {ws.title: _worksheet(f"{path.name}[{ws.title}]", ws) for ws in workbook.worksheets}
    finally:
        workbook.close()


def read_table(path: Path) -> Sheet:
    """One table from a CSV/TSV file or from the first worksheet of an xlsx workbook (other sheets,
    often empty leftovers, are not read)."""
    if path.suffix.lower() == ".xlsx":
        workbook = _open_workbook(path)
        try:
            return _worksheet(path.name, workbook.worksheets[0])
        finally:
            workbook.close()
    return read_csv(path)


def read_workbook(data: bytes, name: str):
    """An uploaded xlsx workbook loaded whole (every sheet, hidden ones and cell formats included),
    after the checks of size and kind every import makes; problems are named by file name."""
    if Path(name).suffix.lower() != ".xlsx":
        raise InputError([problem(name, None, None, None, "err_not_xlsx")])
    check_size(len(data), name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        return _open_workbook(path, read_only=False)


def _open_workbook(path: Path, read_only: bool = True):
    """An xlsx workbook for reading values; other files named .xlsx (an .xls, another archive, text)
    and workbooks that would unpack to more than the limit (settings: unpacked_mb) are refused with a message."""

    def refuse(key: str, **values: object) -> InputError:
        return InputError([problem(path.name, None, None, None, key, **values)])

    if not zipfile.is_zipfile(path):
        raise refuse("err_not_xlsx")
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise refuse("err_zip_not_xlsx")
        limit = settings().limits.unpacked_mb  # an xlsx is a zip: a small file may unpack to gigabytes
        if sum(member.file_size for member in archive.infolist()) > limit * 1024 * 1024:
            raise refuse("err_xlsx_unpacked", mb=limit)
    try:
        return load_workbook(path, read_only=read_only, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise refuse("err_xlsx_unreadable", error=str(error)) from None


def _worksheet(source: str, ws) -> Sheet:
    return _sheet(source, [[_cell_text(c) for c in row] for row in ws.iter_rows(values_only=True)])


def _dialect(text: str) -> type[csv.Dialect]:
    """Tab-separated when the first line has more tabs than commas, else comma-separated."""
    first = text.split("\n", 1)[0]
    return csv.excel_tab if first.count("\t") > first.count(",") else csv.excel


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour") and not (value.hour or value.minute or value.second):
        return value.date().isoformat()
    return str(value)


def _sheet(source: str, records: list[list[str]]) -> Sheet:
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(cell.strip() for cell in r)]
    if not numbered:
        raise InputError([problem(source, None, None, None, "err_empty_table")])
    header = [h.strip() for h in numbered[0][1]]
    rows = []
    overflow = []
    for number, record in numbered[1:]:
        cells = [c.strip() for c in record] + [""] * (len(header) - len(record))
        if any(cells[len(header) :]):  # would be dropped: often a comma inside an unquoted text cell
            overflow.append(problem(source, number, None, "，".join(cells[len(header) :]), "err_row_overflow", columns=len(header)))
        rows.append((number, dict(zip(header, cells))))
    if overflow:
        raise InputError(overflow)
    return Sheet(source, header, rows)


CSV_SUFFIXES = (".csv", ".tsv", ".txt")
UPLOAD_SUFFIXES = (".xlsx", *CSV_SUFFIXES)


def read_upload(data: bytes, name: str) -> Sheet:
    """One table from uploaded bytes (xlsx, or CSV/TSV in UTF-8 or GBK), problems named by file name."""
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise InputError([problem(name, None, None, None, "err_upload_type")])
    check_size(len(data), name)
    with tempfile.TemporaryDirectory() as folder:  # the readers take a path and name problems by file name
        path = Path(folder) / name
        path.write_bytes(data)
        return read_table(path)


def read_upload_columns(data: bytes, name: str) -> Columns | None:
    """The table of an uploaded CSV/TSV file read column-wise by Arrow's CSV reader (some 20 times
    faster than a dict per row), when it is certain to hold exactly what read_upload reads: the same
    header, cells and row numbers. Else None, and read_upload reads the file and words its problems
    (type, size, encoding, rows longer or shorter than the header, an unclosed quote, …)."""
    if Path(name).suffix.lower() not in CSV_SUFFIXES or len(data) > settings().limits.upload_bytes:
        return None
    try:
        text = decode(data, name)
    except InputError:
        return None
    if text.count("\r") != text.count("\r\n"):  # a lone CR ends a record for Arrow, for Python's csv it is an error
        return None
    dialect = _dialect(text)
    try:
        first = next(csv.reader(io.StringIO(text), dialect), [])  # the header record, as read_csv reads it
    except csv.Error:
        return None
    if not any(cell.strip() for cell in first):  # read_csv skips a blank first record, Arrow would not
        return None
    names = [str(i) for i in range(len(first))]
    try:  # every cell as text, none null
        raw = pa_csv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), null_values=[]),
        )
    except pa.ArrowInvalid:  # a row longer or shorter than the header, an unclosed quote
        return None
    if any(pc.max(pc.utf8_length(column)).as_py() >= csv.field_size_limit() for column in raw.columns):
        return None  # Python's csv refuses such a cell
    cells = [pc.utf8_trim(column, WHITESPACE) for column in raw.columns]
    table = pa.table(
        [column.slice(1) for column in cells] + [pa.array(np.arange(2, raw.num_rows + 1, dtype=np.int32))],  # the header is record 1
        names=[*names, "row"],
    )
    nonblank = reduce(pc.or_, (pc.not_equal(column, "") for column in table.columns[:-1]))
    return Columns(name, [cell.strip() for cell in first], table.filter(nonblank))


def read_mapped(
    data: bytes, name: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], base: Callable[[str], str] = str
) -> tuple[Sheet | None, dict[str, str], list[InputProblem]]:
    """An uploaded table with its header mapped to the data model's columns (see map_header): the
    sheet (None when it could not be read), column → header, and the problems found."""
    try:
        sheet = read_upload(data, name)
    except InputError as error:
        return None, {}, list(error.problems)
    headers, problems, _ = map_header(sheet, columns, required, base)
    return sheet, headers, problems


def map_header(
    sheet: Sheet, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], base: Callable[[str], str] = str
) -> tuple[dict[str, str], list[InputProblem], list[str]]:
    """Data-model column → the file's header for it, matched without case against the column's
    name and its Chinese aliases (after `base`, e.g. dropping a unit such as （元）); with the
    problems (missing or doubled columns) and the headers not used."""
    aliases = {alias.lower(): column for column, names in columns.items() for alias in (column, *names)}
    found: dict[str, list[str]] = {}
    ignored = []
    for header in sheet.header:
        column = aliases.get(base(header).lower())
        if column is None:
            if header:
                ignored.append(header)
            continue
        found.setdefault(column, []).append(header)
    problems = [
        problem(sheet.source, 1, columns[c][0], None, "err_missing_column", column=columns[c][0], aliases="、".join((*columns[c], c)))
        for c in required
        if c not in found
    ]
    problems += [
        problem(sheet.source, 1, "、".join(headers), None, "err_doubled_column", column=columns[c][0])
        for c, headers in found.items()
        if len(headers) > 1
    ]
    return {c: headers[0] for c, headers in found.items()}, problems, ignored
