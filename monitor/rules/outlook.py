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
  interval  forecast + the 10th and 90th percentiles of the errors the same rule made on the earlier
            years (each forecast from the other earlier years), widened by WIDEN[n] for a unit with n years
            of history; never below the actual so far
  flag      the forecast is below flag_below ([outlook] in monitor/monitoring.toml)
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from monitor.settings import settings
from monitor.store.db import query_df

S_MIN = 0.05  # a share below this (nothing usually spent yet) would blow the forecast up
QUANTILES = (0.1, 0.9)
WIDEN = {0: 1.5, 1: 1.25}  # interval widening for units with 0 (peers) or 1 year of history; 1 from 2 years
COLUMNS = ["year", "dept_code", "project_code", "budget", "actual", "share", "prior", "history_years", "forecast", "low", "high", "flag"]


def outlook(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date, flag_below: float | None = None) -> pd.DataFrame:
    """One row per project of `year` at the end of `as_of`: budget and actual (元), the share s and prior r
    used, the unit's years of history, the forecast year-end execution rate with its 80% interval (low,
    high; rates of the budget) and the flag (forecast below `flag_below`, default from the settings)."""
    rows = query_df(con, "outlook_projects", year=year, as_of=as_of)
    below = settings().outlook.flag_below if flag_below is None else flag_below
    return forecast(rows[rows["year"] == year], rows[rows["year"] < year], below, elapsed(year, as_of))


def elapsed(year: int, as_of: dt.date) -> float:
    """The share of the fiscal year elapsed at the end of `as_of` (序时进度)."""
    return min(max(((as_of - dt.date(year, 1, 1)).days + 1) / (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days, 0.0), 1.0)


def unit_outlook(projects: pd.DataFrame) -> pd.DataFrame:
    """Per unit: the sums of its projects' budgets, actuals and forecasts (元; bounds summed too, a
    conservative band), as rates of the unit's budget."""
    money = projects.assign(**{c: projects[c] * projects["budget"] for c in ("forecast", "low", "high")})
    units = money.groupby("dept_code")[["budget", "actual", "forecast", "low", "high"]].sum()
    for column in ("forecast", "low", "high"):
        units[column] = units[column] / units["budget"].replace(0, np.nan)
    return units.reset_index()


def forecast(current: pd.DataFrame, history: pd.DataFrame, flag_below: float, elapsed_share: float) -> pd.DataFrame:
    """The outlook of the projects `current` (year, dept_code, project_code, budget, paid_by) from the
    complete earlier years `history` (the same columns and paid_total)."""
    errors = _calibration(history, elapsed_share)
    out = point_forecast(current, history, elapsed_share)
    widen = out["history_years"].map(lambda n: WIDEN.get(n, 1.0))
    low_q, high_q = np.quantile(errors, QUANTILES) if len(errors) else (0.0, 0.0)
    floor = out["actual"] / out["budget"].replace(0, np.nan)
    out["low"] = np.maximum(out["forecast"] + low_q * widen, floor)
    out["high"] = np.maximum(out["forecast"] + high_q * widen, out["low"])
    out["flag"] = out["forecast"] < flag_below
    return out[COLUMNS]


def point_forecast(current: pd.DataFrame, history: pd.DataFrame, elapsed_share: float) -> pd.DataFrame:
    """The forecast rate of each project of `current` from the unit shares and priors of `history`."""
    units = unit_history(history)
    peers = (units["share"].mean(), units["prior"].mean()) if len(units) else (np.nan, np.nan)
    out = current.rename(columns={"paid_by": "actual"})
    out = out.merge(units, how="left", left_on="dept_code", right_index=True)
    out["history_years"] = out["history_years"].fillna(0).astype(int)
    out["share"] = out["share"].fillna(peers[0])
    out["prior"] = out["prior"].fillna(peers[1])
    if out["share"].isna().any():  # no history anywhere: the elapsed share of the year, the prior the current pace
        out["share"] = out["share"].fillna(elapsed_share)
        out["prior"] = out["prior"].fillna((out["actual"] / out["budget"].replace(0, np.nan) / out["share"]).fillna(0))
    out["share"] = out["share"].clip(S_MIN, 1.0)
    budget = out["budget"].replace(0, np.nan)
    rate = (out["actual"] + (1 - out["share"]) * out["prior"] * out["budget"]) / budget
    over = out["actual"] > out["budget"]
    out["forecast"] = np.where(over, out["actual"] / budget, np.minimum(rate, 1.0))
    return out


def unit_history(history: pd.DataFrame) -> pd.DataFrame:
    """Per unit with complete earlier years: the mean share s_u, the mean year-end rate r_u and the number of years."""
    if history.empty:
        return pd.DataFrame(columns=["share", "prior", "history_years"], index=pd.Index([], name="dept_code"))
    years = history.groupby(["dept_code", "year"])[["paid_by", "paid_total", "budget"]].sum()
    years = years[years["paid_total"] > 0]
    years["share"] = years["paid_by"] / years["paid_total"]
    years["prior"] = years["paid_total"] / years["budget"]
    units = years.groupby("dept_code").agg(share=("share", "mean"), prior=("prior", "mean"), history_years=("share", "size"))
    return units


def _calibration(history: pd.DataFrame, elapsed_share: float) -> np.ndarray:
    """The errors (actual year-end rate − forecast rate) of the rule on each earlier year, forecast from
    the other earlier years (or, with a single earlier year, from that year's peers: the other units)."""
    errors = []
    for year, rows in history.groupby("year"):
        others = history[history["year"] != year]
        if others.empty:
            fitted = pd.concat([_from_peers(rows, unit, elapsed_share) for unit in rows["dept_code"].unique()])
        else:
            fitted = point_forecast(rows, others, elapsed_share)
        errors.append((fitted["paid_total"] / fitted["budget"] - fitted["forecast"]).to_numpy())
    return np.concatenate(errors) if errors else np.array([])


def _from_peers(rows: pd.DataFrame, unit: str, elapsed_share: float) -> pd.DataFrame:
    """Unit `unit`'s projects of one year forecast from the other units of that year (as a unit without history)."""
    return point_forecast(rows[rows["dept_code"] == unit], rows[rows["dept_code"] != unit].assign(dept_code=""), elapsed_share)
