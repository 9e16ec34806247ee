"""Province-scale benchmark: each page's queries side by side with the bare DuckDB floor and a
pandas baseline, payment import vs DuckDB's read_csv, and the peak memory of an app-like process.

    .venv/bin/python bench/run.py                 # county (10^3 projects) and province (10^5), bench/results.json
    .venv/bin/python bench/run.py --quick --out X # a tiny database, one repetition (the suite's smoke test)

Databases are generated once with monitor.demo.scale into bench/ (gitignored) and reused. Every
figure is the median of warm runs in this one process, the page, its floor and its pandas baseline
taking turns, so the ratios compare like with like (and before any timing, check_alike makes sure
the three compute the same figures: a baseline that leaves work out would flatter its side):
  vs_floor    = page ms / floor ms: the page's named queries (as the app runs them, results as
                DataFrames) against bench/floors/*.sql, the same figures written directly;
  vs_pandas   = pandas ms / page ms: the same figures from DataFrames loaded with SELECT *
                (load time excluded, as if cached), filtered and grouped in pandas;
  vs_read_csv = read_csv s / import s: monitor.ingest.payments.import_payments of a generated CSV
                (full validation, one transaction) against CREATE TABLE AS read_csv of the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from monitor.demo.scale import generate  # noqa: E402
from monitor.explore import builder as explore  # noqa: E402
from monitor.ingest.payments import import_payments  # noqa: E402
from monitor.rules.disbursement import threshold_params  # noqa: E402
from monitor.rules.headline import attention, headline, previous_quarter_end  # noqa: E402
from monitor.rules.indicators import NO_FILTERS  # noqa: E402
from monitor.settings import settings  # noqa: E402
from monitor.store import service  # noqa: E402
from monitor.store.db import connect, query_df  # noqa: E402
from monitor.store.undo import undo_batch  # noqa: E402

YEAR = 2024
AS_OF = dt.date(YEAR, 9, 30)  # the third-quarter review
SCALES = {"county": (1_000, 100_000), "province": (100_000, 10_000_000)}
QUICK = {"quick": (300, 30_000)}
IMPORT_SHARE = 0.1  # the import file holds a tenth of the year's payments, all of one month,
IMPORT_MAX_ROWS = 150_000  # up to about 15 MB, under the 20 MB upload limit (settings: upload_mb)

OTHER_BENCHMARKS = ("browser", "browser_run", "outlook")  # keys of bench/results.json written by bench/browse.py and bench/outlook.py
FILTERS = {k: v for k, v in NO_FILTERS.items() if k != "limit"}  # 绩效指标 with its filters left at 全部

# The pages' questions for 即席查询 (monitor.explore.builder's builder), and the same written directly in bench/floors.
EXPLORE = (
    explore.Query("projects", (explore.Condition("status", "in", ("red",)),), ("dept_name",)),
    explore.Query("payments", (explore.Condition("fund_source", "in", ("财政拨款",)),), ("month",), "sum:amount"),
    explore.Query("indicators", (explore.Condition("level1", "in", ("满意度指标",)),), ("status",)),
)
FLOORS = {
    "总览": ("overview",),
    "预算执行": ("project_figures", "s_curve", "project_payments"),
    "绩效指标": ("indicator_rows", "indicator_cells", "project_scores"),
    "即席查询": ("red_by_unit", "paid_by_month", "satisfaction_by_status"),
    "项目详情": ("project_row", "project_figures_one", "project_indicators", "indicator_history", "project_payments", "s_curve"),
}


def database(name: str, projects: int, payments: int) -> Path:
    """The generated database of this size, made once."""
    path = BENCH / f"scale-{projects}-{payments}.duckdb"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        started = time.perf_counter()
        con = connect(tmp)
        try:
            generate(con, projects, payments, YEAR)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        tmp.rename(path)
        print(f"generated {name}: {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def context(con: duckdb.DuckDBPyConnection) -> dict:
    """The parameters every page runs with: the whole province (no unit filter), the biggest project,
    and the previous quarter end (总览 shows the change since then)."""
    project = con.execute("SELECT project_code FROM projects WHERE year = ? ORDER BY budget DESC LIMIT 1", [YEAR]).fetchone()[0]
    return {"year": YEAR, "as_of": AS_OF, "previous": previous_quarter_end(AS_OF), "dept": None, "project": project, **threshold_params()}


def app_pages(con: duckdb.DuckDBPyConnection, c: dict) -> dict[str, Callable[[], object]]:
    """Each page's queries as the app runs them (named queries with bound parameters → DataFrames)."""

    def run(name: str, **params):
        return query_df(con, name, **params)

    y, a, d, p = c["year"], c["as_of"], c["dept"], c["project"]
    limits = threshold_params()
    explore_context = {"year": y, "as_of": a, "dept": d, **limits}
    return {
        "总览": lambda: (
            headline(run, y, d, a),
            headline(run, y, d, c["previous"]),
            run("quarterly_totals", year=y, dept=d, as_of=a),
            attention(run, y, d, a, settings().limits.attention_rows, "zh"),
        ),
        "预算执行": lambda: (
            run("project_status", year=y, dept=d, as_of=a, limit=2002, **limits),
            run("quarterly_totals", year=y, dept=d, as_of=a),
            run("s_curve", year=y, dept=d, project=p, as_of=a),
            run("project_payments", year=y, project=p, as_of=a),
        ),
        "绩效指标": lambda: (  # unfiltered: the cards' counts come from lowest_scores' department row
            run("lowest_scores", year=y, dept=d, as_of=a, limit=2000),
            run("indicator_status", year=y, dept=d, as_of=a, **FILTERS, limit=2001),
            run("indicator_heatmap", year=y, dept=d, as_of=a, **FILTERS, limit=30),
        ),
        "即席查询": lambda: [explore.run(con, q, explore_context) for q in EXPLORE],
        "项目详情": lambda: (
            run("project_info", year=y, project=p),
            run("project_figures", year=y, project=p, as_of=a, **limits),
            run("project_quarters", year=y, project=p, as_of=a),
            run("indicator_status", year=y, dept=d, as_of=a, **(NO_FILTERS | {"project": p})),
            run("indicator_history", year=y, project=p, as_of=a),
            run("actual_changes", year=y, project=p, batch=None, max_batch_rows=None, limit=500),
            run("project_payments", year=y, project=p, as_of=a),
            run("s_curve", year=y, dept=d, project=p, as_of=a),
        ),
    }


def floor_pages(con: duckdb.DuckDBPyConnection, c: dict) -> dict[str, Callable[[], object]]:
    def run(names: tuple[str, ...]):
        results = []
        for name in names:
            text = (BENCH / "floors" / f"{name}.sql").read_text(encoding="utf-8")
            results.append(con.execute(text, {k: v for k, v in c.items() if f"${k}" in text}).df())
        return results

    return {page: (lambda names=names: run(names)) for page, names in FLOORS.items()}


class Frames:
    """The pandas baseline: tables loaded once with SELECT *, figures computed in pandas."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        started = time.perf_counter()
        load = {t: con.execute(f"SELECT * FROM {t}").df() for t in ("departments", "projects", "plan_checkpoints", "indicators")}
        load["payments"] = con.execute("SELECT * FROM payments").df()
        load["actuals"] = con.execute("SELECT * FROM indicator_actuals").df()
        self.load_s = time.perf_counter() - started
        self.__dict__.update(load)
        self.payments["paid_on"] = pd.to_datetime(self.payments["paid_on"])
        self.actuals["period_end"] = pd.to_datetime(self.actuals["period_end"])
        self.plan_checkpoints["checkpoint_date"] = pd.to_datetime(self.plan_checkpoints["checkpoint_date"])

    def planned_at(self, day: pd.Timestamp) -> pd.Series:
        """Planned cumulative per project at the end of `day`: linear between checkpoints from 0 at the end of 31 December."""
        points = pd.concat(
            [
                self.plan_checkpoints[["project_code", "checkpoint_date", "planned_cumulative"]],
                self.projects[["project_code"]].assign(checkpoint_date=pd.Timestamp(YEAR - 1, 12, 31), planned_cumulative=0.0),
            ]
        ).sort_values(["project_code", "checkpoint_date"])
        points["d1"] = points.groupby("project_code")["checkpoint_date"].shift(-1)
        points["v1"] = points.groupby("project_code")["planned_cumulative"].shift(-1)
        seg = points[(points["checkpoint_date"] <= day) & (points["d1"].isna() | (points["d1"] > day))]
        span = (seg["d1"] - seg["checkpoint_date"]).dt.days
        value = seg["planned_cumulative"] + (seg["v1"] - seg["planned_cumulative"]) * (day - seg["checkpoint_date"]).dt.days / span
        return value.where(seg["d1"].notna(), seg["planned_cumulative"]).round(2).set_axis(seg["project_code"])

    def project_figures(self, as_of: pd.Timestamp, amber: float, red: float) -> pd.DataFrame:
        paid = self.payments[self.payments["paid_on"] <= as_of].groupby("project_code")["amount"].sum()
        table = self.projects.set_index("project_code")[["dept_code", "name", "budget"]].astype({"budget": float})
        table["actual"] = paid.reindex(table.index, fill_value=0.0).astype(float)
        table["planned"] = self.planned_at(as_of).reindex(table.index, fill_value=0.0)
        gap_pp = (table["actual"] - table["planned"]) / table["budget"] * 100
        table["status"] = "green"
        table.loc[gap_pp < -amber, "status"] = "amber"
        table.loc[(gap_pp < -red) | (table["actual"] > table["budget"]), "status"] = "red"
        return table

    def quarters(self, as_of: pd.Timestamp) -> pd.DataFrame:
        paid = self.payments[self.payments["paid_on"] <= as_of]
        actual = paid.groupby(paid["paid_on"].dt.quarter)["amount"].sum()
        ends = [pd.Timestamp(YEAR, 3 * q, 1) + pd.offsets.MonthEnd(0) for q in range(1, 5)]
        planned = pd.Series([self.planned_at(e).sum() for e in ends], index=range(1, 5)).diff().fillna(0)
        return pd.DataFrame({"actual": actual, "planned": planned})

    def latest(self, as_of: pd.Timestamp) -> pd.DataFrame:
        actuals = self.actuals[self.actuals["period_end"] <= as_of].sort_values(["period_end", "batch_id"])
        last = actuals.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")
        rows = self.indicators.join(last[["actual_value", "actual_text", "likelihood"]], on="indicator_id")
        value, target, op = rows["actual_value"], rows["target_value"], rows["op"]
        met = ((op == ">=") & (value >= target)) | ((op == "<=") & (value <= target))
        rows["status"] = "未达标"
        rows.loc[met, "status"] = "达标"
        rows.loc[value.isna(), "status"] = "未填报"
        rows.loc[(op == "qual") & (rows["actual_text"].notna() | value.notna()), "status"] = "定性待评"
        rows["off_target"] = (rows["status"] == "未达标") | rows["likelihood"].isin(["有可能", "完全不可能"])
        share = (value / target).where(op == ">=", target / value).clip(0, 1)
        rows["attainment"] = share.where(rows["status"] == "未达标", (rows["status"] != "未填报").astype(float))
        return rows

    def scores(self, figures: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
        points = rows["level1"].map({"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0})
        share = points / rows.groupby(["project_code", "level1"])["indicator_id"].transform("size")
        earned = (rows["attainment"] * share).groupby(rows["project_code"]).sum() * 90 / share.groupby(rows["project_code"]).sum()
        execution = 10 * (figures["actual"] / figures["planned"]).clip(0, 1).where(figures["planned"] > 0, 1.0)
        return execution + earned.reindex(figures.index, fill_value=0.0)

    def s_curve(self, project: str, as_of: pd.Timestamp) -> pd.DataFrame:
        mine = self.payments[(self.payments["project_code"] == project) & (self.payments["paid_on"] <= as_of)]
        days = pd.date_range(pd.Timestamp(YEAR, 1, 1), pd.Timestamp(YEAR, 12, 31))
        actual = mine.groupby("paid_on")["amount"].sum().reindex(days, fill_value=0).cumsum()
        plan = self.plan_checkpoints[self.plan_checkpoints["project_code"] == project].sort_values("checkpoint_date")
        day_numbers = (plan["checkpoint_date"] - days[0]).dt.days.to_numpy() + 1
        planned = np.interp(np.arange(len(days)) + 1, np.r_[0, day_numbers], np.r_[0.0, plan["planned_cumulative"].astype(float)])
        return pd.DataFrame({"actual": actual, "planned": planned.round(2)})

    def payments_of(self, project: str, as_of: pd.Timestamp) -> pd.DataFrame:
        mine = self.payments[(self.payments["project_code"] == project) & (self.payments["paid_on"] <= as_of)]
        return mine.sort_values("paid_on", ascending=False)


def pandas_pages(frames: Frames, c: dict) -> dict[str, Callable[[], object]]:
    as_of, previous, project = pd.Timestamp(c["as_of"]), pd.Timestamp(c["previous"]), c["project"]
    amber, red = c["amber_pp"], c["red_pp"]

    def headline(day: pd.Timestamp):
        figures = frames.project_figures(day, amber, red)
        rows = frames.latest(day)
        scores = frames.scores(figures, rows)
        totals = (figures["actual"].sum(), figures["planned"].sum(), (figures["status"] != "green").sum(), rows["off_target"].sum(),
                  (scores * figures["budget"]).sum() / figures["budget"].sum())  # fmt: skip
        return totals, figures, rows

    def overview():
        now, figures, rows = headline(as_of)
        behind = figures[figures["status"] != "green"].assign(gap=lambda f: (f["actual"] - f["planned"]) / f["budget"])
        off = rows[rows["off_target"]].assign(gap=lambda r: (r["actual_value"] - r["target_value"]).abs() / r["target_value"].abs())
        return now, headline(previous)[0], frames.quarters(as_of), behind.nsmallest(10, "gap"), off.nlargest(10, "gap")

    def disbursement():
        return (
            frames.project_figures(as_of, amber, red),
            frames.quarters(as_of),
            frames.s_curve(project, as_of),
            frames.payments_of(project, as_of),
        )

    def indicators():
        rows = frames.latest(as_of)
        cells = rows.groupby(["project_code", "level2"]).agg(n=("indicator_id", "size"), off=("off_target", "sum"))
        return rows, cells, frames.scores(frames.project_figures(as_of, amber, red), rows)

    def ad_hoc():
        figures = frames.project_figures(as_of, amber, red)
        red_units = figures[figures["status"] == "red"].groupby("dept_code").size()
        paid = frames.payments[(frames.payments["paid_on"] <= as_of) & (frames.payments["fund_source"] == "财政拨款")]
        rows = frames.latest(as_of)
        return (
            red_units,
            paid.groupby(paid["paid_on"].dt.month)["amount"].sum(),
            rows[rows["level1"] == "满意度指标"].groupby("status").size(),
        )

    def project_page():
        mine = frames.latest(as_of).query("project_code == @project")
        history = frames.actuals[(frames.actuals["project_code"] == project) & (frames.actuals["period_end"] <= as_of)]
        curve = frames.s_curve(project, as_of)  # its status, score and quarters are read off the curve
        info = frames.projects[frames.projects["project_code"] == project].set_index("project_code")
        figures = info.assign(actual=float(curve.loc[as_of, "actual"]), planned=float(curve.loc[as_of, "planned"]))
        ends = curve.loc[[pd.Timestamp(YEAR, 3 * q, 1) + pd.offsets.MonthEnd(0) for q in range(1, 5)]]
        quarters = ends - ends.shift(fill_value=0)  # the first quarter from 0 (diff() would leave it out)
        return figures, frames.scores(figures, mine), quarters, mine, history, frames.payments_of(project, as_of)

    return {"总览": overview, "预算执行": disbursement, "绩效指标": indicators, "即席查询": ad_hoc, "项目详情": project_page}


def _total_row(table: pd.DataFrame) -> pd.Series:
    return table[table["project_code"].isna()].iloc[0]


def shared_figures(page: str, app: tuple, floor: list, pandas: tuple) -> dict[str, tuple]:
    """Figures each page shows, as the page, its floor and its pandas baseline compute them
    (None where one of them does not compute that figure): the ratios compare like with like only
    while these agree (check_alike)."""
    if page == "总览":
        now, f, (actual, planned, behind, off, score) = app[0], floor[0].iloc[0], pandas[0]
        return {
            "actual": (now.actual, f["total_actual"], actual),
            "planned": (now.planned, f["total_planned"], planned),
            "projects behind": (now.behind, f["behind"], behind),
            "indicators off target": (now.off_target, f["total_off"], off),
            "score": (now.score.value, f["dept_score"], score),
        }
    if page == "预算执行":
        total, curve = _total_row(app[0]), app[2]
        return {
            "actual": (total["actual_cumulative"], floor[0]["actual"].sum(), pandas[0]["actual"].sum()),
            "planned": (total["planned_cumulative"], floor[0]["planned"].sum(), pandas[0]["planned"].sum()),
            "projects red": (total["count_far_behind"] + total["count_over_budget"], None, (pandas[0]["status"] == "red").sum()),
            "quarterly actual": (app[1]["actual"].sum(), None, pandas[1]["actual"].sum()),
            "S-curve actual": (curve["actual_cumulative"].max(), floor[1]["actual"].max(), pandas[2]["actual"].max()),
            "S-curve planned": (curve["planned_cumulative"].sum(), floor[1]["planned"].sum(), pandas[2]["planned"].sum()),
            "payments listed": (len(app[3]), len(floor[2]), len(pandas[3])),
        }
    if page == "绩效指标":
        department, floor_scores = _total_row(app[0]), floor[2].iloc[:, -1]  # the page lists the lowest scores only
        return {
            "indicators off target": (department["off_target"], floor[0]["off_target"].sum(), pandas[0]["off_target"].sum()),
            "mean score": (department["mean_score"], floor_scores.mean(), pandas[2].mean()),
            "lowest score": (department["lowest_score"], floor_scores.min(), pandas[2].min()),
        }
    if page == "即席查询":
        return {
            "red projects": (app[0]["value"].sum(), floor[0].iloc[:, 1].sum(), pandas[0].sum()),
            "财政拨款 paid": (app[1]["value"].sum(), floor[1].iloc[:, 1].sum(), pandas[1].sum()),
            **{f"满意度 {status}": (n, floor[2].set_index("status").iloc[:, 0].get(status), pandas[2].get(status))
               for status, n in app[2].set_index("status")["value"].items()},
        }  # fmt: skip
    figures = app[1].iloc[0]
    return {
        "actual": (figures["actual_cumulative"], floor[1]["actual"].iloc[0], pandas[0]["actual"].iloc[0]),
        "planned": (figures["planned_cumulative"], floor[1]["planned"].iloc[0], pandas[0]["planned"].iloc[0]),
        "score": (figures["score"], None, pandas[1].iloc[0]),
        "quarterly actual": (app[2]["actual"].sum(), floor[1][["a1", "a2", "a3", "a4"]].sum(axis=1).iloc[0], pandas[2]["actual"].sum()),
        "indicators": (len(app[3]), len(floor[2]), len(pandas[3])),
        "reports in the history": (len(app[4]), len(floor[3]), len(pandas[4])),
        "payments listed": (len(app[6]), len(floor[4]), len(pandas[5])),
    }


def check_alike(page: str, app: tuple, floor: list, pandas: tuple) -> None:
    """Raise unless the page, its floor and its pandas baseline give the same figures (to a part in
    10^6: the baseline sums plans rounded in binary floating point)."""
    wrong = [
        f"{name}: page {a}, floor {f}, pandas {p}"
        for name, (a, f, p) in shared_figures(page, app, floor, pandas).items()
        if not all(math.isclose(float(a), float(v), rel_tol=1e-6, abs_tol=0.01) for v in (f, p) if v is not None)
    ]
    if wrong:
        raise RuntimeError(f"{page}: the page, its floor and its pandas baseline disagree, their times do not compare: {'; '.join(wrong)}")


def median_ms(works: dict[str, Callable[[], object]], runs: dict[str, int]) -> dict[str, float]:
    """Median wall time (ms) of `runs[name]` runs of each work after one warm-up run of each. The works
    take turns, their order rotated every round, so that the machine slowing down or speeding up
    during the measurement weighs on all of them alike and their ratios stay comparable."""
    names = list(works)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:
        works[name]()
    for round_ in range(max(runs.values())):
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            if len(times[name]) < runs[name]:
                started = time.perf_counter()
                works[name]()
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def measure_pages(con: duckdb.DuckDBPyConnection, repeat: int) -> tuple[list[dict], float]:
    c = context(con)
    app, floor = app_pages(con, c), floor_pages(con, c)
    frames = Frames(con)
    pandas = pandas_pages(frames, c)
    rows = []
    for page in FLOORS:
        check_alike(page, app[page](), floor[page](), pandas[page]())
        ms = median_ms(
            {"ms": app[page], "floor_ms": floor[page], "pandas_ms": pandas[page]},
            {"ms": repeat, "floor_ms": repeat, "pandas_ms": max(1, repeat // 2)},  # the pandas baseline takes seconds at province
        )
        rows.append({"page": page, **ms, "vs_floor": ms["ms"] / ms["floor_ms"], "vs_pandas": ms["pandas_ms"] / ms["ms"]})
    return rows, frames.load_s


def ledger_csv(con: duckdb.DuckDBPyConnection, rows: int, folder: Path) -> Path:
    """A payments ledger of `rows` new payments (fresh vouchers) of stored projects in October, as a
    bank exports a month."""
    path = folder / "ledger.csv"
    con.execute(
        f"""COPY (SELECT project_code AS 项目编码, paid_on AS 支付日期, amount AS "金额（元）",
                   'IMP-' || lpad(row_number() OVER ()::TEXT, 9, '0') AS 凭证号, summary AS 摘要, fund_source AS 资金来源, payee AS 收款单位
                  FROM (SELECT * FROM payments WHERE month(paid_on) = 10) USING SAMPLE {int(rows)} ROWS (reservoir, 7)
                  ORDER BY paid_on) TO '{path}' (HEADER, DELIMITER ',')"""
    )
    return path


def measure_import(con: duckdb.DuckDBPyConnection, rows: int, repeat: int) -> dict:
    """import_payments of a fresh ledger (undone after each run, so the next run is a first import)
    against DuckDB reading the same file into a table."""
    with tempfile.TemporaryDirectory() as folder:
        path = ledger_csv(con, rows, Path(folder))
        data = path.read_bytes()
        import_times, read_times = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            check = import_payments(con, data, path.name, "bench")
            import_times.append(time.perf_counter() - started)
            if check.batch_id is None:
                raise RuntimeError(f"the generated ledger did not import: {check.problems[:3]} {check.duplicates[:3]}")
            undo_batch(con, check.batch_id, "bench")
            started = time.perf_counter()
            con.execute("CREATE OR REPLACE TEMP TABLE ledger AS SELECT * FROM read_csv(?)", [str(path)])
            read_times.append(time.perf_counter() - started)
        con.execute("DROP TABLE ledger")
    s, read_csv_s = statistics.median(import_times), statistics.median(read_times)
    return {"rows": rows, "s": s, "read_csv_s": read_csv_s, "vs_read_csv": read_csv_s / s}


def measure_publish(path: Path, repeat: int) -> dict:
    """What a write costs its readers (monitor.store.service): an import of a small ledger (undone
    after) publishes a copy of the whole file; a write that leaves import_batches alone (a note, a
    sign-in) publishes only the small state tables. Disk: the database, the snapshot readers open and
    the one before it (kept for readers still on it)."""
    con = connect(path)
    try:
        with tempfile.TemporaryDirectory() as folder:
            ledger = ledger_csv(con, 100, Path(folder))
            data = ledger.read_bytes()
    finally:
        con.close()
    with service.writing(path):
        pass  # the first write publishes everything: not measured
    data_times, state_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        with service.writing(path) as con:
            batch = import_payments(con, data, ledger.name, "bench").batch_id
        data_times.append(time.perf_counter() - started)
        with service.writing(path) as con:
            undo_batch(con, batch, "bench")
        started = time.perf_counter()
        with service.writing(path):
            pass
        state_times.append(time.perf_counter() - started)
    snapshots = sum(p.stat().st_size for p in service.snapshot_dir(path).iterdir())
    return {
        "db_mb": path.stat().st_size / 2**20,
        "data_write_s": statistics.median(data_times),
        "state_write_s": statistics.median(state_times),
        "snapshots_mb": snapshots / 2**20,
    }


def app_peak_rss_mb(path: Path, repeat: int) -> float:
    """Peak RSS of a fresh process that opens the database as the app does and runs every page's queries."""
    out = subprocess.run(
        [sys.executable, __file__, "--app-process", str(path), "--repeat", str(repeat)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def app_process(path: Path, repeat: int) -> None:
    con, _ = service.reader(path)  # as the app reads: the published snapshot (monitor.ui.data)
    pages = app_pages(con, context(con))
    for _ in range(repeat):
        for work in pages.values():
            work()
    print(peak_rss_mb("self"))


def peak_rss_mb(pid: int | str) -> float:
    """Peak resident memory of a process (VmHWM). Not getrusage's ru_maxrss: Linux carries that over
    from the parent across fork and exec, so a child would report the benchmark's own pandas peak."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024


def measure(name: str, projects: int, payments: int, repeat: int) -> dict:
    path = database(name, projects, payments)
    con = connect(path)
    try:
        scale = dict(zip(("projects", "indicators", "payments"), con.execute(
            "SELECT (SELECT count(*) FROM projects), (SELECT count(*) FROM indicators), (SELECT count(*) FROM payments)"
        ).fetchone()))  # fmt: skip
        pages, load_s = measure_pages(con, repeat)
        imported = measure_import(con, min(IMPORT_MAX_ROWS, max(1_000, int(payments * IMPORT_SHARE))), max(1, repeat // 2))
    finally:
        con.close()
    return {
        "scale": scale,
        "pages": pages,
        "pandas_load_s": load_s,
        "import": imported,
        "publish": measure_publish(path, max(1, repeat // 2)),
        "peak_rss_mb": app_peak_rss_mb(path, repeat),
    }


def print_table(name: str, result: dict) -> None:
    s = result["scale"]
    print(f"\n{name}: {s['projects']:,} projects, {s['indicators']:,} indicators, {s['payments']:,} payments")
    print(f"{'page':<8} {'ms':>9} {'floor ms':>9} {'pandas ms':>10} {'vs floor':>9} {'vs pandas':>10}")
    for p in result["pages"]:
        print(
            f"{p['page']:<8} {p['ms']:>9.0f} {p['floor_ms']:>9.0f} {p['pandas_ms']:>10.0f} {p['vs_floor']:>8.2f}× {p['vs_pandas']:>9.1f}×"
        )
    i = result["import"]
    print(f"import {i['rows']:,} rows: {i['s']:.2f} s, read_csv {i['read_csv_s']:.2f} s, speed vs read_csv {i['vs_read_csv']:.2f}×")
    w = result["publish"]
    print(
        f"write + publish ({w['db_mb']:.0f} MB database): an import {w['data_write_s']:.2f} s, any other write {w['state_write_s']:.2f} s;"
        f" snapshots on disk {w['snapshots_mb']:.0f} MB"
    )
    print(f"pandas baseline load (SELECT * of every table): {result['pandas_load_s']:.1f} s")
    print(f"app process peak RSS {result['peak_rss_mb']:.0f} MB")


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GB, {platform.system()}, duckdb {duckdb.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tiny database and one repetition: checks the benchmark works")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per figure (median)")
    parser.add_argument("--scale", choices=sorted(SCALES), action="append", help="only this scale (repeatable; default: all)")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--app-process", type=Path, help=argparse.SUPPRESS)  # the child measured for peak RSS
    args = parser.parse_args()
    if args.app_process:
        app_process(args.app_process, args.repeat)
        return
    scales, repeat = (QUICK, 1) if args.quick else ({k: v for k, v in SCALES.items() if k in (args.scale or SCALES)}, args.repeat)
    results = {name: measure(name, *size, repeat) for name, size in scales.items()}
    for name, result in results.items():
        print_table(name, result)
    *smaller, largest = results
    top = results[largest]
    report = {"machine": machine(), "as_of": AS_OF.isoformat(), "repeat": repeat, **top}
    if smaller:
        small = results[smaller[0]]
        report[smaller[0]] = small
        report["growth"] = {
            **{p["page"]: p["ms"] / q["ms"] for p, q in zip(top["pages"], small["pages"])},
            "import": top["import"]["s"] / small["import"]["s"],
            "peak_rss_mb": top["peak_rss_mb"] / small["peak_rss_mb"],
        }
        print(f"\ngrowth {smaller[0]} → {largest} (time ratio): " + ", ".join(f"{k} {v:.1f}×" for k, v in report["growth"].items()))
    earlier = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    report |= {key: earlier[key] for key in OTHER_BENCHMARKS if key in earlier}  # their figures stay until they run again
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
