"""The self-evaluation score on the demo at 03-31, 06-30, 09-30 and 12-31, computed by hand here from
the raw tables (targets, actuals, payments, plan) and compared with the score rule (scores_at): the
mid-year estimate leaves unreported indicators out, the year-end score counts them as 0, and the
department figure is shown with its plain mean, the projects per grade and the lowest project."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from reference_rules import attainment, planned_at

from monitor.store.db import connect, query_df

POINTS = {"产出指标": 50, "成本指标": 50, "效益指标": 30, "满意度指标": 10}
GROUP = {"产出指标": "output", "成本指标": "output", "效益指标": "effect", "满意度指标": "satisfaction"}


def _hand_scores(con, day: dt.date) -> dict[str, dict]:
    estimate = day < dt.date(2023, 12, 31)
    projects = con.execute("SELECT project_code, name, budget FROM projects WHERE year = 2023").fetchall()
    found = {}
    for code, name, budget in projects:
        plan = con.execute(
            "SELECT checkpoint_date, planned_cumulative FROM plan_checkpoints WHERE project_code = ? ORDER BY 1", [code]
        ).fetchall()
        planned = planned_at(day, [(d, float(v)) for d, v in plan])
        paid = float(
            con.execute("SELECT coalesce(sum(amount), 0) FROM payments WHERE project_code = ? AND paid_on <= ?", [code, day]).fetchone()[0]
        )
        execution = 10 * (min(1.0, paid / planned) if planned > 0 else 1.0)
        groups: dict[str, list[float]] = {}
        reported = total = 0
        for indicator_id, level1, op, target in con.execute(
            "SELECT indicator_id, level1, op, target_value FROM indicators WHERE project_code = ?", [code]
        ).fetchall():
            total += 1
            latest = con.execute(
                "SELECT actual_value, actual_text FROM indicator_actuals WHERE indicator_id = ? AND period_end <= ?"
                " ORDER BY period_end DESC, batch_id DESC LIMIT 1",
                [indicator_id, day],
            ).fetchone()
            if latest is None or (latest[0] is None and (op != "qual" or latest[1] is None)):
                if not estimate:
                    groups.setdefault(level1, []).append(0.0)
                continue
            reported += 1
            groups.setdefault(level1, []).append(1.0 if op == "qual" else attainment(op, latest[0], target))
        earned = {g: POINTS[g] * sum(v) / len(v) for g, v in groups.items()}
        score = execution + sum(earned.values()) * 90 / sum(POINTS[g] for g in earned) if earned else None
        found[code] = {"name": name, "budget": float(budget), "score": score, "reporting_rate": reported / total}
    return found


def _grade(score: float) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


@pytest.mark.parametrize("day", ["2023-03-31", "2023-06-30", "2023-09-30", "2023-12-31"])
def test_scores_on_the_demo_against_a_hand_computation(demo_db, day):
    as_of = dt.date.fromisoformat(day)
    con = connect(demo_db, read_only=True)
    try:
        expected = _hand_scores(con, as_of)
        rows = query_df(con, "project_scores", year=2023, dept=None, as_of=as_of)
    finally:
        con.close()
    department = rows[rows["project_code"].isna()].iloc[0]
    for r in rows[rows["project_code"].notna()].itertuples():
        want = expected[r.project_code]
        if want["score"] is None:
            assert r.score != r.score, r.name  # NULL: nothing reported to estimate from
        else:
            assert r.score == pytest.approx(want["score"]), r.name
        assert r.grade == (_grade(want["score"]) if want["score"] is not None else None)
        assert bool(r.estimate) == (as_of < dt.date(2023, 12, 31))
    scored = [p for p in expected.values() if p["score"] is not None]
    if not scored:  # 03-31: nothing reported yet, so no score at all, not 差
        assert department["score"] != department["score"] and department["grade"] is None
        return
    weighted = sum(p["score"] * p["budget"] for p in scored) / sum(p["budget"] for p in scored)
    assert department["score"] == pytest.approx(weighted)
    assert department["mean_score"] == pytest.approx(sum(p["score"] for p in scored) / len(scored))
    grades = [_grade(p["score"]) for p in scored]
    assert [department[f"grade_{g}"] for g in ("excellent", "good", "fair", "poor")] == [grades.count(g) for g in "优良中差"]
    lowest = min(scored, key=lambda p: p["score"])
    assert department["lowest_project"] == lowest["name"] and department["lowest_score"] == pytest.approx(lowest["score"])


def test_the_demo_at_q1_is_not_poor_for_lack_of_reports(demo_db):
    con = connect(demo_db, read_only=True)
    try:
        row = query_df(con, "overview_summary", year=2023, dept=None, as_of=dt.date(2023, 3, 31), amber_pp=5.0, red_pp=15.0).iloc[0]
    finally:
        con.close()
    assert row["grade"] is None and bool(row["estimate"]) and row["reporting_rate"] == 0


@pytest.mark.parametrize(("source", "year"), [("demo_db", 2023), ("small_county", 2024)])
@pytest.mark.parametrize("month_end", [(3, 31), (9, 30), (12, 31)])
def test_the_department_row_counts_the_indicators_as_the_cards_do(source, year, month_end, request):
    """绩效指标 shows its unfiltered cards from the score table's department row (app_pages/indicators.py):
    the same counts as indicator_counts.sql without filters, department-wide indicators included, for
    every region, department and unit and for all of them."""
    con = connect(request.getfixturevalue(source), read_only=True)
    day = dt.date(year, *month_end)
    try:
        units = [None, *query_df(con, "filter_departments", year=year)["dept_code"]]
        for dept in units:
            row = query_df(con, "lowest_scores", year=year, dept=dept, as_of=day, limit=10).iloc[0]
            counts = query_df(con, "indicator_counts", year=year, dept=dept, as_of=day, project=None, level1=None, status=None,
                              off_only=False).iloc[0]  # fmt: skip
            assert pd.isna(row["project_code"])  # the department row comes first
            for column in ("indicators", "met", "off_target", "missing"):
                assert int(row[column]) == int(counts[column]), (dept, column)
    finally:
        con.close()
