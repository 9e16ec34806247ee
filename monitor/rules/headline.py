"""The quarterly review: headline figures at the as-of date and at the previous quarter end.

Used by 总览 and by the exported review report, so both show the same numbers. Figures come
from one named query (queries/pages/overview_summary.sql);
`run` is any function that runs a named query with bound parameters and returns a DataFrame
(monitor.ui.data.query in the app, a connection-bound db.query_df in reports and tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitor.rules.disbursement import threshold_params

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
    score: float  # the department's self-evaluation score (budget-weighted)
    grade: str


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last quarter end strictly before the quarter holding `day` (2023-09-24 → 2023-06-30)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def headline(run: Run, year: int, dept: str | None, as_of: dt.date) -> Headline | None:
    """The 总览 figures for `dept` (None = all units) at the end of `as_of`; None without projects.

    One one-row query, so the cost does not grow with what would be pulled out of the database."""
    summary = run("overview_summary", year=year, dept=dept, as_of=as_of, **threshold_params()).iloc[0]
    if not summary["projects"]:
        return None
    return Headline(
        as_of=as_of,
        projects=int(summary["projects"]),
        budget=float(summary["budget"]),
        actual=float(summary["actual"]),
        planned=float(summary["planned"]),
        execution_rate=float(summary["execution_rate"]),
        time_progress=float(summary["time_progress"]),
        gap_pp=float(summary["gap_pp"]),
        behind=int(summary["behind"]),
        indicators=int(summary["indicators"]),
        off_target=int(summary["off_target"]),
        score=float(summary["score"]),
        grade=summary["grade"],
    )
