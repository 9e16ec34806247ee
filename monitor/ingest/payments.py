"""Importing a payment ledger 支付流水 (xlsx, or CSV in UTF-8/GBK with commas or tabs) into `payments`.

`check_payments` reads and validates a file and writes nothing (the dry run and the page's
validation report); `import_payments` checks it again inside one transaction and writes it as
one batch, or writes nothing. Money is converted to 元 exactly: a value that would need
rounding is an error, as is an amount whose unit is not stated.

A CSV file is read column-wise and its cells parsed in one SQL pass (queries/ingest/payment_cells.sql);
only a file that pass does not read cleanly is read row by row here, which words every problem.
The checks against the file itself and the database are set-based over the payments as Arrow.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from monitor.errors import InputError, InputProblem, problem
from monitor.i18n import DEFAULT_LANG, msg
from monitor.ingest.files import Columns, Sheet, map_header, read_upload, read_upload_columns
from monitor.store import payment_months
from monitor.store.batches import already_imported, new_batch, sha256_of_bytes, transaction
from monitor.store.db import query_arrow, query_rows, sql

KIND = "payments"
UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
FEN = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 16  # DECIMAL(18,2)

# Data-model column → the headers a ledger may use for it (matched without case and unit).
COLUMNS: dict[str, tuple[str, ...]] = {
    "project_code": ("项目编码", "项目代码"),
    "paid_on": ("支付日期", "日期", "记账日期"),
    "amount": ("金额", "支付金额"),
    "voucher_no": ("凭证号", "凭证编号"),
    "summary": ("摘要",),
    "fund_source": ("资金来源",),
    "payee": ("收款单位", "收款人"),
}
REQUIRED = ("project_code", "paid_on", "amount")
UNIT_IN_HEADER = re.compile(r"(.*?)\s*[（(]\s*(万元|元)\s*[)）]")

EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's serial dates (1900 system, after its leap-year bug)
DATE_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),  # 2023-03-15, 2023/3/15
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),  # 20230315
)
EXCEL_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")  # 45000 = 2023-03-15; a fraction is the time of day
AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")  # thousands separators allowed

# The payments of a file as Arrow, for the checks and the insert; a value that could not be read is null.
SCHEMA = pa.schema(
    [
        ("row", pa.int32()),  # spreadsheet row number in the file
        ("project_code", pa.string()),
        ("paid_on", pa.date32()),
        ("amount", pa.decimal128(18, 2)),  # 元
        ("voucher_no", pa.string()),
        ("summary", pa.string()),
        ("fund_source", pa.string()),
        ("payee", pa.string()),
    ]
)


@dataclass(frozen=True)
class Payment:
    """One row of a file read row by row (see SCHEMA)."""

    row: int  # spreadsheet row number in the file
    project_code: str
    paid_on: dt.date | None  # None when the cell could not be read (reported as a problem)
    amount: Decimal | None  # 元
    voucher_no: str | None
    summary: str | None
    fund_source: str | None
    payee: str | None


@dataclass
class PaymentCheck:
    """What a payments file would add, and everything that stands in the way."""

    file_name: str
    sha256: str
    imported_as: int | None = None  # the batch that already holds this very file
    year: int | None = None
    year_inferred: bool = False  # taken from the dates, not given
    unit: str | None = None
    payments: pa.Table = field(default_factory=SCHEMA.empty_table)  # SCHEMA, one row per data row of the file
    problems: list[InputProblem] = field(default_factory=list)  # errors: nothing is written
    duplicates: list[InputProblem] = field(default_factory=list)  # likely duplicates of stored rows: written only when confirmed
    ignored_columns: list[str] = field(default_factory=list)
    batch_id: int | None = None  # set once written

    @property
    def total(self) -> Decimal:
        total = pc.sum(self.payments["amount"]).as_py()
        return Decimal(0) if total is None else total

    def touches(self) -> dict[str, set[str]]:
        """What a write of this check changes, for monitor.auth.refuse_outside."""
        return {"projects": set(pc.unique(self.payments["project_code"]).to_pylist())}

    def can_import(self, accept_duplicates: bool) -> bool:
        return self.imported_as is None and not self.problems and self.payments.num_rows > 0 and (accept_duplicates or not self.duplicates)


def check_payments(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *, unit: str | None = None, year: int | None = None
) -> PaymentCheck:
    """Read and validate a payments file against the database; writes nothing."""
    name = Path(file_name).name
    check = PaymentCheck(name, sha256_of_bytes(data))
    check.imported_as = already_imported(con, KIND, check.sha256)
    if check.imported_as is not None:
        return check
    columns = read_upload_columns(data, name)
    try:
        sheet = Sheet(name, columns.header, []) if columns else read_upload(data, name)
    except InputError as error:
        check.problems = list(error.problems)
        return check
    headers = _map_header(sheet, unit, check)
    if headers is None:
        return check
    if not (columns.cells.num_rows if columns else sheet.rows):
        check.problems.append(problem(name, None, None, None, "err_no_payment_rows"))
        return check
    payments = _parse_columns(con, columns, headers, check.unit) if columns else None
    if payments is None:  # read row by row, which words each problem
        rows = read_upload(data, name).rows if columns else sheet.rows
        payments = _arrow([_parse_row(name, number, cells, headers, check) for number, cells in rows])
    check.payments = payments
    _settle_year(check, year, headers["paid_on"])
    con.register("incoming", check.payments)
    try:
        if check.year is not None:
            _check_codes(con, check, headers["project_code"])
        _check_vouchers_in_file(con, check, headers.get("voucher_no"))
        if check.year is not None:
            _check_against_stored(con, check, headers)
    finally:
        con.unregister("incoming")
    check.problems.sort(key=lambda p: p.row or 0)
    return check


def import_payments(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    user: str,
    *,
    unit: str | None = None,
    year: int | None = None,
    accept_duplicates: bool = False,
) -> PaymentCheck:
    """Check the file again inside one transaction and write it as one batch when it passes.

    Returns the check; `batch_id` is set when rows were written, else the check says why not
    (already imported, problems, or likely duplicates not confirmed).
    """
    with transaction(con):
        check = check_payments(con, data, file_name, unit=unit, year=year)
        if check.can_import(accept_duplicates):
            note = (
                msg("batch_note_payments_duplicates", year=check.year, unit=check.unit, n=len(check.duplicates))
                if check.duplicates
                else msg("batch_note_payments", year=check.year, unit=check.unit)
            )
            check.batch_id = new_batch(con, KIND, check.file_name, check.sha256, len(check.payments), user, note=note)
            # One set-based INSERT from Arrow: row-by-row executemany costs about a millisecond a row.
            # (a failed insert leaves it registered until the next import replaces it: an aborted
            # transaction refuses even unregister, and the rollback must run first)
            con.register("incoming", check.payments)
            con.execute(sql("insert_payments"), {"year": check.year, "batch_id": check.batch_id})
            con.unregister("incoming")
            payment_months.add_batch(con, check.batch_id)
    return check


def report(check: PaymentCheck, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The validation report: one line per problem (level 'error') or likely duplicate (level 'duplicate'),
    worded in `lang`."""
    lines = [("error", p) for p in check.problems] + [("duplicate", p) for p in check.duplicates]
    return pd.DataFrame(
        [(level, *p.cells(lang)) for level, p in lines],
        columns=["level", "file", "row", "column", "value", "expected"],
    ).astype({"row": "Int64"})


def by_project(check: PaymentCheck) -> pd.DataFrame:
    """Rows and total (元) per project code, for the confirmation screen."""
    table = check.payments.select(["project_code", "amount"]).to_pandas()
    return table.groupby("project_code", as_index=False).agg(rows=("amount", "size"), amount=("amount", "sum"))


def parse_date(text: str) -> dt.date | None:
    """A date as ledgers write it, or None: ISO or slashed, 2023年3月15日, 20230315, an Excel serial."""
    text = text.strip()
    for form in DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    if EXCEL_SERIAL.fullmatch(text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    return None


def parse_amount(text: str) -> Decimal | None:
    """A number with optional thousands separators and currency sign, or None."""
    text = text.strip().lstrip("¥￥").replace("−", "-").replace("－", "-").replace(" ", "")
    if not AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _map_header(sheet: Sheet, unit: str | None, check: PaymentCheck) -> dict[str, str] | None:
    """Data-model column → the file's header for it; sets the money unit. None when unusable."""
    headers, check.problems, check.ignored_columns = map_header(sheet, COLUMNS, REQUIRED, without_unit)
    amount_header = headers.get("amount")
    if amount_header is not None:
        match = UNIT_IN_HEADER.fullmatch(amount_header)
        header_unit = match.group(2) if match else None
        if header_unit and unit and header_unit != unit:
            check.problems.append(
                problem(check.file_name, 1, amount_header, amount_header, "err_unit_mismatch", header=header_unit, unit=unit)
            )
        elif not (header_unit or unit):
            check.problems.append(problem(check.file_name, 1, amount_header, amount_header, "err_unit_unknown"))
        else:
            check.unit = header_unit or unit
    return None if check.problems else headers


def without_unit(header: str) -> str:
    """金额（元） → 金额: the unit in a header is read separately."""
    match = UNIT_IN_HEADER.fullmatch(header)
    return match.group(1) if match else header


def parse_cells(con: duckdb.DuckDBPyConnection, cells: pa.Table, unit: str) -> pa.Table:
    """Cells (`row`, and the text of each of COLUMNS, trimmed; null where the file lacks the column) read
    as payments (SCHEMA) in one SQL pass. It reads what parse_date and _amount_in_yuan read, to the
    same values, or leaves the value null: then the file is read row by row."""
    con.register("ledger_cells", cells)
    try:
        return query_arrow(con, "payment_cells", shift=UNITS[unit].adjusted()).cast(SCHEMA)  # the point moves 4 places for 万元
    finally:
        con.unregister("ledger_cells")


def _parse_columns(con: duckdb.DuckDBPyConnection, columns: Columns, headers: dict[str, str], unit: str) -> pa.Table | None:
    """Every row parsed at once; None unless every row is read cleanly that way."""

    def cells(column: str) -> pa.ChunkedArray | pa.Array:
        if column not in headers:
            return pa.nulls(columns.cells.num_rows, pa.string())
        return columns.cells[str(columns.header.index(headers[column]))]  # a mapped header occurs once

    payments = parse_cells(con, pa.table({"row": columns.cells["row"], **{column: cells(column) for column in COLUMNS}}), unit)
    return None if any(payments[column].null_count for column in REQUIRED) else payments


def _parse_row(name: str, number: int, cells: dict[str, str], headers: dict[str, str], check: PaymentCheck) -> Payment:
    def cell(column: str) -> str:
        return cells.get(headers[column], "") if column in headers else ""

    def bad(column: str, key: str, **values: object) -> None:
        check.problems.append(problem(name, number, headers[column], cell(column), key, **values))

    code = cell("project_code")
    if not code:
        bad("project_code", "err_code_empty")
    paid_on = parse_date(cell("paid_on"))
    if paid_on is None:
        bad("paid_on", "err_payment_date")
    amount = _amount_in_yuan(cell("amount"), UNITS[check.unit], bad)  # the unit is settled once the header is usable
    return Payment(
        number,
        code,
        paid_on,
        amount,
        cell("voucher_no") or None,
        cell("summary") or None,
        cell("fund_source") or None,
        cell("payee") or None,
    )


def _amount_in_yuan(text: str, factor: Decimal, bad) -> Decimal | None:
    value = parse_amount(text)
    if value is None:
        bad("amount", "err_amount")
        return None
    yuan = value * factor
    if yuan == 0:
        bad("amount", "err_amount_zero")
    elif abs(yuan) >= MAX_AMOUNT:  # before quantize, which fails beyond the context's precision
        bad("amount", "err_amount_range")
    elif yuan != yuan.quantize(FEN):
        bad("amount", "err_amount_fen", yuan=yuan)
    else:
        return yuan.quantize(FEN)
    return None


def _settle_year(check: PaymentCheck, year: int | None, date_header: str) -> None:
    """The fiscal year: as given (every date must fall in it), else the one year all dates share."""
    years = pc.year(check.payments["paid_on"])
    if year is not None:
        check.year = year
        outside = check.payments.filter(pc.not_equal(years, year))  # unread dates (null) are reported already
        for row, paid_on in zip(outside["row"].to_pylist(), outside["paid_on"].to_pylist()):
            check.problems.append(problem(check.file_name, row, date_header, paid_on.isoformat(), "err_date_outside_year", year=year))
        return
    years = sorted(pc.unique(years.drop_null()).to_pylist())
    if len(years) == 1:
        check.year, check.year_inferred = years[0], True
    elif years:
        check.problems.append(problem(check.file_name, None, date_header, "、".join(map(str, years)), "err_dates_span_years"))


def _arrow(payments: list[Payment]) -> pa.Table:
    """Payments read row by row as Arrow (SCHEMA)."""
    return pa.table({name: pa.array([getattr(p, name) for p in payments], SCHEMA.field(name).type) for name in SCHEMA.names})


# The checks below read the payments registered as `incoming` and pull only the offending rows into Python.
def _check_codes(con: duckdb.DuckDBPyConnection, check: PaymentCheck, code_header: str) -> None:
    if not query_rows(con, "year_has_projects", year=check.year)[0][0]:
        check.problems.append(problem(check.file_name, None, None, None, "err_year_without_projects", year=check.year))
        return
    for row, code in query_rows(con, "payment_unknown_codes", year=check.year):
        check.problems.append(problem(check.file_name, row, code_header, code, "err_unknown_code", year=check.year))


def _check_vouchers_in_file(con: duckdb.DuckDBPyConnection, check: PaymentCheck, voucher_header: str | None) -> None:
    for row, voucher, first in query_rows(con, "payment_repeated_vouchers"):
        check.problems.append(problem(check.file_name, row, voucher_header, voucher, "err_voucher_repeated", first=first))


def _check_against_stored(con: duckdb.DuckDBPyConnection, check: PaymentCheck, headers: dict[str, str]) -> None:
    """Vouchers already stored are errors; same project, date and amount with the same voucher or
    summary (from another file) are likely duplicates the user must confirm."""
    clashes = query_rows(con, "payment_voucher_clashes", year=check.year)
    likely = query_rows(con, "payment_likely_duplicates", year=check.year)
    clashed = set()
    for row, voucher, batch_id, file_name, paid_on, amount in clashes:
        clashed.add(row)
        check.problems.append(
            problem(
                check.file_name,
                row,
                headers.get("voucher_no"),
                voucher,
                "err_voucher_stored",
                batch=batch_id,
                file=file_name,
                date=paid_on,
                amount=amount,
            )
        )
    for row, batch_id, file_name, voucher, summary in likely:
        if row in clashed:
            continue
        same = msg("dup_same_voucher", voucher=voucher) if voucher else msg("dup_same_summary", summary=summary or "")
        check.duplicates.append(
            problem(check.file_name, row, None, None, "err_likely_duplicate", same=same, batch=batch_id, file=file_name)
        )
