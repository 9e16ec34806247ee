"""全年预计执行数 entered by staff: a project's expected spending for the whole year as of a date,
with its 偏差原因, from a file (xlsx, or CSV in UTF-8/GBK) or from 项目详情, through one check and
one write as a batch (undoable). The latest entry up to the as-of date replaces the rule's forecast
(disbursement_at in queries/rules/disbursement.sql); both are shown.

A file has one row per project and date: 项目编码, 截至日期 (the date the figure is as of),
全年预计执行数 with its unit in the header (全年预计执行数（万元）) or given on import, and optionally
偏差原因 (one of the five categories) and 原因说明.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

from monitor.errors import InputProblem, problem
from monitor.i18n import msg
from monitor.ingest.files import read_mapped
from monitor.ingest.payments import FEN, UNIT_IN_HEADER, UNITS, parse_amount, parse_date, without_unit
from monitor.store.batches import already_imported, insert_rows, new_batch, sha256_of_bytes, transaction
from monitor.store.vocabulary import REASON_KEYS, REASONS, choices, stored_value

KIND = "forecasts"
COLUMNS: dict[str, tuple[str, ...]] = {
    "project_code": ("项目编码", "项目代码"),
    "entered_on": ("截至日期", "填报日期", "日期"),
    "forecast": ("全年预计执行数", "预计执行数", "全年预计支出"),
    "reason": ("偏差原因", "偏差原因分析"),
    "reason_detail": ("原因说明", "偏差原因说明"),
}
REQUIRED = ("project_code", "entered_on", "forecast")


@dataclass(frozen=True)
class Forecast:
    row: int
    project_code: str
    entered_on: dt.date
    forecast: Decimal  # 元
    reason: str | None
    reason_detail: str | None


@dataclass
class ForecastCheck:
    source: str
    sha256: str
    year: int
    forecasts: list[Forecast] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    imported_as: int | None = None  # the batch that already holds this very file
    batch_id: int | None = None

    @property
    def records(self) -> list[Forecast]:
        return self.forecasts

    def touches(self) -> dict[str, set[str]]:
        """What a write of this check changes, for monitor.auth.refuse_outside."""
        return {"projects": {f.project_code for f in self.forecasts}}


def check_file(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, year: int, unit: str | None = None) -> ForecastCheck:
    """Read and validate a forecasts file for fiscal `year`; writes nothing. `unit` (元 or 万元) is
    the money unit when the header does not state it."""
    check = ForecastCheck(file_name, sha256_of_bytes(data), year)
    check.imported_as = already_imported(con, KIND, check.sha256)
    if check.imported_as is not None:
        return check
    sheet, headers, check.problems = read_mapped(data, file_name, COLUMNS, REQUIRED, without_unit)
    if check.problems:
        return check
    stated = UNIT_IN_HEADER.fullmatch(headers["forecast"])
    found = stated.group(2) if stated else unit
    if found is None:
        check.problems.append(problem(file_name, 1, headers["forecast"], headers["forecast"], "err_unit_unknown"))
        return check
    if not sheet.rows:
        check.problems.append(problem(file_name, None, None, None, "err_no_rows"))
        return check
    rows = [(number, {column: cells.get(header, "") for column, header in headers.items()}) for number, cells in sheet.rows]
    check_cells(con, check, rows, UNITS[found], headers)
    return check


def check_rows(con: duckdb.DuckDBPyConnection, source: str, rows: list[dict[str, str]], year: int, unit: str) -> ForecastCheck:
    """Validate forecasts entered on a page (keys are the model's column names, money in `unit`)."""
    check = ForecastCheck(source, "", year)
    check_cells(con, check, list(enumerate(rows, start=1)), UNITS[unit], {c: names[0] for c, names in COLUMNS.items()})
    return check


def save(con: duckdb.DuckDBPyConnection, check: ForecastCheck, user: str) -> ForecastCheck:
    """Write a passed check as one batch, in one transaction; a check with problems writes nothing."""
    if check.problems or check.imported_as is not None or not check.forecasts:
        return check
    with transaction(con):
        if check.sha256 and (held := already_imported(con, KIND, check.sha256)) is not None:  # written meanwhile
            check.imported_as = held
            return check
        sha256 = check.sha256 or f"page:{user}:{dt.datetime.now().isoformat()}"  # entries on a page are never the same file
        check.batch_id = new_batch(
            con, KIND, check.source, sha256, len(check.forecasts), user, note=msg("batch_note_year", year=check.year)
        )
        insert_forecasts(con, check.year, check.forecasts, check.batch_id)
    return check


def insert_forecasts(con: duckdb.DuckDBPyConnection, year: int, forecasts: list[Forecast], batch_id: int) -> None:
    """The checked forecasts of batch `batch_id`, inside the caller's transaction."""
    insert_rows(
        con,
        "forecasts",
        ("year", "project_code", "entered_on", "forecast", "reason", "reason_detail", "batch_id"),
        [(year, f.project_code, f.entered_on, f.forecast, f.reason, f.reason_detail, batch_id) for f in forecasts],
    )


def check_cells(
    con: duckdb.DuckDBPyConnection, check: ForecastCheck, rows: list[tuple[int, dict[str, str]]], factor: Decimal, shown: dict[str, str]
) -> None:
    """Check each row's cells (keys: the model's column names; money times `factor` is 元); the file
    import, the form on 项目详情 and the 监控表回填 (monitor.ingest.form) all check through here."""
    known = {code for (code,) in con.execute("SELECT project_code FROM projects WHERE year = ?", [check.year]).fetchall()}
    seen: dict[tuple[str, dt.date], int] = {}

    def bad(number: int, column: str, value: str, key: str, **values: object) -> None:
        check.problems.append(problem(check.source, number, shown.get(column, column), value, key, **values))

    for number, cells in rows:
        found = len(check.problems)
        code = cells.get("project_code", "").strip()
        entered_on = parse_date(cells.get("entered_on", ""))
        amount = parse_amount(cells.get("forecast", ""))
        reason = stored_value(cells.get("reason", "").strip(), REASON_KEYS) or None
        if code not in known:
            bad(number, "project_code", code, "err_unknown_code" if code else "err_code_empty", year=check.year)
        if entered_on is None or entered_on.year != check.year:
            bad(number, "entered_on", cells.get("entered_on", ""), "err_period_outside_year", year=check.year)
        if amount is None or amount < 0 or (amount * factor) != (amount * factor).quantize(FEN):
            bad(number, "forecast", cells.get("forecast", ""), "err_forecast_amount")
        if reason and reason not in REASONS:
            bad(number, "reason", reason, "err_reason", allowed=choices(REASONS, REASON_KEYS))
        if code in known and entered_on is not None and (code, entered_on) in seen:
            bad(number, "entered_on", cells["entered_on"], "err_period_repeated", row=seen[(code, entered_on)])
        if len(check.problems) > found:
            continue
        seen[(code, entered_on)] = number
        detail = cells.get("reason_detail", "").strip() or None
        check.forecasts.append(Forecast(number, code, entered_on, (amount * factor).quantize(FEN), reason, detail))
    if check.problems:
        check.forecasts = []
