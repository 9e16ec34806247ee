"""The structured targets template: a folder of CSV files or one xlsx workbook.

Each table is a CSV file `<table>.csv` in the folder, or a sheet `<table>` in the workbook.
Column names are those of the data model; money is in 元. `op`, `target_value` and `unit`
may be left empty: they are then read from `target_text` by `monitor.ingest.notation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from monitor.errors import InputError, InputProblem, problem
from monitor.i18n import Msg, msg
from monitor.ingest.files import Sheet, read_csv, read_xlsx_sheets
from monitor.ingest.notation import parse_target
from monitor.ingest.target_set import Checkpoint, Department, DeptGoal, DeptIndicator, Indicator, Project, TargetSet

# table → (required columns, optional columns)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "departments": (("dept_code", "name"), ("parent_code", "region_code", "level")),
    "projects": (("year", "dept_code", "project_code", "name", "budget", "fiscal_funds"), ("other_funds", "purpose")),
    "project_goals": (("year", "project_code", "seq", "goal"), ()),
    "plan_checkpoints": (("year", "project_code", "checkpoint_date", "planned_cumulative"), ()),
    "indicators": (
        ("year", "project_code", "seq", "level1", "level2", "level3", "description", "target_text"),
        ("op", "target_value", "unit", "basis"),
    ),
    "dept_goals": (("year", "dept_code", "section", "seq", "text"), ("title",)),
    "dept_indicators": (("year", "dept_code", "seq", "description", "target_text"), ("op", "target_value", "unit", "source")),
}
OPTIONAL_TABLES = {"project_goals", "dept_goals", "dept_indicators"}


def template_files(path: Path) -> list[Path]:
    """The files that make up a template (for hashing and messages)."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.csv") if p.stem in TABLES)
    return [path]


def read_template(path: Path, year: int | None = None) -> TargetSet:
    """Read and check a template; raises `InputError` listing every problem found."""
    sheets = _load_sheets(path)
    reader = _Reader(path.name if path.suffix.lower() == ".xlsx" else None)
    tables = {name: reader.table(sheets, name) for name in TABLES}
    reader.raise_if_problems()
    targets = _assemble(tables, reader, year)
    reader.raise_if_problems()
    return targets


def _load_sheets(path: Path) -> dict[str, Sheet]:
    if path.is_dir():
        return {p.stem: read_csv(p) for p in template_files(path)}
    if path.suffix.lower() == ".xlsx":
        return read_xlsx_sheets(path)
    raise InputError([problem(path.name, None, None, None, "err_template_type")])


Row = tuple[str, int, dict[str, str]]  # (source, row number, cells)


class _Reader:
    """Collects problems while converting cells, so one run reports all of them."""

    def __init__(self, workbook: str | None) -> None:
        self.problems: list[InputProblem] = []
        self.workbook = workbook  # the xlsx file's name; None for a folder of CSV files

    def raise_if_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def problem(self, row: Row | None, column: str | None, value: str | None, expected: Msg, source: str = "") -> None:
        if row is None:
            self.problems.append(InputProblem(source, None, column, value, expected))
        else:
            self.problems.append(InputProblem(row[0], row[1], column, value, expected))

    def table(self, sheets: dict[str, Sheet], name: str) -> list[Row]:
        sheet = sheets.get(name)
        required, optional = TABLES[name]
        if sheet is None:
            if name not in OPTIONAL_TABLES:
                self.problem(
                    None,
                    None,
                    None,
                    msg("err_missing_table", table=name, columns=", ".join(required)),
                    source=self.workbook or f"{name}.csv",
                )
            return []
        missing = [c for c in required if c not in sheet.header]
        if missing:
            self.problem(
                None, ", ".join(missing), None, msg("err_missing_columns", columns=", ".join(required + optional)), source=sheet.source
            )
            return []
        return [(sheet.source, number, cells) for number, cells in sheet.rows]

    def convert(self, row: Row, column: str, kind: Callable, expected: str, required: bool = True):
        """The cell converted by `kind`; `expected` names the cell kind (a key of the string files) for messages."""
        text = row[2].get(column, "")
        if text == "":
            if required:
                self.problem(row, column, text, msg("err_cell_empty", kind=msg(expected)))
            return None
        try:
            return kind(text)
        except (ValueError, InvalidOperation):
            self.problem(row, column, text, msg("err_cell_kind", kind=msg(expected)))
            return None

    def text(self, row: Row, column: str, required: bool = True) -> str | None:
        return self.convert(row, column, str, "cell_text", required)

    def int(self, row: Row, column: str) -> int | None:
        return self.convert(row, column, int, "cell_integer")

    def money(self, row: Row, column: str, required: bool = True) -> Decimal | None:
        return self.convert(row, column, lambda t: Decimal(t.replace(",", "")).quantize(Decimal("0.01")), "cell_money", required)

    def date(self, row: Row, column: str) -> dt.date | None:
        return self.convert(row, column, dt.date.fromisoformat, "cell_date")

    def number(self, row: Row, column: str) -> float | None:
        return self.convert(row, column, float, "cell_number", required=False)


def _assemble(tables: dict[str, list[Row]], r: _Reader, year: int | None) -> TargetSet:
    years = {r.int(row, "year") for name, rows in tables.items() if name != "departments" for row in rows}
    years.discard(None)
    if year is not None and years - {year}:
        r.problem(None, "year", ", ".join(map(str, sorted(years))), msg("err_template_year", year=year), source="projects")
    elif len(years) > 1:
        r.problem(None, "year", ", ".join(map(str, sorted(years))), msg("err_template_years"), source="projects")
    fiscal_year = year if year is not None else (years.pop() if years else 0)

    departments = {}
    for row in tables["departments"]:
        code = r.text(row, "dept_code")
        departments[code] = Department(
            code,
            r.text(row, "name"),
            r.text(row, "parent_code", False),
            r.text(row, "region_code", False),
            r.text(row, "level", False) or "单位",
        )
    for row in tables["dept_goals"]:
        dept = _lookup(departments, r, row, "dept_code", "cell_dept_code")
        if dept:
            dept.goals.append(DeptGoal(r.text(row, "section"), r.text(row, "title", False), r.text(row, "text")))
    for row in tables["dept_indicators"]:
        dept = _lookup(departments, r, row, "dept_code", "cell_dept_code")
        if dept:
            op, value, unit = _target(r, row, "")
            dept.indicators.append(
                DeptIndicator(r.text(row, "description"), r.text(row, "target_text"), op, value, unit, r.text(row, "source", False))
            )

    projects: dict[str, Project] = {}
    for row in tables["projects"]:
        other = r.money(row, "other_funds", required=False)
        project = Project(
            r.text(row, "dept_code"),
            r.text(row, "project_code"),
            r.text(row, "name"),
            r.money(row, "budget"),
            r.money(row, "fiscal_funds"),
            other if other is not None else Decimal("0.00"),
            r.text(row, "purpose", False),
            where=msg("where_row", file=row[0], row=row[1]),
        )
        if project.project_code in projects:
            r.problem(row, "project_code", project.project_code, msg("err_code_repeated"))
        projects[project.project_code] = project
    for row in _by_seq(r, tables["project_goals"]):
        project = _lookup(projects, r, row, "project_code", "cell_project_code")
        if project:
            project.goals.append(r.text(row, "goal"))
    for row in tables["plan_checkpoints"]:
        project = _lookup(projects, r, row, "project_code", "cell_project_code")
        if project:
            project.plan.append(Checkpoint(r.date(row, "checkpoint_date"), r.money(row, "planned_cumulative")))
    for row in _by_seq(r, tables["indicators"]):
        project = _lookup(projects, r, row, "project_code", "cell_project_code")
        if project:
            level2 = r.text(row, "level2")
            op, value, unit = _target(r, row, level2)
            project.indicators.append(
                Indicator(
                    r.text(row, "level1"),
                    level2,
                    r.text(row, "level3"),
                    r.text(row, "description"),
                    r.text(row, "target_text"),
                    op,
                    value,
                    unit,
                    r.text(row, "basis", False),
                )
            )
    for project in projects.values():
        project.plan.sort(key=lambda c: c.date or dt.date.min)
    return TargetSet(fiscal_year, list(departments.values()), list(projects.values()))


def _by_seq(r: _Reader, rows: list[Row]) -> list[Row]:
    """Rows in the order of their `seq` column (file order where it is missing or bad)."""
    seqs = [r.int(row, "seq") for row in rows]
    return [row for _, _, row in sorted(zip([s if s is not None else 0 for s in seqs], range(len(rows)), rows))]


def _lookup(found: dict, r: _Reader, row: Row, column: str, expected: str):
    code = row[2].get(column, "")
    if code not in found:
        r.problem(row, column, code, msg("err_cell_kind", kind=msg(expected)))
        return None
    return found[code]


def _target(r: _Reader, row: Row, level2: str) -> tuple[str, float | None, str | None]:
    """Explicit op/target_value/unit when given, else read from target_text."""
    if row[2].get("op"):
        return row[2]["op"], r.number(row, "target_value"), row[2].get("unit") or None
    parsed = parse_target(row[2].get("target_text", ""), level2 or "")
    return parsed.op, parsed.value, parsed.unit
