"""Planned vs actual disbursement: the figures of 预算执行 and `monitor status`.

The computation is SQL (queries/pages/project_status.sql, queries/pages/quarterly_disbursement.sql, rules
in queries/rules/); this module supplies the thresholds and turns status codes into words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import duckdb

from monitor.i18n import t
from monitor.settings import settings
from monitor.store.db import query_df

REASON_LABELS = {"over_budget": "status_over_budget", "forecast_over_budget": "status_forecast_over_budget"}  # their own words
STATUS_BADGE = {"green": "green", "amber": "orange", "red": "red"}  # Streamlit badge colours
STATUS_BACKGROUND = {"green": "#d7f0df", "amber": "#ffe9b3", "red": "#f8cfca"}  # table cells


def threshold_params() -> dict[str, float]:
    found = settings().thresholds
    return {"amber_pp": found.amber_behind_pp, "red_pp": found.red_behind_pp}


def status_label(status: str, reason: str, lang: str = "zh") -> str:
    """The status in a word: 正常, 滞后, 严重滞后, 超预算 or 超预算风险."""
    return t(REASON_LABELS.get(reason, "status_" + status), lang)


# The counts of a total row (project_status_at), each worded as status_label words a project.
COUNTS = {
    "count_on_plan": "status_green",
    "count_behind": "status_amber",
    "count_forecast_over": "status_forecast_over_budget",
    "count_far_behind": "status_red",
    "count_over_budget": "status_over_budget",
}


def status_counts(total: Any, lang: str = "zh") -> str:
    """A total row's status as the counts of its projects (正常 3 · 滞后 1 · 严重滞后 1), never one
    word that would hide them; statuses without projects are left out."""
    return " · ".join(f"{t(key, lang)} {int(total[column])}" for column, key in COUNTS.items() if total[column])


def needing_attention(total: Any) -> str:
    """A total row's projects not 正常 out of all of them (3 / 5), as 总览's 需关注项目 card shows them."""
    projects = sum(int(total[column]) for column in COUNTS)
    return f"{projects - int(total['count_on_plan'])} / {projects}"


def status_badge(status: str, reason: str, lang: str = "zh") -> str:
    """The status as a coloured Streamlit markdown badge (our own words only, no data)."""
    return f":{STATUS_BADGE[status]}-badge[{status_label(status, reason, lang)}]"


def reason_text(reason: str, gap_pp: float, over: Decimal | float, lang: str = "zh") -> str:
    """The status reason in words, e.g. 滞后计划 6.0 个百分点."""
    return t("reason_" + reason, lang, pp=f"{abs(gap_pp):.1f}", over=f"{float(over):,.2f}")


def status_report(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date, dept: str | None = None, lang: str = "zh") -> dict[str, Any]:
    """The JSON of `monitor status`: per project figures and quarterly planned vs actual (元), the
    status reasons worded in `lang`."""
    rows = query_df(con, "project_status", year=year, dept=dept, as_of=as_of, limit=None, **threshold_params())
    quarters = query_df(con, "quarterly_disbursement", year=year, dept=dept, as_of=as_of)
    figures = [_figures(r, lang) for r in rows.itertuples()]
    return {
        "as_of": as_of.isoformat(),
        "year": year,
        "projects": [f for f in figures if f["project_code"] is not None],
        "total": next((f for f in figures if f["project_code"] is None), None),
        "quarters": [
            {"project_code": r.project_code, "quarter": int(r.quarter), "planned": _money(r.planned), "actual": _money(r.actual)}
            for r in quarters[quarters["project_code"].notna()].itertuples()
        ],
    }


def _figures(r: Any, lang: str) -> dict[str, Any]:
    return {
        "project_code": r.project_code if isinstance(r.project_code, str) else None,
        "name": r.name if isinstance(r.name, str) else None,
        "budget": _money(r.budget),
        "planned_cumulative": _money(r.planned_cumulative),
        "actual_cumulative": _money(r.actual_cumulative),
        "execution_rate": round(float(r.execution_rate), 6),
        "gap": _money(r.gap),
        "gap_pp": round(float(r.gap_pp), 4),
        "time_progress": round(float(r.time_progress), 6),
        "status": r.status,
        "status_reason": reason_text(r.status_reason, r.gap_pp, r.actual_cumulative - r.budget, lang),
        "forecast": _money(r.forecast),
    }


def _money(value: Any) -> float | None:
    return None if value is None or value != value else round(float(value), 2)  # NaN != NaN
