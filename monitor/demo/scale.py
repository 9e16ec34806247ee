"""Province-scale synthetic data (演示数据) for benchmarks: `python -m monitor gen-scale`.

Deterministic for a given size, year and seed (numpy's PCG64; no clock involved). Random
draws are vectorised numpy arrays handed to DuckDB as Arrow tables; codes, names and texts
are made in SQL (queries/scale_*.sql) from those numbers, so 10^7 payments take about a
minute and no Python loop runs per row.

Shape: regions 财政区划 of 20 departments 部门 of 5 budget units 单位, about 10 projects per
unit; log-normal budgets (many small projects, a few large); plans at quarter ends or other
months, cumulative, the last equal to the budget; payments with a seasonal pattern, a
year-end rush and some refunds; 7 indicators per project of the seed's kinds with actuals at
6月底 and 9月底, some off target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from monitor.store import payment_months
from monitor.store.batches import new_batch
from monitor.store.db import sql

PROJECTS_PER_UNIT = 10  # units per department and departments per region: queries/scale/scale_macros.sql
# Checkpoint months of the plan patterns (the seed's is 3/6/10/12) and how often each is used.
PLAN_MONTHS = ((3, 6, 9, 12), (3, 6, 10, 12), (6, 12), (5, 8, 11, 12), (12,))
PLAN_SHARES = (0.4, 0.25, 0.15, 0.1, 0.1)
# Share of the year's payments made in each month: slow start, steady middle, year-end rush.
MONTH_WEIGHTS = np.array([2, 4, 7, 7, 8, 9, 7, 7, 9, 9, 11, 20], dtype=float)
REFUND_SHARE = 0.015
INDICATOR_KINDS = 7  # 数量, 质量, 时效, 成本, 社会效益, 可持续影响, 满意度 (queries/scale/scale_indicators.sql)
PERIOD_MONTHS = (6, 9)  # actuals reported at 6月底 and 9月底
LABEL = "演示数据（gen-scale 合成数据）"


@dataclass(frozen=True)
class ScaleCounts:
    units: int
    projects: int
    indicators: int
    payments: int


def generate(con: duckdb.DuckDBPyConnection, projects: int, payments: int, year: int = 2024, seed: int = 1) -> ScaleCounts:
    """Write a synthetic fiscal year of `projects` projects and about `payments` payments (each
    project gets at least one) in one transaction, as three 演示数据 batches."""
    if projects < 1 or payments < 1:
        raise ValueError("projects and payments must be positive")
    rng = np.random.default_rng(seed)
    units = -(-projects // PROJECTS_PER_UNIT)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(sql("scale_macros"))
        con.execute(sql("scale_departments"), {"units": units})
        put = _Writer(con, year, units)
        budgets = _projects(put, rng, projects, seed)
        _plans(put, rng, budgets)
        paid = _payments(put, rng, budgets, payments, seed)
        indicators = _indicators(put, rng, budgets, seed)
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


def _projects(put: _Writer, rng: np.random.Generator, n: int, seed: int) -> np.ndarray:
    """Projects with log-normal budgets (median 30 万元, rounded to 100 元); returns budgets in fen."""
    budget_fen = (np.clip(rng.lognormal(np.log(300_000), 1.2, n), 20_000, 500_000_000) // 100 * 10_000).astype(np.int64)
    fiscal_share = np.where(rng.random(n) < 0.8, 1.0, rng.uniform(0.6, 0.95, n))
    fiscal_fen = (budget_fen * fiscal_share // 10_000 * 10_000).astype(np.int64)
    gen = pa.table({"idx": np.arange(n), "topic": rng.integers(0, 1_000, n), "budget_fen": budget_fen, "fiscal_fen": fiscal_fen})
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


def _payments(put: _Writer, rng: np.random.Generator, budget_fen: np.ndarray, m: int, seed: int) -> int:
    """Payments in date order: larger projects get more of them; each project spends 30–102% of
    its budget over the year in seasonal payments of varied size, a few of them refunds."""
    n = len(budget_fen)
    weight = budget_fen.astype(float) ** 0.6
    project = np.concatenate([np.arange(n), rng.choice(n, size=max(m - n, 0), p=weight / weight.sum())])
    rows = len(project)
    month = rng.choice(12, size=rows, p=MONTH_WEIGHTS / MONTH_WEIGHTS.sum())
    starts = np.array([(dt.date(put.year + mo // 12, mo % 12 + 1, 1) - dt.date(put.year, 1, 1)).days for mo in range(13)])
    day = starts[month] + (rng.random(rows) * (starts[month + 1] - starts[month])).astype(np.int64)
    size = rng.gamma(0.8, size=rows)
    spend = budget_fen * np.clip(rng.normal(0.9, 0.15, n), 0.3, 1.02)
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
