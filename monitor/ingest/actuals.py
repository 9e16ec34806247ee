"""Indicator actuals 指标完成值: from a file (xlsx, or CSV in UTF-8/GBK) or from the editor on
绩效指标, through one check and one write.

Each row names an indicator (by 指标编号, or by 项目编码 + 三级指标 with 二级指标 when the name
is ambiguous; department-wide ones by 指标编号), the period end it reports on, the value
reached, and optionally 偏差原因 (one of five categories) with its explanation, 完成目标可能性
and 纠偏措施 (a category or likelihood as stored, or in its English words). A number is stored
in the indicator's own unit: 万元 and 元 are converted, `%` and counts must match the target's
unit, anything else is refused rather than compared blindly. Qualitative indicators keep the text.
Nothing is written unless every row passes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from monitor.errors import InputProblem, problem
from monitor.i18n import Msg, msg
from monitor.ingest.files import read_mapped
from monitor.ingest.notation import cn_number
from monitor.ingest.payments import parse_date
from monitor.store.batches import already_imported, insert_rows, new_batch, sha256_of_bytes, transaction
from monitor.store.db import query_rows, rules_sql
from monitor.store.vocabulary import AT_RISK_LIKELIHOODS, LIKELIHOOD_KEYS, LIKELIHOODS, REASON_KEYS, REASONS, choices, stored_value

KIND = "indicator_actuals"
COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator_id": ("指标编号", "指标ID"),
    "project_code": ("项目编码", "项目代码"),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称", "绩效指标"),
    "period_end": ("截至日期", "期末日期", "填报截至", "报告期末"),
    "actual": ("实际完成值", "完成值", "实际值"),
    "reason": ("偏差原因", "偏差原因分析"),
    "reason_detail": ("原因说明", "偏差原因说明"),
    "likelihood": ("完成目标可能性", "完成可能性"),
    "corrective_action": ("纠偏措施", "整改措施"),
    "forecast_text": ("全年预计完成情况",),
}
REQUIRED = ("period_end", "actual")
COLUMNS_STORED = (
    "year",
    "project_code",
    "indicator_id",
    "period_end",
    "actual_value",
    "actual_text",
    "likelihood",
    "reason",
    "reason_detail",
    "corrective_action",
    "batch_id",
)
WRITTEN = (*COLUMNS_STORED, "forecast_text")  # 全年预计完成情况, a later column (the demo writes COLUMNS_STORED)
VALUE = re.compile(r"\s*([+-]?\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)\s*(%|％|万元|元|[^\d\s.%％]{1,3})?\s*")
TO_TARGET_UNIT = {("元", "万元"): 1 / 10000, ("万元", "元"): 10000.0, ("％", "%"): 1.0}


@dataclass(frozen=True)
class Actual:
    row: int
    project_code: str | None
    indicator_id: str
    period_end: dt.date
    actual_value: float | None
    actual_text: str | None
    likelihood: str | None
    reason: str | None
    reason_detail: str | None
    corrective_action: str | None
    forecast_text: str | None = None  # 全年预计完成情况


@dataclass
class ActualsCheck:
    source: str
    sha256: str
    year: int | None = None
    actuals: list[Actual] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    imported_as: int | None = None  # batch that already holds this exact file
    batch_id: int | None = None

    @property
    def records(self) -> list[Actual]:
        return self.actuals

    def touches(self) -> dict[str, set[str]]:
        """What a write of this check changes, for monitor.auth.refuse_outside."""
        return {"indicators": {a.indicator_id for a in self.actuals}}


def check_file(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, year: int | None = None) -> ActualsCheck:
    """Read and validate an actuals file against the targets in the database; writes nothing."""
    check = ActualsCheck(file_name, sha256_of_bytes(data))
    check.imported_as = already_imported(con, KIND, check.sha256)
    if check.imported_as is not None:
        return check
    sheet, headers, check.problems = read_mapped(data, file_name, COLUMNS, REQUIRED)
    if not check.problems and not ({"indicator_id", "level3"} & set(headers)):
        check.problems.append(problem(file_name, 1, "三级指标", None, "err_actuals_identify"))
    if not check.problems and not sheet.rows:
        check.problems.append(problem(file_name, None, None, None, "err_no_rows"))
    if not check.problems:
        rows = [(number, {column: cells.get(header, "") for column, header in headers.items()}) for number, cells in sheet.rows]
        check_cells(con, check, rows, year, {column: header for column, header in headers.items()})
    return check


def check_rows(con: duckdb.DuckDBPyConnection, source: str, rows: list[dict[str, str]], year: int) -> ActualsCheck:
    """Validate rows entered in the editor (keys are the model's column names); writes nothing."""
    check = ActualsCheck(source, "")
    check_cells(con, check, list(enumerate(rows, start=1)), year, {c: names[0] for c, names in COLUMNS.items()})
    return check


def save(con: duckdb.DuckDBPyConnection, check: ActualsCheck, user: str) -> ActualsCheck:
    """Write a passed check as one batch, in one transaction; a check with problems writes nothing."""
    if check.problems or check.imported_as is not None or not check.actuals:
        return check
    with transaction(con):
        if check.sha256 and (held := already_imported(con, KIND, check.sha256)) is not None:  # written meanwhile by another session
            check.imported_as = held
            return check
        sha256 = check.sha256 or f"editor:{user}:{dt.datetime.now().isoformat()}"  # editor entries are never the same file
        check.batch_id = new_batch(con, KIND, check.source, sha256, len(check.actuals), user, note=msg("batch_note_year", year=check.year))
        insert_actuals(con, check.year, check.actuals, check.batch_id)
    return check


def insert_actuals(con: duckdb.DuckDBPyConnection, year: int, actuals: list[Actual], batch_id: int) -> None:
    """The checked rows of batch `batch_id`, inside the caller's transaction."""
    insert_rows(
        con,
        "indicator_actuals",
        WRITTEN,
        [
            (
                year,
                a.project_code,
                a.indicator_id,
                a.period_end,
                a.actual_value,
                a.actual_text,
                a.likelihood,
                a.reason,
                a.reason_detail,
                a.corrective_action,
                batch_id,
                a.forecast_text,
            )
            for a in actuals
        ],
    )


def stale_judgements(con: duckdb.DuckDBPyConnection, check: ActualsCheck) -> list[Actual]:
    """The checked rows whose new value meets the target while they keep a 完成可能性 that puts
    them at risk, or a 偏差原因: as entered, the record would contradict itself (达标 yet off target)."""
    judged = [a for a in check.actuals if a.actual_value is not None and (a.likelihood in AT_RISK_LIKELIHOODS or a.reason)]
    if not judged:
        return []
    entered = pd.DataFrame({"indicator_id": [a.indicator_id for a in judged], "actual_value": [a.actual_value for a in judged]})
    cur = con.cursor()  # a cursor of its own: the registered frame does not outlive this check
    try:
        cur.execute(rules_sql())
        cur.register("entered", entered)
        met = {indicator_id for (indicator_id,) in query_rows(cur, "actuals_meeting_target", year=check.year)}
    finally:
        cur.close()
    return [a for a in judged if a.indicator_id in met]


def without_judgement(actual: Actual) -> Actual:
    """The row with its 完成可能性, 偏差原因 and explanation cleared (its value now meets the target)."""
    return dataclasses.replace(actual, likelihood=None, reason=None, reason_detail=None)


def import_file(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, user: str, year: int | None = None) -> ActualsCheck:
    """Check and write a file in one step (the CLI); the returned check says what happened."""
    return save(con, check_file(con, data, file_name, year), user)


def check_cells(
    con: duckdb.DuckDBPyConnection, check: ActualsCheck, rows: list[tuple[int, dict[str, str]]], year: int | None, shown: dict[str, str]
) -> None:
    """Resolve each row's indicator and convert its cells (keys: the model's column names, `shown`
    says how the source heads them); every problem names row and column. The file import, the
    editor and the 监控表回填 (monitor.ingest.form) all check through here."""

    def bad(number: int, column: str, value: str, expected: Msg) -> None:
        check.problems.append(InputProblem(check.source, number, shown.get(column, column), value, expected))

    periods = {number: parse_date(cells.get("period_end", "")) for number, cells in rows}
    for number, cells in rows:
        if periods[number] is None:
            bad(number, "period_end", cells.get("period_end", ""), msg("err_period_date"))
    years = {d.year for d in periods.values() if d}
    if year is None and len(years) == 1:
        year = years.pop()
    if year is None:
        if not check.problems:
            check.problems.append(problem(check.source, None, shown["period_end"], None, "err_periods_span_years"))
        return
    check.year = year
    targets = _targets(con, year)
    seen: dict[tuple[str, dt.date], int] = {}
    for number, cells in rows:
        target = _find_target(targets, cells, lambda column, value, expected, n=number: bad(n, column, value, expected))
        period = periods[number]
        if target is None or period is None:
            continue
        if period.year != year:
            bad(number, "period_end", cells["period_end"], msg("err_period_outside_year", year=year))
            continue
        key = (target["indicator_id"], period)
        if key in seen:
            bad(number, "period_end", cells["period_end"], msg("err_period_repeated", row=seen[key]))
            continue
        seen[key] = number
        actual = cells.get("actual", "")
        value, text = _value(target, actual, lambda expected, n=number, a=actual: bad(n, "actual", a, expected))
        reason = stored_value(cells.get("reason", "").strip(), REASON_KEYS) or None
        if reason and reason not in REASONS:
            bad(number, "reason", reason, msg("err_reason", allowed=choices(REASONS, REASON_KEYS)))
        likelihood = stored_value(cells.get("likelihood", "").strip(), LIKELIHOOD_KEYS) or None
        if likelihood and likelihood not in LIKELIHOODS:
            bad(number, "likelihood", likelihood, msg("err_likelihood", allowed=choices(LIKELIHOODS, LIKELIHOOD_KEYS)))
        check.actuals.append(
            Actual(
                number,
                target["project_code"],
                target["indicator_id"],
                period,
                value,
                text,
                likelihood,
                reason,
                cells.get("reason_detail", "").strip() or None,
                cells.get("corrective_action", "").strip() or None,
                cells.get("forecast_text", "").strip() or None,
            )
        )
    if check.problems:
        check.actuals = []


def _targets(con: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    rows = con.execute(
        "SELECT indicator_id, project_code, level2, level3, op, unit FROM indicators WHERE year = ?"
        " UNION ALL SELECT indicator_id, NULL, source, description, op, unit FROM dept_indicators WHERE year = ?",
        [year, year],
    ).fetchall()
    return [dict(zip(("indicator_id", "project_code", "level2", "level3", "op", "unit"), r)) for r in rows]


def _find_target(targets: list[dict], cells: dict[str, str], bad) -> dict | None:
    """The indicator a row reports on, by 指标编号 or by 项目编码 + 三级指标 (+ 二级指标)."""
    indicator_id = cells.get("indicator_id", "").strip()
    if indicator_id:
        found = [t for t in targets if t["indicator_id"] == indicator_id]
        if not found:
            bad("indicator_id", indicator_id, msg("err_no_indicator_id"))
        return found[0] if found else None
    code, name, level2 = (cells.get(c, "").strip() for c in ("project_code", "level3", "level2"))
    in_project = [t for t in targets if t["project_code"] == code]
    if not in_project:
        bad("project_code", code, msg("err_no_project_code") if code else msg("err_project_code_needed"))
        return None
    found = [t for t in in_project if t["level3"] == name and (not level2 or t["level2"] == level2)]
    if len(found) == 1:
        return found[0]
    names = "、".join(dict.fromkeys(t["level3"] for t in in_project))
    bad("level3", name, msg("err_level3_ambiguous") if found else msg("err_no_level3", names=names))
    return None


def _value(target: dict, text: str, bad) -> tuple[float | None, str | None]:
    """The actual as stored: a number in the target's unit, or text for a qualitative indicator."""
    text = text.strip()
    if not text:
        bad(msg("err_actual_empty"))
        return None, None
    if target["op"] == "qual":
        return None, text
    match = VALUE.fullmatch(text)
    if not match or cn_number(match.group(1)) is None:
        bad(msg("err_actual_number_unit", unit=target["unit"]) if target["unit"] else msg("err_actual_number"))
        return None, None
    number, unit = cn_number(match.group(1)), match.group(2)
    if unit is None or unit == target["unit"]:
        return number, None
    factor = TO_TARGET_UNIT.get((unit, target["unit"]))
    if factor is None:
        bad(msg("err_actual_unit", unit=unit, target_unit=target["unit"] or "—"))
        return None, None
    return number * factor, None
