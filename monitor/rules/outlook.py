"""Year-end outlook 全年执行预测: each project's execution rate at 31 December forecast at an as-of
date, with an 80% interval, from its payments so far and the seasonal shape its unit showed in
earlier years (README "Year-end outlook"). Inputs are one named query (queries/pages/
outlook_projects.sql); the arithmetic is pandas, a few lines per formula:

  share     s_u,y = paid by the same month-day in year y / paid in the whole year y, over unit u's projects;
            s_u = the mean of s_u,y over the unit's earlier years (its peers' mean when it has none), in [S_MIN, 1]
  prior     r_u = the unit's mean year-end execution rate in the earlier years (peers' when none)
  forecast  (actual + (1 − s_u) × r_u × budget) / budget — the payments so far plus the part of the
            year still to come at the unit's usual rate (Bornhuetter–Ferguson), at most the budget
            unless the actual already exceeds it
  delay     d = 1 − Σ actual / Σ s_u × r_u × budget over all projects of the year: how far the whole year
            runs behind its usual pace; the forecast assumes it is lost, c = d × s_u × r_u is what the
            project would gain if it were only late (caught up by 31 December)
  interval  the band [forecast + min(c, 0), forecast + max(c, 0)] widened by the 10th and 90th percentiles
            of the errors the same rule made on the earlier years at the same day (each forecast from the
            other earlier years), measured from the band's low and high end (split-conformal), × WIDEN[n]
            for a unit with n years of history; always holding the forecast, never below the actual so far, and
            not capped at the budget (projects do end a little above it)
  flag      the forecast is below flag_below ([outlook] in monitor/monitoring.toml)

Without any earlier year in the database there is nothing to learn the shape from: basis "none",
no forecast (NaN), and the pages say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.settings import settings
from monitor.store.db import Run

S_MIN = 0.05  # a share below this (nothing usually spent yet) would blow the forecast up
QUANTILES = (0.1, 0.9)
WIDEN = {0: 1.5, 1: 1.25}  # interval widening for units with 0 (peers) or 1 year of history; 1 from 2 years
COLUMNS = [
    "year",
    "dept_code",
    "project_code",
    "name",
    "budget",
    "actual",
    "share",
    "prior",
    "history_years",
    "basis",
    "forecast",
    "low",
    "high",
    "flag",
]


def outlook(run: Run, year: int, as_of: dt.date, dept: str | None = None, flag_below: float | None = None) -> pd.DataFrame:
    """One row per project of `year` under `dept` (None = all) at the end of `as_of`: budget and actual
    (元), the share s and prior r used, the unit's years of history and the basis ("unit", "peers" or
    "none"), the forecast year-end execution rate with its 80% interval (low, high; rates of the budget)
    and the flag (forecast below `flag_below`, default from the settings). The model always learns from
    every unit of the database, so a unit's figures do not depend on the sidebar's scope."""
    rows = run("outlook_projects", year=year, as_of=as_of, dept=dept)
    below = settings().outlook.flag_below if flag_below is None else flag_below
    out = forecast(rows[rows["year"] == year], rows[rows["year"] < year], below, elapsed(year, as_of))
    return out[rows.loc[rows["year"] == year, "in_scope"].to_numpy(dtype=bool)].reset_index(drop=True)


def elapsed(year: int, as_of: dt.date) -> float:
    """The share of the fiscal year elapsed at the end of `as_of` (序时进度)."""
    return min(max(((as_of - dt.date(year, 1, 1)).days + 1) / (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days, 0.0), 1.0)


def unit_outlook(projects: pd.DataFrame) -> pd.DataFrame:
    """Per unit: the sums of its projects' budgets, actuals and forecasts (元; bounds summed too, a
    cautious band), as rates of the unit's budget; NaN for a unit without a basis."""
    money = projects.assign(**{c: projects[c] * projects["budget"] for c in ("forecast", "low", "high")})
    units = money.groupby("dept_code")[["budget", "actual", "forecast", "low", "high"]].sum(min_count=1)
    for column in ("forecast", "low", "high"):
        units[column] = units[column] / units["budget"].replace(0, np.nan)
    units["flag"] = projects.groupby("dept_code")["flag"].sum()
    return units.reset_index()


@dataclass(frozen=True)
class ScopeOutlook:
    """The year-end outlook of a scope (总览): the budget expected to remain unspent at 31 December with
    its 80% band (元; per project budget × max(1 − rate, 0), summed, the band from the projects' bounds),
    and the flagged projects, lowest forecast first. `basis` False: no earlier year to learn from."""

    budget: float
    forecast: float  # expected spending by 31 December (元)
    unspent: float
    unspent_low: float
    unspent_high: float
    projects: int
    flagged: pd.DataFrame  # rows of `outlook`, forecast ascending
    flag_below: float
    basis: bool

    @property
    def rate(self) -> float:
        """The scope's forecast year-end execution rate."""
        return self.forecast / self.budget if self.budget else float("nan")


def scope_outlook(projects: pd.DataFrame, flag_below: float | None = None) -> ScopeOutlook | None:
    """The outlook of every project of `projects` (rows of `outlook`) taken together; None without projects."""
    if projects.empty:
        return None
    below = settings().outlook.flag_below if flag_below is None else flag_below
    known = projects[projects["basis"] != "none"]
    budget = known["budget"]

    def unspent(rate: pd.Series) -> float:
        return float((budget * np.maximum(1 - rate, 0)).sum())

    flagged = known[known["flag"]].sort_values(["forecast", "project_code"])
    return ScopeOutlook(
        budget=float(budget.sum()),
        forecast=float((budget * known["forecast"]).sum()),
        unspent=unspent(known["forecast"]),
        unspent_low=unspent(known["high"]),
        unspent_high=unspent(known["low"]),
        projects=len(known),
        flagged=flagged.reset_index(drop=True),
        flag_below=below,
        basis=not known.empty,
    )


def forecast(current: pd.DataFrame, history: pd.DataFrame, flag_below: float, elapsed_share: float) -> pd.DataFrame:
    """The outlook of the projects `current` (year, dept_code, project_code, name, budget, paid_by) from
    the complete earlier years `history` (the same columns and paid_total)."""
    out = point_forecast(current, history, elapsed_share)
    low_errors, high_errors = _calibration(history, elapsed_share)
    low_q = np.quantile(low_errors, QUANTILES[0]) if len(low_errors) else 0.0
    high_q = np.quantile(high_errors, QUANTILES[1]) if len(high_errors) else 0.0
    widen = out["history_years"].map(lambda n: WIDEN.get(n, 1.0))
    catch_up = year_delay(out)
    floor = out["actual"] / out["budget"].replace(0, np.nan)
    out["low"] = np.maximum(np.minimum(out["forecast"] + np.minimum(catch_up, 0) + low_q * widen, out["forecast"]), floor)
    out["high"] = np.maximum(out["forecast"] + np.maximum(catch_up, 0) + high_q * widen, out["forecast"])
    none = out["basis"] == "none"
    out.loc[none, ["forecast", "low", "high"]] = np.nan
    out["flag"] = ~none & (out["forecast"] < flag_below)
    return out[COLUMNS]


def point_forecast(current: pd.DataFrame, history: pd.DataFrame, elapsed_share: float) -> pd.DataFrame:
    """The forecast rate of each project of `current` from the unit shares and priors of `history`."""
    units = unit_history(history)
    peers = (units["share"].mean(), units["prior"].mean()) if len(units) else (np.nan, np.nan)
    out = current.rename(columns={"paid_by": "actual"})
    out = out.merge(units, how="left", left_on="dept_code", right_index=True)
    out["history_years"] = out["history_years"].fillna(0).astype(int)
    out["basis"] = np.where(out["history_years"] > 0, "unit", "peers" if len(units) else "none")
    out["share"] = out["share"].fillna(peers[0]).fillna(elapsed_share).clip(S_MIN, 1.0)
    out["prior"] = out["prior"].fillna(peers[1]).fillna(1.0)
    budget = out["budget"].replace(0, np.nan)
    rate = (out["actual"] + (1 - out["share"]) * out["prior"] * out["budget"]) / budget
    over = out["actual"] > out["budget"]
    out["forecast"] = np.where(over, out["actual"] / budget, np.minimum(rate, 1.0))
    return out


def year_delay(out: pd.DataFrame) -> pd.Series:
    """Per project, c = d × s_u × r_u: the rate its forecast would gain if the delay d of the whole year
    (1 − Σ actual / Σ s_u × r_u × budget over the projects of `out`; < 0 when the year runs ahead of its
    usual pace) were caught up by 31 December."""
    usual = out["share"] * out["prior"]
    expected = float((usual * out["budget"]).sum())
    delay = 1 - float(out["actual"].sum()) / expected if expected > 0 else 0.0
    return delay * usual


def unit_history(history: pd.DataFrame) -> pd.DataFrame:
    """Per unit with complete earlier years: the mean share s_u, the mean year-end rate r_u and the number of years."""
    if history.empty:
        return pd.DataFrame(columns=["share", "prior", "history_years"], index=pd.Index([], name="dept_code"))
    years = history.groupby(["dept_code", "year"])[["paid_by", "paid_total", "budget"]].sum()
    years = years[years["paid_total"] > 0]
    years["share"] = years["paid_by"] / years["paid_total"]
    years["prior"] = years["paid_total"] / years["budget"]
    return years.groupby("dept_code").agg(share=("share", "mean"), prior=("prior", "mean"), history_years=("share", "size"))


def _calibration(history: pd.DataFrame, elapsed_share: float) -> tuple[np.ndarray, np.ndarray]:
    """The errors (actual year-end rate − forecast rate) of the rule on each earlier year, forecast from
    the other earlier years (or, with a single earlier year, from that year's peers: the other units),
    measured from the low and from the high end of that year's delay band."""
    low, high = [], []
    for year, rows in history.groupby("year"):
        others = history[history["year"] != year]
        if others.empty:
            fitted = pd.concat([_from_peers(rows, unit, elapsed_share) for unit in rows["dept_code"].unique()])
        else:
            fitted = point_forecast(rows, others, elapsed_share)
        error = fitted["paid_total"] / fitted["budget"] - fitted["forecast"]
        catch_up = year_delay(fitted)
        low.append((error - np.minimum(catch_up, 0)).to_numpy())
        high.append((error - np.maximum(catch_up, 0)).to_numpy())
    return (np.concatenate(low), np.concatenate(high)) if low else (np.array([]), np.array([]))


def _from_peers(rows: pd.DataFrame, unit: str, elapsed_share: float) -> pd.DataFrame:
    """Unit `unit`'s projects of one year forecast from the other units of that year (as a unit without history)."""
    return point_forecast(rows[rows["dept_code"] == unit], rows[rows["dept_code"] != unit].assign(dept_code=""), elapsed_share)
