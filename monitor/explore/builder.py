"""即席查询: the subjects one can explore, their fields, and the filter/group query builder.

Each subject is a named base query (queries/explore_*.sql) that the builder wraps as a
subquery. The builder composes SQL only from the identifiers whitelisted in SUBJECTS and
placeholder names it makes itself ($p0, $p1, …); every value a user gives is bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb
import pandas as pd

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
ROW_LIMIT = 10_000  # rows listed when nothing is grouped


@dataclass(frozen=True)
class Field:
    kind: Kind
    zh: str
    en: str
    group: bool = False  # may be grouped by

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Measure:
    sql: str  # an aggregate over whitelisted columns
    kind: Literal["count", "money", "number", "rate"]
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Subject:
    query: str  # queries/<query>.sql
    zh: str
    en: str
    fields: dict[str, Field]
    ratios: dict[str, Measure] = field(default_factory=dict)  # measures beyond count/sum/mean

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def measures(self) -> dict[str, Measure]:
        """count, sum and mean of money, mean of numbers and rates, and the subject's ratios."""
        found = {"count": Measure("count(*)", "count", "记录数", "Count")}
        for name, f in self.fields.items():
            if f.kind == "money":
                found[f"sum:{name}"] = Measure(f'sum("{name}")', "money", f"{f.zh}合计", f"Total {f.en.lower()}")
            if f.kind in ("money", "number", "rate"):
                kind = "money" if f.kind == "money" else f.kind
                found[f"mean:{name}"] = Measure(f'avg("{name}")', kind, f"{f.zh}平均", f"Mean {f.en.lower()}")
        return found | {f"rate:{name}": m for name, m in self.ratios.items()}

    def groupable(self) -> list[str]:
        return [name for name, f in self.fields.items() if f.group]


_UNIT = {"dept_code": Field("category", "单位编码", "Unit code", True), "dept_name": Field("category", "单位", "Unit", True)}
_PROJECT = {
    "project_code": Field("category", "项目编码", "Project code", True),
    "name": Field("text", "项目名称", "Project", True),
}

SUBJECTS: dict[str, Subject] = {
    "projects": Subject(
        "explore_projects",
        "项目执行",
        "Projects",
        {
            **_UNIT,
            **_PROJECT,
            "status": Field("category", "状态（green/amber/red）", "Status (green/amber/red)", True),
            "below_time_progress": Field("flag", "执行率低于序时进度", "Execution below time elapsed", True),
            "budget": Field("money", "预算数", "Budget"),
            "fiscal_funds": Field("money", "财政资金", "Fiscal funds"),
            "other_funds": Field("money", "其他资金", "Other funds"),
            "planned_cumulative": Field("money", "计划累计", "Planned to date"),
            "actual_cumulative": Field("money", "实际支出", "Actual to date"),
            "execution_rate": Field("rate", "执行率", "Execution rate"),
            "time_progress": Field("rate", "序时进度", "Time elapsed"),
            "gap": Field("money", "与计划差距", "Gap to plan"),
            "gap_pp": Field("number", "与计划差距（百分点）", "Gap to plan (pp)"),
            "forecast": Field("money", "全年预计执行数", "Year-end forecast"),
        },
        {"execution": Measure('sum("actual_cumulative") / nullif(sum("budget"), 0)', "rate", "执行率（合计）", "Execution rate (total)")},
    ),
    "quarters": Subject(
        "explore_quarters",
        "分季度支出",
        "Quarterly disbursement",
        {
            **_UNIT,
            **_PROJECT,
            "quarter": Field("category", "季度", "Quarter", True),
            "planned": Field("money", "计划支出（当季）", "Planned in quarter"),
            "actual": Field("money", "实际支出（当季）", "Spent in quarter"),
            "planned_cumulative": Field("money", "计划累计", "Planned, cumulative"),
            "actual_cumulative": Field("money", "实际累计", "Spent, cumulative"),
        },
        {"vs_plan": Measure('sum("actual") / nullif(sum("planned"), 0)', "rate", "实际/计划（当季）", "Spent / planned in quarter")},
    ),
    "indicators": Subject(
        "explore_indicators",
        "绩效指标",
        "Indicators",
        {
            **_UNIT,
            "project_code": Field("category", "项目编码", "Project code", True),
            "project_name": Field("text", "项目名称", "Project", True),
            "level1": Field("category", "一级指标", "Level 1", True),
            "level2": Field("category", "二级指标", "Level 2", True),
            "level3": Field("text", "三级指标", "Level 3", True),
            "unit": Field("category", "计量单位", "Unit of measure", True),
            "status": Field("category", "状态", "Status", True),
            "off_target": Field("flag", "偏离目标", "Off target", True),
            "likelihood": Field("category", "完成目标可能性", "Likelihood", True),
            "reason": Field("category", "偏差原因", "Reason", True),
            "period_quarter": Field("category", "填报季度", "Quarter reported", True),
            "period_end": Field("date", "填报截至", "Period end"),
            "target_value": Field("number", "目标值", "Target value"),
            "actual_value": Field("number", "实际完成值", "Latest actual"),
            "gap": Field("number", "偏差（负数为差）", "Gap (negative = worse)"),
        },
        {
            "off_share": Measure('avg("off_target"::INTEGER)', "rate", "偏离目标占比", "Share off target"),
            "met_share": Measure(
                """count(*) FILTER (WHERE "status" = '达标') / nullif(count(*) FILTER (WHERE "status" IN ('达标', '未达标')), 0)""",
                "rate",
                "达标率（已填报定量指标）",
                "Share met (reported numbers)",
            ),
        },
    ),
    "payments": Subject(
        "explore_payments",
        "支付明细",
        "Payments",
        {
            **_UNIT,
            **_PROJECT,
            "paid_on": Field("date", "支付日期", "Date"),
            "month": Field("category", "月份", "Month", True),
            "quarter": Field("category", "季度", "Quarter", True),
            "amount": Field("money", "金额", "Amount"),
            "fund_source": Field("category", "资金来源", "Fund source", True),
            "payee": Field("text", "收款单位", "Payee", True),
            "summary": Field("text", "摘要", "Summary"),
            "voucher_no": Field("text", "凭证号", "Voucher"),
        },
        {"share": Measure('sum("amount") / sum(sum("amount")) OVER ()', "rate", "占支付总额比例", "Share of the amount paid")},
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
    measure, or, with no groups, the matching rows (at most ROW_LIMIT + 1, to tell truncation)."""
    subject = SUBJECTS.get(q.subject)
    if subject is None:
        raise ExploreError(f"unknown subject {q.subject!r}")
    base = db.sql(subject.query)
    where, params = _where(subject, q.conditions)
    params |= _context(base, context)
    source = f"FROM (\n{base}\n) AS base\nWHERE {where}"
    if not q.groups:
        params["row_limit"] = ROW_LIMIT + 1
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
