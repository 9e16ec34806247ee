"""Province-scale synthetic data (演示数据) for benchmarks: `python -m monitor gen-scale`.

Deterministic for a given size, year and seed (numpy's PCG64; no clock involved). Random
draws are vectorised numpy arrays handed to DuckDB as Arrow tables; codes, names and texts
are made in SQL (queries/scale_*.sql) from those numbers, so 10^7 payments take about a
minute and no Python loop runs per row.

Shape: regions 财政区划 of 20 departments 部门 of 5 budget units 单位, about 10 projects per
unit; log-normal budgets (many small projects, a few large); plans at quarter ends or other
months, cumulative, the last equal to the budget; payments with a seasonal pattern, a
year-end rush and some refunds; 7 indicators per project of the seed's kinds with actuals at
6月底 and 9月底, some off target. With `years` > 1, consecutive fiscal years ending with `year`
over the same units and projects (codes carry the year): budgets drift by a few percent a year,
plans are drawn again, and each unit keeps its spending habits (earlier or later in the year than
the others, more or less of its budget spent) while each year adds its own seasonal noise
(`Season` holds these parameters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from monitor.store import payment_months, plan_segments
from monitor.store.batches import new_batch
from monitor.store.db import sql

PROJECTS_PER_UNIT = 10  # units per department and departments per region: queries/scale/scale_macros.sql
# Checkpoint months of the plan patterns (the seed's is 3/6/10/12) and how often each is used.
PLAN_MONTHS = ((3, 6, 9, 12), (3, 6, 10, 12), (6, 12), (5, 8, 11, 12), (12,))
PLAN_SHARES = (0.4, 0.25, 0.15, 0.1, 0.1)
REFUND_SHARE = 0.015
INDICATOR_KINDS = 7  # 数量, 质量, 时效, 成本, 社会效益, 可持续影响, 满意度 (queries/scale/scale_indicators.sql)
PERIOD_MONTHS = (6, 9)  # actuals reported at 6月底 and 9月底
LABEL = "演示数据（gen-scale 合成数据）"


@dataclass(frozen=True)
class Season:
    """How the generated units spend their budgets, year after year."""

    # share of the year's payments made in each month: slow start, steady middle, year-end rush
    month_weights: tuple[float, ...] = (2, 4, 7, 7, 8, 9, 7, 7, 9, 9, 11, 20)
    unit_tilt_sd: float = 0.5  # a unit's habit, kept over the years: > 0 spends later in the year, < 0 earlier
    year_noise_sd: float = 0.1  # each year's own monthly noise (log scale), the same for every unit
    spend_mean: float = 0.9  # share of the budget spent by the year end
    spend_sd: float = 0.15  # per project and year
    unit_spend_sd: float = 0.05  # a unit's habit, kept over the years: more or less of its budgets spent
    budget_growth: float = 0.05  # budgets grow this much a year (log scale) …
    budget_drift_sd: float = 0.12  # … each project by its own drift around it

    def month_shares(self, tilt: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """Each unit's share of the year's payments by month (units × 12), from its tilt and the year's noise."""
        slope = (np.arange(12) - 5.5) / 5.5
        weights = np.array(self.month_weights) * np.exp(tilt[:, None] * slope[None, :] + noise[None, :])
        return weights / weights.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class ScaleCounts:
    units: int
    projects: int
    indicators: int
    payments: int


def generate(
    con: duckdb.DuckDBPyConnection,
    projects: int,
    payments: int,
    year: int = 2024,
    seed: int = 1,
    years: int = 1,
    season: Season = Season(),
) -> ScaleCounts:
    """Write `years` synthetic fiscal years ending with `year`, each of `projects` projects and about
    `payments` payments (each project gets at least one), in one transaction, as three 演示数据
    batches a year. The counts returned are those of one year."""
    if projects < 1 or payments < 1 or years < 1:
        raise ValueError("projects, payments and years must be positive")
    rng = np.random.default_rng(seed)
    units = -(-projects // PROJECTS_PER_UNIT)
    habits = np.random.default_rng([seed, 0])  # the units' habits, the same every year
    tilt, unit_spend = habits.normal(0, season.unit_tilt_sd, units), habits.normal(0, season.unit_spend_sd, units)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql("scale_macros"))
        con.execute(sql("scale_departments"), {"units": units})
        topic, budgets = rng.integers(0, 1_000, projects), None
        for back in range(years):  # the latest year first, then each year before it
            year_rng = rng if back == 0 else np.random.default_rng([seed, back])
            put = _Writer(con, year - back, units)
            budgets = _projects(put, year_rng, topic, budgets, season, seed)
            _plans(put, year_rng, budgets)
            plan_segments.rebuild(con, year - back)
            shares = season.month_shares(tilt, year_rng.normal(0, season.year_noise_sd, 12))
            paid = _payments(put, year_rng, budgets, payments, seed, shares, season.spend_mean + unit_spend, season.spend_sd)
            indicators = _indicators(put, year_rng, budgets, seed)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ScaleCounts(units, projects, indicators, paid)


class _Writer:
    """Runs the generator queries for one fiscal year over Arrow tables of drawn numbers."""

    def __init__(self, con: duckdb.DuckDBPyConnection, year: int, units: int) -> None:
        self.con, self.year, self.units = con, year, units

    def batch(self, kind: str, key: str, rows: int) -> int:
        return new_batch(self.con, kind, LABEL, f"gen-scale-{kind}-{self.year}-{key}", rows, "gen-scale", is_demo=True)

    def insert(self, gen: pa.Table, query: str, **params: int) -> None:
        """Run queries/<query>.sql over the Arrow table `gen`."""
        self.con.register("gen", gen)
        try:
            self.con.execute(sql(query), {"year": self.year, "units": self.units, **params})
        finally:
            self.con.unregister("gen")


def _projects(put: _Writer, rng: np.random.Generator, topic: np.ndarray, later: np.ndarray | None, season: Season, seed: int) -> np.ndarray:
    """Projects with log-normal budgets (median 30 万元, rounded to 100 元), or, for a year before one
    already drawn (`later`, in fen), those budgets shrunk by a year's growth and each project's drift;
    the same names every year. Returns the budgets in fen."""
    n = len(topic)
    if later is None:
        drawn = rng.lognormal(np.log(300_000), 1.2, n)
    else:
        drawn = later / 100 * np.exp(-season.budget_growth + rng.normal(0, season.budget_drift_sd, n))
    budget_fen = (np.clip(drawn, 20_000, 500_000_000) // 100 * 10_000).astype(np.int64)
    fiscal_share = np.where(rng.random(n) < 0.8, 1.0, rng.uniform(0.6, 0.95, n))
    fiscal_fen = (budget_fen * fiscal_share // 10_000 * 10_000).astype(np.int64)
    gen = pa.table({"idx": np.arange(n), "topic": topic, "budget_fen": budget_fen, "fiscal_fen": fiscal_fen})
    put.insert(gen, "scale_projects", batch=put.batch("targets", f"{n}-{seed}", n))
    return budget_fen


def _plans(put: _Writer, rng: np.random.Generator, budget_fen: np.ndarray) -> None:
    """Cumulative plan checkpoints at month ends; shares rise to 1 so the last equals the budget."""
    pattern = rng.choice(len(PLAN_MONTHS), size=len(budget_fen), p=PLAN_SHARES)
    idx, months, fen = [], [], []
    for k, months_k in enumerate(PLAN_MONTHS):
        members = np.flatnonzero(pattern == k)
        shares = np.sort(rng.random((len(members), len(months_k))), axis=1)
        shares[:, -1] = 1.0
        idx.append(np.repeat(members, len(months_k)))
        months.append(np.tile(months_k, len(members)))
        fen.append((budget_fen[members, None] * shares).round().astype(np.int64).ravel())
    put.insert(pa.table({"idx": np.concatenate(idx), "month": np.concatenate(months), "fen": np.concatenate(fen)}), "scale_plans")


def _payments(
    put: _Writer,
    rng: np.random.Generator,
    budget_fen: np.ndarray,
    m: int,
    seed: int,
    month_shares: np.ndarray,
    unit_spend: np.ndarray,
    spend_sd: float,
) -> int:
    """Payments in date order: larger projects get more of them; each project spends a share of its
    budget around its unit's (`unit_spend`, 30–102%) over the year in payments of varied size spread
    over the months by its unit's `month_shares` (units × 12), a few of them refunds."""
    n, units = len(budget_fen), len(month_shares)
    weight = budget_fen.astype(float) ** 0.6
    project = np.concatenate([np.arange(n), rng.choice(n, size=max(m - n, 0), p=weight / weight.sum())])
    rows = len(project)
    unit = project % units
    # each unit's cumulative shares laid end to end (unit u's in [u, u + 1]): one search draws every month
    ends = (np.cumsum(month_shares, axis=1) + np.arange(units)[:, None]).ravel()
    ends[11::12] = np.arange(1, units + 1)  # exactly the end of each unit's range
    month = np.searchsorted(ends, unit + rng.random(rows), side="right") - unit * 12
    starts = np.array([(dt.date(put.year + mo // 12, mo % 12 + 1, 1) - dt.date(put.year, 1, 1)).days for mo in range(13)])
    day = starts[month] + (rng.random(rows) * (starts[month + 1] - starts[month])).astype(np.int64)
    size = rng.gamma(0.8, size=rows)
    spend = budget_fen * np.clip(rng.normal(unit_spend[np.arange(n) % units], spend_sd), 0.3, 1.02)
    fen = np.maximum(spend[project] * size / np.bincount(project, size, minlength=n)[project], 100).astype(np.int64)
    refund = rng.random(rows) < REFUND_SHARE
    fen = np.where(refund, -np.maximum(fen // 5, 100), fen)
    order = np.argsort(day, kind="stable")
    gen = pa.table(
        {
            "seq": np.arange(rows),
            "idx": project[order],
            "day": day[order],
            "fen": fen[order],
            "refund": refund[order],
            "kind": rng.integers(0, 10, rows),
            "payee": rng.integers(0, 5_000, rows),
            "other_funds": rng.random(rows) < 0.1,
        }
    )
    batch = put.batch("payments", f"{rows}-{seed}", rows)
    put.insert(gen, "scale_payments", batch=batch)
    payment_months.add_batch(put.con, batch)
    return rows


def _indicators(put: _Writer, rng: np.random.Generator, budget_fen: np.ndarray, seed: int) -> int:
    """Seven indicators per project and their actuals at 6月底 and 9月底: counts reach about half
    of the target by June and 85–120% by September, rates scatter around theirs, some are off."""
    n = len(budget_fen)
    idx = np.repeat(np.arange(n), INDICATOR_KINDS)
    kind = np.tile(np.arange(INDICATOR_KINDS), n)
    count_target = np.maximum(1, rng.lognormal(np.log(20), 1.0, len(idx)).round())
    rate_target = rng.choice([90.0, 95.0, 98.0, 100.0], size=len(idx), p=[0.3, 0.5, 0.1, 0.1])
    cost_target = (budget_fen[idx] / 1_000_000).round(2)  # 万元
    target = np.select([kind == 0, kind == 3], [count_target, cost_target], rate_target)
    qualitative = (kind == 5) & (rng.random(len(idx)) < 0.5)
    put.insert(pa.table({"idx": idx, "kind": kind, "target": target, "qual": qualitative}), "scale_indicators")

    periods = []
    for month in PERIOD_MONTHS:
        progress = rng.uniform(0.35, 0.65, len(idx)) if month == 6 else rng.uniform(0.85, 1.2, len(idx))
        shortfall = rng.choice([-3.0, 0.0, 2.0, 5.0, 10.0], size=len(idx), p=[0.4, 0.4, 0.1, 0.06, 0.04])
        cost = target * np.minimum(progress, 1.0) * rng.uniform(0.8, 1.05, len(idx))
        value = np.select([kind == 0, kind == 3], [(target * progress).round(), cost.round(2)], np.minimum(100.0, target - shortfall))
        reported = rng.random(len(idx)) < (1.0 if month == 6 else 0.95)
        rows = int(reported.sum())
        periods.append(
            pa.table(
                {
                    "idx": idx[reported],
                    "kind": kind[reported],
                    "month": np.full(rows, month),
                    "value": value[reported],
                    "doubt": rng.random(rows),  # how sure the unit is of meeting the target
                    "reason": rng.integers(0, 5, rows),
                }
            )
        )
    actuals = pa.concat_tables(periods)
    put.insert(actuals, "scale_indicator_actuals", batch=put.batch("indicator_actuals", f"{n}-{seed}", actuals.num_rows))
    return len(idx)
