"""支出进度通报 and the same day of the previous year: the budget units under a region or department
ranked by 执行率, their comparison dates (the previous month end, the same day of the previous fiscal
year), the red and yellow lists, and the scope's execution rate a year earlier (总览, 预算执行).

The figures are named queries (queries/pages/bulletin_units.sql, execution_last_year.sql, over the
disbursement rules); this module supplies their dates and thresholds and splits their rows. `run` is
any function that runs a named query with bound parameters (monitor.ui.data.query in the app, a
connection-bound db.query_df on the command line and in tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitor.fmt import percent
from monitor.i18n import t
from monitor.rules.disbursement import threshold_params
from monitor.rules.headline import unit_name
from monitor.rules.outlook import outlook, unit_outlook
from monitor.settings import settings
from monitor.store.db import Run


def previous_month_end(day: dt.date) -> dt.date:
    """The last day of the month before the one holding `day` (2023-09-30 → 2023-08-31, 2023-09-12 → 2023-08-31)."""
    return day.replace(day=1) - dt.timedelta(days=1)


def same_day_last_year(day: dt.date) -> dt.date:
    """The same day of the previous year; 29 February becomes 28 February."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 and day.day == 29 else day.day)


@dataclass(frozen=True)
class Bulletin:
    """One 通报: the units ranked (one row each, best first), their total and the red and yellow lists."""

    year: int
    dept: str | None
    scope_name: str | None  # the region, department or unit named by dept; None for all units
    as_of: dt.date
    prev_as_of: dt.date  # the previous month end: change and rank then (NULL figures before the fiscal year)
    last_year_as_of: dt.date  # the same day of year - 1
    units: pd.DataFrame  # rows of bulletin_units.sql with a dept_code, and the outlook's forecast_rate, forecast_low, forecast_high
    total: pd.Series  # its total row (合计)
    amber_pp: float
    red_pp: float
    flag_below: float  # the outlook's threshold: units forecast to end the year below it are counted

    @property
    def has_outlook(self) -> bool:
        """Whether there is a year-end forecast (the database holds an earlier year to learn from)."""
        return bool(self.units["forecast_rate"].notna().any())

    @property
    def below(self) -> pd.DataFrame:
        """The units whose forecast year-end execution rate is below flag_below, lowest first."""
        return self.units[self.units["forecast_rate"] < self.flag_below].sort_values(["forecast_rate", "dept_code"])

    @property
    def red(self) -> pd.DataFrame:
        """红色名单: units red by the disbursement rule (严重滞后 or 超预算), furthest behind plan first."""
        return self.units[self.units["status"] == "red"].sort_values(["gap_pp", "dept_code"])

    @property
    def yellow(self) -> pd.DataFrame:
        """黄色名单: units amber by the rule (滞后, not started, 超预算风险), furthest behind plan first."""
        return self.units[self.units["status"] == "amber"].sort_values(["gap_pp", "dept_code"])

    @property
    def has_last_year(self) -> bool:
        """Whether the database holds the previous fiscal year for any of these units."""
        return bool(self.units["last_year_rate"].notna().any())

    @property
    def has_previous_month(self) -> bool:
        return bool(self.units["prev_rate"].notna().any())


def bulletin(run: Run, year: int, dept: str | None, as_of: dt.date) -> Bulletin | None:
    """The 通报 of the units under `dept` (None = all) at the end of `as_of`; None without projects."""
    limits = threshold_params()
    prev, last_year = previous_month_end(as_of), same_day_last_year(as_of)
    rows = run("bulletin_units", year=year, dept=dept, as_of=as_of, prev_as_of=prev, last_year_as_of=last_year, **limits)
    if rows.empty:
        return None
    ahead = unit_outlook(outlook(run, year, as_of, dept))
    ahead = ahead.rename(columns={"forecast": "forecast_rate", "low": "forecast_low", "high": "forecast_high"})
    ahead = ahead[["dept_code", "forecast_rate", "forecast_low", "forecast_high"]]
    units = rows[rows["dept_code"].notna()].merge(ahead, how="left", on="dept_code").reset_index(drop=True)
    total = rows[rows["dept_code"].isna()].iloc[0].copy()
    budget = units["budget"].astype(float)
    for column in ("forecast_rate", "forecast_low", "forecast_high"):  # the units' sums of money, as a rate of the total budget
        total[column] = (units[column] * budget).sum(min_count=1) / budget.sum()
    below = settings().outlook.flag_below
    return Bulletin(year, dept, unit_name(run, dept), as_of, prev, last_year, units, total, limits["amber_pp"], limits["red_pp"], below)


@dataclass(frozen=True)
class LastYear:
    """The execution rate of the same scope on the same day of the previous fiscal year."""

    as_of: dt.date
    execution_rate: float

    def text(self, rate_now: float, lang: str) -> str:
        """上年同期（2023-09-30）执行率 51.93%，今年 53.16%，差 +1.23 个百分点."""
        return t(
            "last_year_line",
            lang,
            date=self.as_of.isoformat(),
            rate=percent(self.execution_rate),
            now=percent(rate_now),
            change=f"{(rate_now - self.execution_rate) * 100:+.2f}",
        )


def last_year(run: Run, year: int, dept: str | None, as_of: dt.date) -> LastYear | None:
    """The scope's execution rate at the same day of `year` - 1; None when the database holds no
    projects of that year for it."""
    day = same_day_last_year(as_of)
    rows = run("execution_last_year", year=year - 1, dept=dept, as_of=day)
    if rows.empty or pd.isna(rows["execution_rate"].iloc[0]):
        return None
    return LastYear(day, float(rows["execution_rate"].iloc[0]))
