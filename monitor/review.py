"""The quarterly review: headline figures at the as-of date and at the previous quarter end.

Used by 总览 and by the exported review report, so both show the same numbers. Figures come
from the named queries (queries/project_status.sql, indicator_status.sql, project_scores.sql);
`run` is any function that runs a named query with bound parameters and returns a DataFrame
(monitor.ui.query in the app, a connection-bound db.query_df in reports and tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitor.disbursement import threshold_params
from monitor.indicators import NO_FILTERS

Run = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Headline:
    as_of: dt.date
    projects: int
    budget: float
    actual: float
    planned: float
    execution_rate: float
    time_progress: float
    gap_pp: float
    behind: int  # projects amber or red
    indicators: int
    off_target: int
    score: float | None
    grade: str | None


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last quarter end strictly before the quarter holding `day` (2023-09-24 → 2023-06-30)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def headline(run: Run, year: int, dept: str | None, as_of: dt.date) -> Headline | None:
    """The 总览 figures for `dept` (None = all units) at the end of `as_of`; None without projects."""
    status = run("project_status", year=year, dept=dept, as_of=as_of, **threshold_params())
    total = status[status["project_code"].isna()]
    if total.empty:
        return None
    total = total.iloc[0]
    projects = status[status["project_code"].notna()]
    indicators = run("indicator_status", year=year, dept=dept, as_of=as_of, **NO_FILTERS)
    scores = run("project_scores", year=year, dept=dept, as_of=as_of)
    department = scores[scores["project_code"].isna()]
    return Headline(
        as_of=as_of,
        projects=len(projects),
        budget=float(total["budget"]),
        actual=float(total["actual_cumulative"]),
        planned=float(total["planned_cumulative"]),
        execution_rate=float(total["execution_rate"]),
        time_progress=float(total["time_progress"]),
        gap_pp=float(total["gap_pp"]),
        behind=int((projects["status"] != "green").sum()),
        indicators=len(indicators),
        off_target=int(indicators["off_target"].sum()),
        score=None if department.empty else float(department.iloc[0]["score"]),
        grade=None if department.empty else department.iloc[0]["grade"],
    )
