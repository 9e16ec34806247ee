"""The targets of one fiscal year: departments, projects, plans, indicators.

Every targets reader (structured template, published document) produces a `TargetSet`;
`validate` checks it and `write_targets` stores it in one transaction, replacing each
department-year it covers as a unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import duckdb

from monitor.errors import InputProblem
from monitor.i18n import Msg, msg
from monitor.ingest.notation import OPS
from monitor.store import plan_segments
from monitor.store.batches import insert_rows, new_batch, transaction

PLAN_TOLERANCE = Decimal("0.01")  # 元: the last checkpoint must equal the budget within this


@dataclass
class Indicator:
    level1: str
    level2: str
    level3: str
    description: str
    target_text: str
    op: str
    target_value: float | None
    unit: str | None
    basis: str | None


@dataclass
class Checkpoint:
    date: dt.date
    planned_cumulative: Decimal


@dataclass
class Project:
    dept_code: str
    project_code: str
    name: str
    budget: Decimal
    fiscal_funds: Decimal
    other_funds: Decimal
    purpose: str | None
    goals: list[str] = field(default_factory=list)
    plan: list[Checkpoint] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    where: Msg | str = ""  # file/line the project came from, for messages


@dataclass
class DeptGoal:
    section: str
    title: str | None
    text: str


@dataclass
class DeptIndicator:
    description: str
    target_text: str
    op: str
    target_value: float | None
    unit: str | None
    source: str | None


@dataclass
class Department:
    dept_code: str
    name: str
    parent_code: str | None = None
    region_code: str | None = None
    level: str = "单位"
    goals: list[DeptGoal] = field(default_factory=list)
    indicators: list[DeptIndicator] = field(default_factory=list)


@dataclass
class TargetSet:
    year: int
    departments: list[Department]
    projects: list[Project]

    def to_json(self) -> dict:
        """The JSON shape of `import targets --dry-run --json` (money in 元 as numbers)."""

        def project(p: Project) -> dict:
            data = asdict(p)
            data.pop("where")
            for key in ("budget", "fiscal_funds", "other_funds"):
                data[key] = float(data[key])
            data["plan"] = [{"date": c.date.isoformat(), "planned_cumulative": float(c.planned_cumulative)} for c in p.plan]
            return data

        return {"year": self.year, "departments": [asdict(d) for d in self.departments], "projects": [project(p) for p in self.projects]}


def validate(targets: TargetSet, source: str) -> list[InputProblem]:
    """Consistency rules every targets file must satisfy, whatever its format."""
    problems: list[InputProblem] = []
    dept_codes = {d.dept_code for d in targets.departments}
    seen: set[str] = set()
    for p in targets.projects:

        def bad(column: str | None, value: object, expected: Msg, p: Project = p) -> None:
            within = msg("err_in_project", code=p.project_code, name=p.name, where=p.where, problem=expected)
            problems.append(InputProblem(source, None, column, None if value is None else str(value), within))

        if p.project_code in seen:
            bad("project_code", p.project_code, msg("err_code_repeated"))
        seen.add(p.project_code)
        if p.dept_code not in dept_codes:
            bad("dept_code", p.dept_code, msg("err_dept_unknown"))
        if p.budget <= 0:
            bad("budget", p.budget, msg("err_budget_positive"))
        if abs(p.fiscal_funds + p.other_funds - p.budget) > PLAN_TOLERANCE:
            bad("fiscal_funds", p.fiscal_funds, msg("err_funds_sum", budget=p.budget))
        for column, value, expected in _plan_problems(targets.year, p):
            bad(column, value, expected)
        if not p.indicators:
            bad(None, None, msg("err_no_indicators"))
        for ind in p.indicators:
            for column, value, expected in _target_problems(ind.op, ind.target_value):
                bad(column, value, msg("err_in_indicator", name=ind.level3, problem=expected))
    for d in targets.departments:
        for ind in d.indicators:
            for column, value, expected in _target_problems(ind.op, ind.target_value):
                within = msg("err_in_dept_indicator", dept=d.dept_code, name=ind.description, problem=expected)
                problems.append(InputProblem(source, None, column, str(value), within))
    return problems


def _plan_problems(year: int, p: Project) -> list[tuple[str, object, Msg]]:
    if not p.plan:
        return [("planned_cumulative", None, msg("err_no_plan"))]
    found = []
    previous = Decimal(0)
    for c in sorted(p.plan, key=lambda c: c.date):
        if c.date.year != year:
            found.append(("checkpoint_date", c.date, msg("err_checkpoint_year", year=year)))
        if c.planned_cumulative < previous:
            found.append(("planned_cumulative", c.planned_cumulative, msg("err_plan_decreases")))
        previous = c.planned_cumulative
    if abs(previous - p.budget) > PLAN_TOLERANCE:
        found.append(("planned_cumulative", previous, msg("err_plan_last", budget=p.budget)))
    return found


def _target_problems(op: str, value: float | None) -> list[tuple[str, object, Msg]]:
    if op not in OPS:
        return [("op", op, msg("err_op", allowed=" ".join(OPS)))]
    if op != "qual" and value is None:
        return [("target_value", value, msg("err_target_value"))]
    return []


def write_targets(
    con: duckdb.DuckDBPyConnection, targets: TargetSet, file_name: str, sha256: str, user: str, *, is_demo: bool = False
) -> int:
    """Store the targets in one transaction; returns the batch id.

    Each (department, year) in the set replaces what was stored for it. Indicators keep their
    identity when a project keeps an indicator of the same level1/level2/level3, so actuals
    already entered stay attached.
    """
    rows = sum(len(p.indicators) + len(p.plan) + 1 for p in targets.projects)
    with transaction(con):
        batch_id = new_batch(con, "targets", file_name, sha256, rows, user, is_demo=is_demo)
        y = targets.year
        for d in targets.departments:
            _replace_department(con, y, d)
        ids = _existing_indicator_ids(con, y, [d.dept_code for d in targets.departments])
        # ids that actual values still refer to (of indicators dropped before) are never handed out again
        reserved = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM indicator_actuals WHERE year = ?", [y]).fetchall()}
        for d in targets.departments:
            _delete_department_year(con, y, d.dept_code)
        for p in targets.projects:
            _insert_project(con, y, p, batch_id, ids, reserved)
        plan_segments.rebuild(con, y)
    return batch_id


def _replace_department(con: duckdb.DuckDBPyConnection, year: int, d: Department) -> None:
    con.execute("DELETE FROM departments WHERE dept_code = ?", [d.dept_code])
    insert_rows(
        con,
        "departments",
        ("dept_code", "name", "parent_code", "region_code", "level"),
        [(d.dept_code, d.name, d.parent_code, d.region_code, d.level)],
    )
    for table in ("dept_goals", "dept_indicators"):
        con.execute(f"DELETE FROM {table} WHERE year = ? AND dept_code = ?", [year, d.dept_code])
    insert_rows(
        con,
        "dept_goals",
        ("year", "dept_code", "section", "seq", "title", "text"),
        [(year, d.dept_code, g.section, _seq_in_section(d.goals, i), g.title, g.text) for i, g in enumerate(d.goals)],
    )
    insert_rows(
        con,
        "dept_indicators",
        ("year", "dept_code", "indicator_id", "seq", "description", "target_text", "op", "target_value", "unit", "source"),
        [
            (year, d.dept_code, f"{d.dept_code}-D{i:02d}", i, x.description, x.target_text, x.op, x.target_value, x.unit, x.source)
            for i, x in enumerate(d.indicators, start=1)
        ],
    )


def _seq_in_section(goals: list[DeptGoal], index: int) -> int:
    section = goals[index].section
    return sum(1 for g in goals[: index + 1] if g.section == section)


def _existing_indicator_ids(con: duckdb.DuckDBPyConnection, year: int, dept_codes: list[str]) -> dict[tuple, str]:
    rows = con.execute(
        "SELECT i.project_code, i.level1, i.level2, i.level3, i.indicator_id FROM indicators i"
        " JOIN projects p USING (year, project_code) WHERE i.year = ? AND list_contains(?, p.dept_code)",
        [year, dept_codes],
    ).fetchall()
    return {tuple(r[:4]): r[4] for r in rows}


def _delete_department_year(con: duckdb.DuckDBPyConnection, year: int, dept_code: str) -> None:
    in_dept = "project_code IN (SELECT project_code FROM projects WHERE year = ? AND dept_code = ?)"
    for table in ("indicators", "plan_checkpoints", "project_goals"):
        con.execute(f"DELETE FROM {table} WHERE year = ? AND {in_dept}", [year, year, dept_code])
    con.execute("DELETE FROM projects WHERE year = ? AND dept_code = ?", [year, dept_code])


def _insert_project(
    con: duckdb.DuckDBPyConnection, year: int, p: Project, batch_id: int, ids: dict[tuple, str], reserved: set[str]
) -> None:
    insert_rows(
        con,
        "projects",
        ("year", "dept_code", "project_code", "name", "budget", "fiscal_funds", "other_funds", "purpose", "batch_id"),
        [(year, p.dept_code, p.project_code, p.name, p.budget, p.fiscal_funds, p.other_funds, p.purpose, batch_id)],
    )
    insert_rows(
        con,
        "project_goals",
        ("year", "project_code", "seq", "goal"),
        [(year, p.project_code, i, g) for i, g in enumerate(p.goals, start=1)],
    )
    insert_rows(
        con,
        "plan_checkpoints",
        ("year", "project_code", "checkpoint_date", "planned_cumulative"),
        [(year, p.project_code, c.date, c.planned_cumulative) for c in p.plan],
    )
    insert_rows(
        con,
        "indicators",
        (
            "year",
            "project_code",
            "indicator_id",
            "seq",
            "level1",
            "level2",
            "level3",
            "description",
            "target_text",
            "op",
            "target_value",
            "unit",
            "basis",
        ),
        [
            (
                year,
                p.project_code,
                indicator_id,
                seq,
                i.level1,
                i.level2,
                i.level3,
                i.description,
                i.target_text,
                i.op,
                i.target_value,
                i.unit,
                i.basis,
            )
            for seq, (indicator_id, i) in enumerate(zip(_indicator_ids(p, ids, reserved), p.indicators), start=1)
        ],
    )


def _indicator_ids(p: Project, existing: dict[tuple, str], reserved: set[str]) -> list[str]:
    """Reuse the id of the same indicator stored before; number new ones after the highest used."""
    taken = set(existing.values()) | reserved
    ids: list[str] = []
    number = 0
    for ind in p.indicators:
        found = existing.get((p.project_code, ind.level1, ind.level2, ind.level3))
        if found is None or found in ids:
            number += 1
            while f"{p.project_code}-{number:02d}" in taken:
                number += 1
            found = f"{p.project_code}-{number:02d}"
            taken.add(found)
        ids.append(found)
    return ids
