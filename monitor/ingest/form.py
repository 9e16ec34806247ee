"""监控表回填: a unit's filled 填报版 of the 项目支出绩效目标执行监控表 (monitor.review.fill) read back
into the same checks as the indicator-actuals and forecast imports (monitor.ingest.actuals,
monitor.ingest.forecasts) and written as one batch (kind monitor_form), in one transaction, undoable.

Every value is placed by the markers the form carries (monitor.store.form_layout), never by its
position: a project sheet by its #project marker, an indicator row by its 指标编号, a column by its
heading. The form names its year, unit, period end and monitoring round; a form of another year or
unit than the one asked for, of a round that is not open for the unit, or whose sheets name projects
of another unit is refused. A row left as it was (the value and judgements the database already holds
for the period) adds nothing, so a corrected second version writes only what changed and the
history shows old → new. While a round of the unit at the form's period end is open (未填报 or
已退回), the batch is attached to it and fills its submission (monitor.rounds.tasks.prefill).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from monitor.errors import InputError, InputProblem, problem
from monitor.i18n import LANGUAGES, Msg, msg, t
from monitor.ingest import actuals as actuals_import
from monitor.ingest import forecasts as forecasts_import
from monitor.ingest.files import read_workbook
from monitor.ingest.payments import UNITS
from monitor.store import form_layout as layout
from monitor.store.batches import already_imported, insert_rows, new_batch, sha256_of_bytes, transaction
from monitor.store.db import query_df
from monitor.store.vocabulary import OPEN_ROUND_STATES

KIND = "monitor_form"
CLOSED_STATES = {"submit": "round_submitted", "approve": "round_approved"}
MONEY = "万元"  # the unit of the form's money (monitor.review.workbook.UNIT)
FILLED = (*layout.INDICATOR_FIELDS, *layout.FUND_FIELDS)  # the fields read from the cells
COMPARED = ("actual_value", "actual_text", "likelihood", "reason", "reason_detail", "forecast_text")


@dataclass(frozen=True)
class Place:
    """Where a checked row came from: its sheet, spreadsheet row and the columns of its fields."""

    sheet: str
    row: int
    columns: dict[str, tuple[int, str | Msg]]  # field → (column number, heading)


@dataclass
class FormCheck:
    source: str
    sha256: str
    year: int | None = None
    dept: str | None = None
    period_end: dt.date | None = None
    task_id: int | None = None  # the round the form was exported for
    actuals: list[actuals_import.Actual] = field(default_factory=list)
    forecasts: list[forecasts_import.Forecast] = field(default_factory=list)
    places: dict[int, Place] = field(default_factory=dict)  # a checked row's number → its place
    previous: dict[str, dict[str, Any]] = field(default_factory=dict)  # indicator id or project code → the record it changes
    names: dict[str, str] = field(default_factory=dict)  # indicator id or project code → its name
    unchanged: int = 0  # filled rows that hold what the database holds already
    rounds: list[int] = field(default_factory=list)  # the open rounds this form fills
    problems: list[InputProblem] = field(default_factory=list)
    imported_as: int | None = None
    batch_id: int | None = None

    @property
    def records(self) -> list:
        return [*self.actuals, *self.forecasts]

    def touches(self) -> dict[str, set[str]]:
        """What a write of this check changes (its unit's rounds too), for monitor.auth.refuse_outside."""
        return {
            "indicators": {a.indicator_id for a in self.actuals},
            "projects": {f.project_code for f in self.forecasts},
            "units": {self.dept} if self.dept else set(),
        }

    def summary(self) -> dict[str, object]:
        """The values of the messages that sum a check up (form_ok, cli_form_summary)."""
        period = self.period_end.isoformat() if self.period_end else ""
        counts = {"actuals": len(self.actuals), "forecasts": len(self.forecasts), "unchanged": self.unchanged}
        return counts | {"year": self.year, "dept": self.dept, "period": period}


def check_form(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    year: int | None = None,
    dept: str | None = None,
    task_id: int | None = None,
    today: dt.date | None = None,
) -> FormCheck:
    """Read and check a filled form; writes nothing. `year`, `dept` and `task_id` (None = any) are
    what the reader expects the form to be for: another is refused."""
    check = FormCheck(file_name, sha256_of_bytes(data))
    check.imported_as = already_imported(con, KIND, check.sha256)
    if check.imported_as is not None:
        return check
    try:
        book = read_workbook(data, file_name)
    except InputError as error:
        check.problems = error.problems
        return check
    if not _read_info(con, check, book, year, dept, task_id, today or dt.date.today()):
        return check
    indicators = query_df(con, "form_indicators", year=check.year, dept=check.dept, period_end=check.period_end).set_index("indicator_id")
    projects = query_df(con, "form_projects", year=check.year, dept=check.dept, period_end=check.period_end).set_index("project_code")
    check.names = {**indicators["level3"].to_dict(), **projects["name"].to_dict()}
    rows, forecasts = _read_sheets(check, book, indicators, projects)
    if check.problems:
        return check
    _check_actuals(con, check, rows, indicators)
    _check_forecasts(con, check, forecasts, projects)
    if check.problems:
        check.actuals, check.forecasts = [], []
    return check


def save(con: duckdb.DuckDBPyConnection, check: FormCheck, user: str) -> FormCheck:
    """Write a passed check as one batch in one transaction, attached to the rounds it fills; a check
    with problems, or with nothing new, writes nothing."""
    if check.problems or check.imported_as is not None or not check.records:
        return check
    with transaction(con):
        if (held := already_imported(con, KIND, check.sha256)) is not None:  # written meanwhile by another session
            check.imported_as = held
            return check
        note = msg("batch_note_form", year=check.year, dept=check.dept, period=check.period_end.isoformat())
        check.batch_id = new_batch(con, KIND, check.source, check.sha256, len(check.records), user, note=note)
        actuals_import.insert_actuals(con, check.year, check.actuals, check.batch_id)
        forecasts_import.insert_forecasts(con, check.year, check.forecasts, check.batch_id)
        insert_rows(
            con, "round_form_batches", ("task_id", "dept_code", "batch_id"), [(t, check.dept, check.batch_id) for t in check.rounds]
        )
    return check


def import_form(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, user: str, **expected: Any) -> FormCheck:
    """Check and write a filled form in one step (the command line)."""
    return save(con, check_form(con, data, file_name, **expected), user)


def _bad(check: FormCheck, key: str, **values: object) -> bool:
    check.problems.append(problem(check.source, None, None, None, key, **values))
    return False


def _read_info(
    con: duckdb.DuckDBPyConnection, check: FormCheck, book, year: int | None, dept: str | None, task_id: int | None, today: dt.date
) -> bool:
    """The form's year, unit, period end and round, against what the reader expects and the database."""
    if layout.INFO_SHEET not in book.sheetnames:
        return _bad(check, "err_form_not_fill")
    info = {str(k): v for k, v in book[layout.INFO_SHEET].iter_rows(max_col=2, values_only=True) if k is not None}
    try:
        if int(info.get("format") or 0) != layout.FORMAT:
            return _bad(check, "err_form_format")
        check.year, check.dept = int(info["year"]), str(info["dept"])
        check.period_end = dt.date.fromisoformat(str(info["period_end"]))
        check.task_id = int(info["task"]) if info.get("task") not in (None, "") else None
    except (KeyError, TypeError, ValueError):
        return _bad(check, "err_form_not_fill")
    if year is not None and check.year != year:
        return _bad(check, "err_form_year", found=check.year, expected=year)
    if dept is not None and check.dept != dept:
        return _bad(check, "err_form_dept", found=check.dept, expected=dept)
    if task_id is not None and check.task_id != task_id:
        return _bad(check, "err_form_task", found=check.task_id or "—", expected=task_id)
    rounds = query_df(con, "round_status", year=check.year, dept=check.dept, today=today)
    rounds = rounds[(rounds["dept_code"] == check.dept)]
    if check.task_id is not None:
        mine = rounds[rounds["task_id"] == check.task_id]
        if mine.empty:
            return _bad(check, "err_form_round_unknown", task=check.task_id, dept=check.dept)
        found = mine.iloc[0]
        if pd.Timestamp(found["period_end"]).date() != check.period_end:
            return _bad(check, "err_form_round_period", task=check.task_id, period=pd.Timestamp(found["period_end"]).date().isoformat())
        if found["state"] not in OPEN_ROUND_STATES:
            return _bad(check, "err_form_round_closed", task=check.task_id, title=found["title"], state=msg(CLOSED_STATES[found["state"]]))
        check.rounds = [check.task_id]
    else:  # a form exported outside a round fills the unit's open rounds of its period end
        same = rounds[pd.to_datetime(rounds["period_end"]).dt.date == check.period_end]
        check.rounds = [int(r.task_id) for r in same.itertuples() if r.state in OPEN_ROUND_STATES]
    return True


def _text(cell) -> str:
    """A cell as a person typed it: a number formatted as a percentage (95% typed into a number cell)
    keeps its %, a whole number has no .0, float noise is rounded away."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        percent = "%" in (cell.number_format or "")
        shown = round(value * 100 if percent else value, 8)
        text = str(int(shown)) if float(shown).is_integer() else f"{shown:.8f}".rstrip("0")
        return text + ("%" if percent else "")
    if isinstance(value, dt.datetime | dt.date):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _markers(sheet: Worksheet) -> tuple[int, dict[str, int], dict[int, str]] | None:
    """The marker column, the rows of the block markers, and every other marked row's 指标编号."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(layout.PROJECT):
                column = cell.column
                marks = {
                    r: str(v).strip() for r, (v,) in enumerate(sheet.iter_rows(min_col=column, max_col=column, values_only=True), 1) if v
                }
                blocks = {v if not v.startswith(layout.PROJECT) else layout.PROJECT: r for r, v in marks.items() if v.startswith("#")}
                return column, blocks, {r: v for r, v in marks.items() if not v.startswith("#")}
    return None


def _headings(sheet: Worksheet, row: int, fields: dict[str, str], period: dt.date, marker: int) -> dict[str, tuple[int, str | Msg]]:
    """field → (column, heading) of the heading row `row`, matched in either language."""
    wanted: dict[str, str] = {}
    for name, key in fields.items():
        for lang in LANGUAGES:
            wanted[t(key, lang, period=period.isoformat())] = name
    found: dict[str, tuple[int, str | Msg]] = {}
    for cell in sheet[row]:
        text = _text(cell)
        if cell.column != marker and text in wanted and wanted[text] not in found:
            found[wanted[text]] = (cell.column, text)
    return found


def _is_project_sheet(sheet: Worksheet) -> bool:
    titles = {t("form_project_title", lang) for lang in LANGUAGES}
    return any(_text(c) in titles for row in sheet.iter_rows(max_row=2) for c in row)


def _read_sheets(
    check: FormCheck, book, indicators: pd.DataFrame, projects: pd.DataFrame
) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, dict[str, str]]]]:
    """The filled rows of every project sheet, numbered across the form (`check.places` says where
    each came from), and the filled forecast lines; problems of the layout in `check.problems`."""
    period = check.period_end.isoformat()
    rows: list[tuple[int, dict[str, str]]] = []
    forecasts: list[tuple[int, dict[str, str]]] = []
    seen: dict[str, tuple[str, int]] = {}
    for sheet in book.worksheets:
        if sheet.title == layout.INFO_SHEET:
            continue
        where = msg("form_where", file=check.source, sheet=sheet.title)
        found = _markers(sheet)
        if found is None:
            if _is_project_sheet(sheet):
                check.problems.append(problem(where, None, None, None, "err_form_no_ids"))
            continue
        marker, blocks, ids = found
        code = str(sheet.cell(row=blocks[layout.PROJECT], column=marker).value)[len(layout.PROJECT) :].strip()
        if code not in projects.index:
            check.problems.append(
                problem(where, blocks[layout.PROJECT], None, code, "err_form_project_other", dept=check.dept, year=check.year)
            )
            continue
        if layout.HEADER not in blocks:
            check.problems.append(problem(where, None, None, None, "err_form_no_header"))
            continue
        columns = _headings(sheet, blocks[layout.HEADER], layout.INDICATOR_FIELDS, check.period_end, marker)
        if "actual" not in columns:
            heading = t(layout.INDICATOR_FIELDS["actual"], "zh", period=period)
            check.problems.append(problem(where, blocks[layout.HEADER], heading, None, "err_form_column_missing"))
            continue
        id_column = (marker, msg("form_fill_id"))
        columns = {**columns, "indicator_id": id_column, "period_end": id_column}
        for number, indicator_id in sorted(ids.items()):
            if number <= blocks[layout.HEADER]:
                continue
            cells = {name: _text(sheet.cell(row=number, column=column)) for name, (column, _) in columns.items() if name in FILLED}
            if not any(cells.values()):
                continue  # not filled: nothing to say about it
            shown = msg("form_column", letter=get_column_letter(marker), heading=msg("form_fill_id"))
            if indicator_id not in indicators.index or indicators.loc[indicator_id, "project_code"] != code:
                check.problems.append(problem(where, number, shown, indicator_id, "err_form_indicator_other", code=code))
                continue
            if indicator_id in seen:
                other_sheet, other_row = seen[indicator_id]
                check.problems.append(problem(where, number, shown, indicator_id, "err_form_id_repeated", sheet=other_sheet, row=other_row))
                continue
            seen[indicator_id] = (sheet.title, number)
            key = len(rows) + len(forecasts) + 1
            check.places[key] = Place(sheet.title, number, columns)
            rows.append((key, {"indicator_id": indicator_id, "period_end": period, **cells}))
        if layout.FUNDS in blocks and layout.FORECAST in blocks:
            fund_columns = _headings(sheet, blocks[layout.FUNDS], layout.FUND_FIELDS, check.period_end, marker)
            line = blocks[layout.FORECAST]
            cells = {name: _text(sheet.cell(row=line, column=column)) for name, (column, _) in fund_columns.items()}
            fund_columns |= {"project_code": id_column, "entered_on": id_column}
            if "forecast" in cells and any(cells.values()):
                key = len(rows) + len(forecasts) + 1
                check.places[key] = Place(sheet.title, line, fund_columns)
                forecasts.append((key, {"project_code": code, "entered_on": period, **cells}))
    return rows, forecasts


def _placed(check: FormCheck, found: list[InputProblem]) -> None:
    """The problems of a check over the numbered rows, named by sheet, row and column of the form."""
    for p in found:
        place = check.places.get(p.row) if p.row is not None else None
        if place is None:
            check.problems.append(p)
            continue
        column = place.columns.get(p.column) if isinstance(p.column, str) else None
        shown: str | Msg | None = msg("form_column", letter=get_column_letter(column[0]), heading=column[1]) if column else p.column
        check.problems.append(
            dataclasses.replace(p, file=msg("form_where", file=check.source, sheet=place.sheet), row=place.row, column=shown)
        )


def _same(a: Any, b: Any) -> bool:
    missing = (a is None or (isinstance(a, float) and math.isnan(a)), b is None or (isinstance(b, float) and math.isnan(b)))
    if any(missing):
        return all(missing)
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _check_actuals(con: duckdb.DuckDBPyConnection, check: FormCheck, rows: list, indicators: pd.DataFrame) -> None:
    if not rows:
        return
    checked = actuals_import.ActualsCheck(check.source, check.sha256)
    actuals_import.check_cells(con, checked, rows, check.year, {name: name for name in actuals_import.COLUMNS})
    _placed(check, checked.problems)
    for actual in checked.actuals:
        held = indicators.loc[actual.indicator_id]
        if held["reported"]:  # 纠偏措施 is not on the form: the period's record keeps it
            actual = dataclasses.replace(
                actual, corrective_action=held["corrective_action"] if isinstance(held["corrective_action"], str) else None
            )
            if all(_same(getattr(actual, c), held[c]) for c in COMPARED):
                check.unchanged += 1
                continue
            check.previous[actual.indicator_id] = held.to_dict()
        check.actuals.append(actual)


def _check_forecasts(con: duckdb.DuckDBPyConnection, check: FormCheck, rows: list, projects: pd.DataFrame) -> None:
    if not rows:
        return
    checked = forecasts_import.ForecastCheck(check.source, check.sha256, check.year)
    forecasts_import.check_cells(con, checked, rows, UNITS[MONEY], {name: name for name in forecasts_import.COLUMNS})
    _placed(check, checked.problems)
    for forecast in checked.forecasts:
        held = projects.loc[forecast.project_code]
        if pd.notna(held["forecast"]) and all(
            _same(a, b)
            for a, b in (
                (float(forecast.forecast), float(held["forecast"])),
                (forecast.reason, held["reason"]),
                (forecast.reason_detail, held["reason_detail"]),
            )
        ):
            check.unchanged += 1
            continue
        if pd.notna(held["forecast"]):
            check.previous[forecast.project_code] = held.to_dict()
        check.forecasts.append(forecast)
