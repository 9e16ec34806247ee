"""The year-end outlook (monitor.rules.outlook): the formula on a hand-computed case, the fallback to
peers, the cap, the flag, the query on a generated county, and the backtest's quick run."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from contextlib import closing
from functools import partial

import pandas as pd
import pytest
from app_helpers import app_on

from monitor.rules.outlook import elapsed, forecast, outlook, scope_outlook, unit_outlook, year_delay
from monitor.settings import settings
from monitor.store.db import REPO_ROOT, connect, query_df

COLUMNS = ["year", "dept_code", "project_code", "budget", "paid_by", "paid_total"]
# Unit A in 2022 and 2023: 40% and 60% of the year's payments by the as-of day (mean share 0.5), year-end
# rates 0.8 and 1.0 (prior 0.9); unit B has no history.
HISTORY = pd.DataFrame(
    [(2022, "A", "a22", 100.0, 32.0, 80.0), (2023, "A", "a23", 100.0, 60.0, 100.0)],
    columns=COLUMNS,
)


def _current(*rows: tuple[str, str, float, float]) -> pd.DataFrame:
    return pd.DataFrame([(2024, d, p, b, paid, None) for d, p, b, paid in rows], columns=COLUMNS).assign(name=lambda f: f["project_code"])


def test_formula_by_hand():
    out = forecast(_current(("A", "a24", 200.0, 50.0)), HISTORY, 0.9, 0.5).iloc[0]
    assert out["share"] == pytest.approx(0.5) and out["prior"] == pytest.approx(0.9) and out["history_years"] == 2
    assert out["basis"] == "unit"
    # (actual + (1 − s) × r × budget) / budget = (50 + 0.5 × 0.9 × 200) / 200
    assert out["forecast"] == pytest.approx(0.7)
    # the earlier years, each forecast from the other: 2022 from 2023 (s 0.6, r 1.0): (32 + 0.4 × 100) / 100 = 0.72
    # vs 0.8 → error +0.08; its delay d = 1 − 32 / (0.6 × 1.0 × 100) = 0.4667, c = d × 0.6 = +0.28.
    # 2023 from 2022 (s 0.4, r 0.8): (60 + 0.6 × 80) / 100 = 1.08, capped at 1.0, vs 1.0 → 0; d = 1 − 60 / 32, c = −0.28.
    # From the band's low end (error − min(c, 0)): 0.08 and 0.28, 10th percentile 0.10; from its high end
    # (error − max(c, 0)): −0.20 and 0, 90th percentile −0.02.
    # This year: d = 1 − 50 / (0.5 × 0.9 × 200) = 0.4444, c = 0.2: high = 0.7 + 0.2 − 0.02 = 0.88;
    # low = 0.7 + 0 + 0.10 = 0.80 is above the forecast, so the forecast itself.
    assert out["low"] == pytest.approx(0.7) and out["high"] == pytest.approx(0.88)
    assert bool(out["flag"]) is True  # 0.7 < 0.9


def test_the_year_delay_is_the_whole_year_behind_its_usual_pace():
    rows = pd.DataFrame({"share": [0.5, 0.25], "prior": [0.8, 0.8], "budget": [100.0, 200.0], "actual": [20.0, 40.0]})
    # usual pace s × r: 0.4 and 0.2 → expected 40 + 40 = 80 元 by now; paid 60: d = 1 − 60 / 80 = 0.25
    assert year_delay(rows).tolist() == pytest.approx([0.25 * 0.4, 0.25 * 0.2])
    assert year_delay(rows.assign(actual=[50.0, 30.0])).tolist() == pytest.approx([0.0, 0.0])  # on pace overall: no band


def test_fallback_to_peers_and_widening():
    out = forecast(_current(("A", "a24", 100.0, 50.0), ("B", "b24", 100.0, 20.0)), HISTORY, 0.9, 0.5).set_index("dept_code")
    assert out.loc["B", "history_years"] == 0 and out.loc["B", "basis"] == "peers"
    assert out.loc["B", "share"] == pytest.approx(0.5) and out.loc["B", "prior"] == pytest.approx(0.9)  # the peers' (unit A's)
    assert out.loc["B", "forecast"] == pytest.approx(0.65)
    # d = 1 − 70 / (0.45 × 100 + 0.45 × 100) = 0.2222, c = 0.1 for both; the high quantile −0.02 (above), × 1.5 for B
    assert out.loc["A", "high"] == pytest.approx(0.95 + 0.1 - 0.02)
    assert out.loc["B", "high"] == pytest.approx(0.65 + 0.1 - 1.5 * 0.02)


def test_no_earlier_year_means_no_forecast():
    out = forecast(_current(("A", "a24", 100.0, 30.0)), HISTORY.iloc[:0], 0.9, 0.5).iloc[0]
    assert out["basis"] == "none" and pd.isna(out["forecast"]) and pd.isna(out["low"]) and pd.isna(out["high"])
    assert not out["flag"]
    found = scope_outlook(forecast(_current(("A", "a24", 100.0, 30.0)), HISTORY.iloc[:0], 0.9, 0.5))
    assert found is not None and not found.basis and found.flagged.empty


def test_cap_at_budget_unless_already_over():
    out = forecast(_current(("A", "a24", 100.0, 95.0), ("A", "b24", 100.0, 120.0)), HISTORY, 0.9, 0.5).set_index("project_code")
    assert out.loc["a24", "forecast"] == 1.0  # 95 + 0.5 × 0.9 × 100 = 140 → the budget
    assert out.loc["b24", "forecast"] == pytest.approx(1.2)  # already over: the actual
    assert (out["low"] >= out["actual"] / out["budget"]).all()  # never below what is already spent
    assert not out["flag"].any()


def test_flag_threshold_setting():
    assert settings().outlook.flag_below == 0.9
    out = forecast(_current(("A", "a24", 200.0, 50.0)), HISTORY, 0.6, 0.5)
    assert not out["flag"].iloc[0]  # 0.7 ≥ 0.6


@pytest.fixture(scope="module")
def county(small_county):
    con = connect(small_county, read_only=True)
    yield con
    con.close()


def test_on_a_generated_county(county):
    day = dt.date(2024, 6, 30)
    out = outlook(partial(query_df, county), 2024, day)
    assert len(out) == 100 and (out["history_years"] == 1).all()
    raw = county.execute(
        "SELECT p.year, p.dept_code, p.project_code, p.budget::DOUBLE AS budget,"
        " coalesce(sum(pa.amount) FILTER (WHERE pa.paid_on <= make_date(p.year, 6, 30)), 0)::DOUBLE AS paid_by,"
        " coalesce(sum(pa.amount), 0)::DOUBLE AS paid_total"
        " FROM projects p LEFT JOIN payments pa USING (year, project_code) GROUP BY ALL"
    ).df()
    unit = out["dept_code"].iloc[0]
    last = raw[(raw["year"] == 2023) & (raw["dept_code"] == unit)]
    share, prior = last["paid_by"].sum() / last["paid_total"].sum(), last["paid_total"].sum() / last["budget"].sum()
    mine = raw[(raw["year"] == 2024) & (raw["dept_code"] == unit)].set_index("project_code")
    for p in out[out["dept_code"] == unit].itertuples():
        budget, actual = mine.loc[p.project_code, "budget"], mine.loc[p.project_code, "paid_by"]
        assert p.actual == pytest.approx(actual) and p.share == pytest.approx(share)
        assert p.forecast == pytest.approx(
            min((actual + (1 - share) * prior * budget) / budget, 1.0) if actual <= budget else actual / budget
        )
    units = unit_outlook(out).set_index("dept_code")
    assert units.loc[unit, "forecast"] == pytest.approx(
        (out[out["dept_code"] == unit].eval("forecast * budget")).sum() / mine["budget"].sum()
    )
    assert elapsed(2024, day) == pytest.approx(182 / 366)
    # the sidebar's scope: the same figures for the unit's projects (the model still learns from all units)
    scoped = outlook(partial(query_df, county), 2024, day, dept=unit)
    assert set(scoped["dept_code"]) == {unit}
    pd.testing.assert_frame_equal(scoped, out[out["dept_code"] == unit].reset_index(drop=True))
    # a region's scope, as the pages pick it out of every unit's outlook (monitor.ui.outlook.projects_outlook)
    region = county.execute("SELECT parent_code FROM departments WHERE parent_code IS NOT NULL ORDER BY 1 LIMIT 1").fetchone()[0]
    units = query_df(county, "scope_units", dept=region)["dept_code"]
    assert len(units) > 1
    scoped = outlook(partial(query_df, county), 2024, day, dept=region)
    pd.testing.assert_frame_equal(scoped, out[out["dept_code"].isin(units)].reset_index(drop=True))


def test_the_scope_figures_from_the_raw_payments(county):
    """总览's outlook: the unspent budget and its band, recomputed here from raw payments and the projects' bounds."""
    day = dt.date(2024, 9, 30)
    out = outlook(partial(query_df, county), 2024, day)
    raw = (
        county.execute(
            "SELECT p.project_code, p.budget::DOUBLE AS raw_budget, coalesce(sum(pa.amount), 0)::DOUBLE AS paid"
            " FROM projects p LEFT JOIN payments pa"
            " ON pa.year = p.year AND pa.project_code = p.project_code AND pa.paid_on <= DATE '2024-09-30'"
            " WHERE p.year = 2024 GROUP BY p.project_code, p.budget"
        )
        .df()
        .set_index("project_code")
    )
    rows = out.set_index("project_code").join(raw)
    assert rows["actual"].tolist() == pytest.approx(rows["paid"].tolist())
    assert rows["budget"].tolist() == pytest.approx(rows["raw_budget"].tolist())
    found = scope_outlook(out)
    assert found is not None and found.basis and found.projects == 100
    leftover = sum(b * max(1 - r, 0) for b, r in zip(rows["budget"], rows["forecast"]))
    assert found.unspent == pytest.approx(leftover)
    assert found.unspent_low == pytest.approx(sum(b * max(1 - r, 0) for b, r in zip(rows["budget"], rows["high"])))
    assert found.unspent_low <= found.unspent <= found.unspent_high
    assert found.rate == pytest.approx((rows["budget"] * rows["forecast"]).sum() / rows["budget"].sum())
    flagged = rows[rows["forecast"] < settings().outlook.flag_below].sort_values("forecast")
    assert found.flagged["project_code"].tolist() == flagged.index.tolist() and len(flagged) > 0
    assert ((rows["low"] <= rows["forecast"]) & (rows["forecast"] <= rows["high"])).all()
    assert (rows["low"] >= rows["paid"] / rows["budget"] - 1e-12).all()


def test_quick_backtest_writes_the_outlook(tmp_path):
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"other": 1}), encoding="utf-8")
    subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "outlook.py"), "--quick", "--out", str(out)], check=True, timeout=120)
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["other"] == 1
    assert [r["as_of"] for r in results["outlook"]] == ["06-30", "09-30"]
    for r in results["outlook"]:
        assert {"model_mae_pp", "plan_baseline_mae_pp", "pace_baseline_mae_pp", "coverage_80"} <= set(r)
        assert r["model_mae_pp"] >= 0 and 0 <= r["coverage_80"] <= 1


def test_the_disbursement_s_curve_shows_the_forecast(small_county, tmp_path, monkeypatch):
    """预算执行's S-curve of the picked project carries the year-end forecast and its band, worded under
    it, the same row of monitor.rules.outlook that 项目详情 shows."""
    db = tmp_path / "county.duckdb"
    shutil.copy(small_county, db)
    at = app_on(db, monkeypatch, "app_pages/disbursement.py", as_of="2024-06-30")
    code = at.selectbox(key="project").value
    with closing(connect(db, read_only=True)) as con:
        row = outlook(partial(query_df, con), 2024, dt.date(2024, 6, 30)).set_index("project_code").loc[code]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    curve = next(s for s in specs if "累计支出进度" in s["layout"]["title"]["text"])
    names = [trace.get("name") for trace in curve["data"]]
    assert f"预测（年末 {row['forecast']:.1%}）" in names
    assert any(c.value.startswith("按") and "年末执行率" in c.value for c in at.caption)
