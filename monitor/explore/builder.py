"""即席查询: the subjects one can explore, their fields, and the filter/group query builder.

Each subject is a named base query (queries/explore_*.sql) that the builder wraps as a
subquery. The builder composes SQL only from the identifiers whitelisted in SUBJECTS and
placeholder names it makes itself ($p0, $p1, …); every value a user gives is bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import pandas as pd

from monitor.i18n import t
from monitor.rules.indicators import status_word
from monitor.rules.words import level_word, likelihood_word, reason_word, status_class_word
from monitor.settings import settings
from monitor.store import db

Kind = Literal["category", "text", "money", "number", "rate", "date", "flag"]
Op = Literal["in", "contains", "min", "max", "is"]

RANGE_KINDS = ("money", "number", "rate", "date")
OPS: dict[Kind, tuple[Op, ...]] = {
    "category": ("in",),
    "text": ("contains",),
    "flag": ("is",),
    **{kind: ("min", "max") for kind in RANGE_KINDS},
}
_CONDITION = {  # op → SQL condition over a whitelisted column {col} and a placeholder {p}
    "in": "list_contains(${p}, {col})",
    "contains": "contains(lower({col}), lower(${p}))",
    "min": "{col} >= ${p}",
    "max": "{col} <= ${p}",
    "is": "{col} = ${p}",
}
MAX_TEXT = 200  # longest text search accepted


def quarter_word(value: Any, lang: str) -> str:
    return t(f"quarter_{int(value)}", lang)


@dataclass(frozen=True)
class Field:
    kind: Kind
    key: str  # of its label in the string files
    group: bool = False  # may be grouped by
    words: Callable[[Any, str], str] | None = None  # a category of codes: how a value reads (the query keeps the code)

    def label(self, lang: str) -> str:
        return t(self.key, lang)

    def shown(self, value: Any, lang: str) -> str:
        """A value of this field as a person reads it: a code in words, anything else as it is."""
        if value is None or pd.isna(value):
            return ""
        return self.words(value, lang) if self.words else str(value)


@dataclass(frozen=True)
class Measure:
    sql: str  # an aggregate over whitelisted columns
    kind: Literal["count", "money", "number", "rate"]
    key: str  # of its label; with `of`, a template worded around that field's label
    of: Field | None = None

    def label(self, lang: str) -> str:
        return t(self.key, lang, field=self.of.label(lang)) if self.of else t(self.key, lang)


@dataclass(frozen=True)
class Subject:
    query: str  # queries/explore/<query>.sql
    key: str  # of its label
    fields: dict[str, Field]
    ratios: dict[str, Measure] = field(default_factory=dict)  # measures beyond count/sum/mean

    def label(self, lang: str) -> str:
        return t(self.key, lang)

    def measures(self) -> dict[str, Measure]:
        """count, sum and mean of money, mean of numbers and rates, and the subject's ratios."""
        found = {"count": Measure("count(*)", "count", "explore_count")}
        for name, f in self.fields.items():
            if f.kind == "money":
                found[f"sum:{name}"] = Measure(f'sum("{name}")', "money", "explore_sum", f)
            if f.kind in ("money", "number", "rate"):
                kind = "money" if f.kind == "money" else f.kind
                found[f"mean:{name}"] = Measure(f'avg("{name}")', kind, "explore_mean", f)
        return found | {f"rate:{name}": m for name, m in self.ratios.items()}

    def groupable(self) -> list[str]:
        return [name for name, f in self.fields.items() if f.group]


_UNIT = {"dept_code": Field("category", "explore_field_dept_code", True), "dept_name": Field("category", "explore_field_dept_name", True)}
_PROJECT = {
    "project_code": Field("category", "explore_field_project_code", True),
    "name": Field("text", "explore_field_name", True),
}

SUBJECTS: dict[str, Subject] = {
    "projects": Subject(
        "explore_projects",
        "explore_subject_projects",
        {
            **_UNIT,
            **_PROJECT,
            "status": Field("category", "explore_projects_status", True, status_class_word),
            "behind_plan": Field("flag", "explore_projects_behind_plan", True),
            "below_time_progress": Field("flag", "explore_projects_below_time_progress", True),
            "budget": Field("money", "explore_projects_budget"),
            "fiscal_funds": Field("money", "explore_projects_fiscal_funds"),
            "other_funds": Field("money", "explore_projects_other_funds"),
            "planned_cumulative": Field("money", "explore_projects_planned_cumulative"),
            "actual_cumulative": Field("money", "explore_projects_actual_cumulative"),
            "execution_rate": Field("rate", "explore_projects_execution_rate"),
            "time_progress": Field("rate", "explore_projects_time_progress"),
            "gap": Field("money", "explore_projects_gap"),
            "gap_pp": Field("number", "explore_projects_gap_pp"),
            "forecast": Field("money", "explore_projects_forecast"),
        },
        {"execution": Measure('sum("actual_cumulative") / nullif(sum("budget"), 0)', "rate", "explore_ratio_execution")},
    ),
    "years": Subject(  # the sidebar's year and the one before, each at the same day
        "explore_years",
        "explore_subject_years",
        {
            "fiscal_year": Field("category", "explore_years_fiscal_year", True),
            **_UNIT,
            **_PROJECT,
            "status": Field("category", "explore_projects_status", True),
            "budget": Field("money", "explore_projects_budget"),
            "planned_cumulative": Field("money", "explore_projects_planned_cumulative"),
            "actual_cumulative": Field("money", "explore_projects_actual_cumulative"),
            "execution_rate": Field("rate", "explore_projects_execution_rate"),
            "gap_pp": Field("number", "explore_projects_gap_pp"),
        },
        {"execution": Measure('sum("actual_cumulative") / nullif(sum("budget"), 0)', "rate", "explore_ratio_execution")},
    ),
    "quarters": Subject(
        "explore_quarters",
        "explore_subject_quarters",
        {
            **_UNIT,
            **_PROJECT,
            "quarter": Field("category", "explore_quarters_quarter", True, quarter_word),
            "planned": Field("money", "explore_quarters_planned"),
            "actual": Field("money", "explore_quarters_actual"),
            "planned_cumulative": Field("money", "explore_quarters_planned_cumulative"),
            "actual_cumulative": Field("money", "explore_quarters_actual_cumulative"),
        },
        {"vs_plan": Measure('sum("actual") / nullif(sum("planned"), 0)', "rate", "explore_ratio_vs_plan")},
    ),
    "indicators": Subject(
        "explore_indicators",
        "explore_subject_indicators",
        {
            **_UNIT,
            "project_code": Field("category", "explore_indicators_project_code", True),
            "project_name": Field("text", "explore_indicators_project_name", True),
            "level1": Field("category", "explore_indicators_level1", True, level_word),
            "level2": Field("category", "explore_indicators_level2", True, level_word),
            "level3": Field("text", "explore_indicators_level3", True),
            "unit": Field("category", "explore_indicators_unit", True),
            "status": Field("category", "explore_indicators_status", True, status_word),
            "off_target": Field("flag", "explore_indicators_off_target", True),
            "likelihood": Field("category", "explore_indicators_likelihood", True, likelihood_word),
            "reason": Field("category", "explore_indicators_reason", True, reason_word),
            "period_quarter": Field("category", "explore_indicators_period_quarter", True, quarter_word),
            "period_end": Field("date", "explore_indicators_period_end"),
            "target_value": Field("number", "explore_indicators_target_value"),
            "actual_value": Field("number", "explore_indicators_actual_value"),
            "gap": Field("number", "explore_indicators_gap"),
        },
        {
            "off_share": Measure('avg("off_target"::INTEGER)', "rate", "explore_ratio_off_share"),
            "met_share": Measure(
                """count(*) FILTER (WHERE "status" = '达标') / nullif(count(*) FILTER (WHERE "status" IN ('达标', '未达标')), 0)""",
                "rate",
                "explore_ratio_met_share",
            ),
        },
    ),
    "payments": Subject(
        "explore_payments",
        "explore_subject_payments",
        {
            **_UNIT,
            **_PROJECT,
            "paid_on": Field("date", "explore_payments_paid_on"),
            "month": Field("category", "explore_payments_month", True),
            "quarter": Field("category", "explore_payments_quarter", True, quarter_word),
            "amount": Field("money", "explore_payments_amount"),
            "fund_source": Field("category", "explore_payments_fund_source", True),
            "payee": Field("text", "explore_payments_payee", True),
            "summary": Field("text", "explore_payments_summary"),
            "voucher_no": Field("text", "explore_payments_voucher_no"),
        },
        {"share": Measure('sum("amount") / sum(sum("amount")) OVER ()', "rate", "explore_ratio_share")},
    ),
}


@dataclass(frozen=True)
class Condition:
    field: str
    op: Op
    value: Any


@dataclass(frozen=True)
class Query:
    subject: str
    conditions: tuple[Condition, ...] = ()
    groups: tuple[str, ...] = ()  # up to two fields
    measure: str = "count"


class ExploreError(ValueError):
    """A query that names something outside the whitelist (never shown raw as SQL)."""


def _column(subject: Subject, name: str) -> str:
    if name not in subject.fields:
        raise ExploreError(f"unknown field {name!r}")
    return f'"{name}"'  # whitelisted above: field names are plain identifiers of our own


def _where(subject: Subject, conditions: tuple[Condition, ...]) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    for i, c in enumerate(conditions):
        column = _column(subject, c.field)
        if c.op not in OPS[subject.fields[c.field].kind]:
            raise ExploreError(f"{c.op!r} does not apply to {c.field!r}")
        if c.op == "contains" and len(str(c.value)) > MAX_TEXT:
            raise ExploreError(f"search text longer than {MAX_TEXT} characters")
        clauses.append(_CONDITION[c.op].format(col=column, p=f"p{i}"))
        params[f"p{i}"] = list(c.value) if c.op == "in" else c.value
    return (" AND ".join(clauses) or "TRUE"), params


def _context(text: str, context: dict[str, Any]) -> dict[str, Any]:
    """The context values (year, dept, as_of, thresholds) the base query uses; DuckDB refuses unused ones."""
    used = set(re.findall(r"\$(\w+)", text))
    return {name: value for name, value in context.items() if name in used}


def build(q: Query, context: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """SQL and bound parameters for `q`: grouped by `q.groups` with column `value` for the
    measure, or, with no groups, the matching rows (at most `explore_rows` of the settings + 1, to tell truncation)."""
    subject = SUBJECTS.get(q.subject)
    if subject is None:
        raise ExploreError(f"unknown subject {q.subject!r}")
    base = db.sql(subject.query)
    where, params = _where(subject, q.conditions)
    params |= _context(base, context)
    source = f"FROM (\n{base}\n) AS base\nWHERE {where}"
    if not q.groups:
        params["row_limit"] = settings().limits.explore_rows + 1
        return f"SELECT *\n{source}\nLIMIT $row_limit", params
    columns = ", ".join(_column(subject, g) for g in q.groups)
    if len(q.groups) > 2 or len(set(q.groups)) != len(q.groups) or not all(subject.fields[g].group for g in q.groups):
        raise ExploreError("group by one or two distinct groupable fields")
    measure = subject.measures().get(q.measure)
    if measure is None:
        raise ExploreError(f"unknown measure {q.measure!r}")
    return f"SELECT {columns}, {measure.sql} AS value\n{source}\nGROUP BY {columns}\nORDER BY {columns}", params


def run(con: duckdb.DuckDBPyConnection, q: Query, context: dict[str, Any]) -> pd.DataFrame:
    text, params = build(q, context)
    return con.execute(text, params).df()


def options_sql(subject_name: str, field_name: str, context: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The distinct values of a category field over the whole subject (unfiltered), for a multi-select."""
    subject = SUBJECTS[subject_name]
    column = _column(subject, field_name)
    base = db.sql(subject.query)
    return f"SELECT DISTINCT {column} AS value FROM (\n{base}\n) AS base WHERE {column} IS NOT NULL ORDER BY 1", _context(base, context)
