"""Disbursement rules (DESIGN.md) against hand-computed values on the seed's plans, status on
constructed cases, and `monitor status` agreeing with both."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from payment_files import pay
from reference_rules import planned_at

from monitor.rules.disbursement import status_report, threshold_params
from monitor.rules.indicators import indicator_report
from monitor.store.batches import insert_rows, new_batch
from monitor.store.db import REPO_ROOT, connect, query_df

KEPU = "13052923P00584011181P"  # 科普专项经费, budget 870000: 217500 / 430000 / 652500 / 870000 at 3-31, 6-30, 10-31, 12-31
YJY = "13052923P00584011183Y"  # 巨鹿县研究院专项经费, budget 20000: 5000 / 10000 / 15000 / 20000


KEPU_PLAN = [
    (dt.date(2023, 3, 31), 217500.0),
    (dt.date(2023, 6, 30), 430000.0),
    (dt.date(2023, 10, 31), 652500.0),
    (dt.date(2023, 12, 31), 870000.0),
]


def project_row(con, project: str, as_of: str, dept: str | None = None) -> dict:
    frame = query_df(con, "project_status", year=2023, dept=dept, as_of=as_of, limit=None, **threshold_params())
    return (
        frame[frame["project_code"].isna()].iloc[0].to_dict() if project is None else frame.set_index("project_code").loc[project].to_dict()
    )


def quarters(con, project: str | None, as_of: str) -> dict[int, tuple]:
    frame = query_df(con, "quarterly_disbursement", year=2023, dept=None, as_of=as_of)
    rows = frame[frame["project_code"].isna()] if project is None else frame[frame["project_code"] == project]
    return {int(r.quarter): (r.planned, r.actual, r.planned_cumulative, r.actual_cumulative) for r in rows.itertuples()}


def test_quarterly_planned_interpolates_the_third_quarter(targets_only):
    q = quarters(targets_only, KEPU, "2023-12-31")
    q3_end = 430000 + 222500 * 92 / 123  # 9月底 between 6月底 and 10月底
    assert q[1][0] == pytest.approx(217500)
    assert q[2][0] == pytest.approx(430000 - 217500)
    assert q[3][0] == pytest.approx(round(q3_end, 2) - 430000)
    assert q[4][0] == pytest.approx(870000 - round(q3_end, 2))
    assert sum(v[0] for v in q.values()) == pytest.approx(870000)


def test_actual_by_quarter_and_cumulative_with_refund(targets_only):
    pay(
        targets_only,
        KEPU,
        ("2023-02-10", "100000.00"),
        ("2023-03-31", "50000.00"),
        ("2023-04-01", "80000.00"),
        ("2023-05-20", "-5000.00"),
        ("2023-08-15", "60000.00"),
    )
    q = quarters(targets_only, KEPU, "2023-08-15")
    assert [q[i][1] for i in (1, 2, 3)] == [150000, 75000, 60000]
    assert [q[i][3] for i in (1, 2, 3)] == [150000, 225000, 285000]
    assert q[4][1] != q[4][1]  # not begun yet: NaN from SQL NULL
    assert quarters(targets_only, KEPU, "2023-05-19")[2][1] == 80000  # as-of cuts the quarter
    row = project_row(targets_only, KEPU, "2023-08-15")
    assert row["actual_cumulative"] == 285000


@pytest.mark.parametrize(
    "as_of",
    [
        "2022-12-31",
        "2023-01-01",
        "2023-02-15",
        "2023-03-31",
        "2023-05-15",
        "2023-06-30",
        "2023-09-30",
        "2023-11-20",
        "2023-12-31",
        "2024-02-01",
    ],
)
def test_figures_against_hand_computation(targets_only, as_of):
    pay(targets_only, KEPU, ("2023-01-15", "200000.00"), ("2023-07-01", "250000.00"), ("2023-10-10", "-10000.00"))
    day = dt.date.fromisoformat(as_of)
    actual = sum(a for d, a in [(dt.date(2023, 1, 15), 200000), (dt.date(2023, 7, 1), 250000), (dt.date(2023, 10, 10), -10000)] if d <= day)
    planned = planned_at(day, KEPU_PLAN)
    row = project_row(targets_only, KEPU, as_of)
    assert row["planned_cumulative"] == pytest.approx(planned)
    assert row["actual_cumulative"] == pytest.approx(actual)
    assert row["execution_rate"] == pytest.approx(actual / 870000)
    assert row["gap"] == pytest.approx(actual - planned)
    assert row["gap_pp"] == pytest.approx((actual - planned) / 870000 * 100)
    elapsed = min(max((day - dt.date(2023, 1, 1)).days + 1, 0), 365)
    assert row["time_progress"] == pytest.approx(elapsed / 365)
    # actual so far + plan still to come, at most the budget (the actual when it is over the budget)
    assert row["forecast"] == pytest.approx(actual if actual > 870000 else min(870000, actual + (870000 - planned)))
    assert row["forecast_rule"] == row["forecast"] and not bool(row["forecast_entered"])


def test_entered_forecast_wins(targets_only):
    batch = new_batch(targets_only, "forecasts", "constructed", "f", 2, "test")
    insert_rows(
        targets_only,
        "forecasts",
        ("year", "project_code", "entered_on", "forecast", "batch_id"),
        [(2023, KEPU, dt.date(2023, 6, 30), Decimal("800000.00"), batch), (2023, KEPU, dt.date(2023, 9, 30), Decimal("820000.00"), batch)],
    )
    assert project_row(targets_only, KEPU, "2023-07-15")["forecast"] == 800000
    assert project_row(targets_only, KEPU, "2023-10-01")["forecast"] == 820000
    assert bool(project_row(targets_only, KEPU, "2023-10-01")["forecast_entered"])
    assert not bool(project_row(targets_only, KEPU, "2023-06-29")["forecast_entered"])


@pytest.mark.parametrize(
    ("payments", "as_of", "status", "reason"),
    [
        ([("2023-03-31", "5000.00"), ("2023-06-30", "5000.00")], "2023-06-30", "green", "on_plan"),  # exactly on plan
        ([("2023-03-31", "5000.00")], "2023-06-30", "red", "far_behind"),  # 25 pp behind
        ([("2023-03-31", "5000.00"), ("2023-06-20", "3500.00")], "2023-06-30", "amber", "behind"),  # 7.5 pp behind
        ([("2023-03-31", "5000.00"), ("2023-06-20", "4500.00")], "2023-06-30", "green", "on_plan"),  # 2.5 pp behind: tolerated
        ([("2023-03-01", "20000.00"), ("2023-06-01", "500.00")], "2023-06-30", "red", "over_budget"),
        ([], "2023-01-10", "amber", "not_started"),  # nothing spent while the plan is due (2.5 pp)
        ([], "2023-02-10", "amber", "not_started"),  # 11.2 pp behind, said as "nothing spent yet"
        ([], "2023-04-10", "red", "far_behind"),
        ([], "2022-12-31", "green", "on_plan"),  # nothing due yet (the plan starts at the end of 31 December)
        ([("2023-02-01", "9000.00")], "2023-03-31", "green", "ahead"),
    ],
)
def test_status_on_constructed_cases(targets_only, payments, as_of, status, reason):
    if payments:
        pay(targets_only, YJY, *payments)
    row = project_row(targets_only, YJY, as_of)
    assert (row["status"], row["status_reason"]) == (status, reason)


def test_thresholds_come_from_the_config_file(targets_only, tmp_path, monkeypatch):
    pay(targets_only, YJY, ("2023-03-31", "5000.00"), ("2023-06-20", "3500.00"))  # 7.5 pp behind at 6-30
    assert project_row(targets_only, YJY, "2023-06-30")["status"] == "amber"
    config = tmp_path / "monitoring.toml"
    config.write_text("[disbursement]\namber_behind_pp = 10\nred_behind_pp = 20\n", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(config))
    assert project_row(targets_only, YJY, "2023-06-30")["status"] == "green"


@pytest.mark.parametrize("as_of", ["2023-03-31", "2023-08-15", "2023-09-30", "2024-01-10"])
def test_cli_json_agrees_with_the_queries(demo_db, as_of):
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "status", "--year", "2023", "--as-of", as_of, "--db", str(demo_db), "--json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    con = connect(demo_db, read_only=True)
    try:
        day = dt.date.fromisoformat(as_of)
        assert report == status_report(con, 2023, day) | indicator_report(con, 2023, day)
        kepu = next(p for p in report["projects"] if p["project_code"] == KEPU)
        paid = con.execute("SELECT sum(amount) FROM payments WHERE project_code = ? AND paid_on <= ?", [KEPU, as_of]).fetchone()[0]
    finally:
        con.close()
    assert kepu["planned_cumulative"] == planned_at(dt.date.fromisoformat(as_of), KEPU_PLAN)
    assert kepu["actual_cumulative"] == float(paid)
    assert {p["status"] for p in report["projects"]} <= {"green", "amber", "red"}
    assert len(report["quarters"]) == 5 * 4
    total = report["total"]
    assert total["budget"] == 940000.0
    assert total["actual_cumulative"] == pytest.approx(sum(p["actual_cumulative"] for p in report["projects"]))
    assert total["planned_cumulative"] == pytest.approx(sum(p["planned_cumulative"] for p in report["projects"]))
    assert set(report["projects"][0]) == {
        "project_code",
        "name",
        "budget",
        "planned_cumulative",
        "actual_cumulative",
        "execution_rate",
        "gap",
        "gap_pp",
        "time_progress",
        "status",
        "status_reason",
        "forecast",
    }


@pytest.mark.parametrize("as_of", ["2023-02-15", "2023-06-30", "2023-09-24", "2023-12-31"])
def test_quarterly_totals_equal_the_total_rows_of_the_per_project_query(demo_db, as_of):
    """quarterly_totals takes the macro's totals-only path; it must agree with the per-project one."""
    con = connect(demo_db, read_only=True)
    try:
        full = query_df(con, "quarterly_disbursement", year=2023, dept=None, as_of=as_of)
        totals = query_df(con, "quarterly_totals", year=2023, dept=None, as_of=as_of)
        per_project = full[full["project_code"].notna()].groupby("quarter")[["planned", "planned_cumulative"]].sum()
    finally:
        con.close()
    expected = full[full["project_code"].isna()].drop(columns="project_code").reset_index(drop=True)
    pd.testing.assert_frame_equal(totals.drop(columns="project_code").reset_index(drop=True), expected)
    assert totals["planned"].tolist() == per_project["planned"].tolist()


@pytest.mark.parametrize("as_of", ["2023-05-17", "2023-09-24"])
def test_project_page_queries_equal_the_rows_of_the_whole_unit(demo_db, as_of):
    """项目详情 computes one project alone (only_project); it must agree with the unit-wide queries."""
    con = connect(demo_db, read_only=True)
    try:
        status = query_df(con, "project_status", year=2023, dept=None, as_of=as_of, limit=None, **threshold_params())
        scores = query_df(con, "project_scores", year=2023, dept=None, as_of=as_of).set_index("project_code")
        quarters = query_df(con, "quarterly_disbursement", year=2023, dept=None, as_of=as_of)
        for code in status["project_code"].dropna():
            one = query_df(con, "project_figures", year=2023, project=code, as_of=as_of, **threshold_params()).iloc[0]
            whole = status.set_index("project_code").loc[code]
            for column in ("budget", "planned_cumulative", "actual_cumulative", "gap_pp", "forecast", "status", "status_reason"):
                assert one[column] == whole[column], (code, column)
            assert one["score"] == pytest.approx(scores.loc[code, "score"], nan_ok=True) and one["grade"] == scores.loc[code, "grade"]
            mine = query_df(con, "project_quarters", year=2023, project=code, as_of=as_of)
            expected = quarters[quarters["project_code"] == code].reset_index(drop=True)
            pd.testing.assert_frame_equal(mine, expected)
    finally:
        con.close()
