"""Backtest of the year-end outlook (monitor.rules.outlook) on a generated multi-year county.

    .venv/bin/python bench/outlook.py            # 1,000 projects × 3 years, seed 2025, unseen seasons; bench/results.json
    .venv/bin/python bench/outlook.py --quick --out X   # a tiny county (the suite's smoke test)

The last year is forecast at 06-30 and 09-30 from its payments up to that day and the complete
earlier years only (the interval is calibrated on the earlier years), and compared with its actual
year-end execution rate per project: mean absolute error in percentage points of the budget and the
share of outcomes inside the 80% interval, beside two baselines: (a) the plan — actual so far plus
the plan still to come, at most the budget (disbursement_at's forecast_rule); (b) the pace — actual
so far × days in the year / days elapsed. The "outlook" key of the results file is replaced, every
other key kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from monitor.demo.scale import Season, generate  # noqa: E402
from monitor.rules.outlook import elapsed, outlook  # noqa: E402
from monitor.store.db import connect, query_df  # noqa: E402

YEAR = 2024
AS_OF = ("06-30", "09-30")
# Seasonal parameters unlike the generator's defaults (which the model was written against): a later,
# steeper year-end rush, stronger unit habits and noisier years, less of the budgets spent.
UNSEEN = Season(
    month_weights=(1, 3, 6, 8, 7, 10, 6, 8, 10, 8, 12, 24),
    unit_tilt_sd=0.7,
    year_noise_sd=0.15,
    spend_mean=0.85,
    spend_sd=0.12,
    unit_spend_sd=0.08,
)


def backtest(path: Path, year: int) -> list[dict[str, float | str]]:
    con = connect(path, read_only=True)
    try:
        final = con.execute(
            "SELECT p.project_code, coalesce(sum(pa.amount), 0)::DOUBLE / p.budget::DOUBLE AS final FROM projects p"
            " LEFT JOIN payments pa USING (year, project_code) WHERE p.year = $1 GROUP BY p.project_code, p.budget",
            [year],
        ).df()
        rows = []
        for month_day in AS_OF:
            day = dt.date(year, int(month_day[:2]), int(month_day[3:]))
            model = outlook(partial(query_df, con), year, day)
            plan = con.execute(
                "SELECT project_code, forecast_rule::DOUBLE / budget::DOUBLE AS plan FROM disbursement_at($1, $2::DATE)", [year, day]
            ).df()
            both = model.merge(final, on="project_code").merge(plan, on="project_code")
            pace = both["actual"] / both["budget"] / elapsed(year, day)
            inside = (both["final"] >= both["low"]) & (both["final"] <= both["high"])
            rows.append(
                {
                    "as_of": month_day,
                    "model_mae_pp": _mae(both["forecast"], both["final"]),
                    "plan_baseline_mae_pp": _mae(both["plan"], both["final"]),
                    "pace_baseline_mae_pp": _mae(pace, both["final"]),
                    "coverage_80": float(inside.mean()),
                    "projects": len(both),
                }
            )
        return rows
    finally:
        con.close()


def _mae(predicted: pd.Series, actual: pd.Series) -> float:
    return float(np.mean(np.abs(predicted - actual)) * 100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tiny county: checks the backtest works")
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--payments", type=int, default=100_000, help="payments a year")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--generator-season", action="store_true", help="the generator's default seasons instead of UNSEEN")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()
    projects, payments = (200, 10_000) if args.quick else (args.projects, args.payments)
    with tempfile.TemporaryDirectory(dir=BENCH) as work:
        path = Path(work) / "outlook.duckdb"
        con = connect(path)
        generate(con, projects, payments, year=YEAR, seed=args.seed, years=args.years, season=Season() if args.generator_season else UNSEEN)
        con.close()
        rows = backtest(path, YEAR)
    season = "generator defaults" if args.generator_season else "unseen seasons"
    print(f"year-end outlook, {projects} projects × {args.years} years (seed {args.seed}, {season}), forecasting {YEAR}:")
    print(f"{'as of':>6} {'model MAE pp':>13} {'plan MAE pp':>12} {'pace MAE pp':>12} {'80% coverage':>13}")
    for r in rows:
        mae = f"{r['model_mae_pp']:>13.2f} {r['plan_baseline_mae_pp']:>12.2f} {r['pace_baseline_mae_pp']:>12.2f}"
        print(f"{r['as_of']:>6} {mae} {r['coverage_80']:>13.1%}")
    report = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    report["outlook"] = rows
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
