"""Figures a leader can trust at the review: the as-of date rule, a forecast within the budget,
totals that show their parts, entered forecasts that win and are undoable. (The as-of date
following an import in a session: tests/test_data_page.py.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from payment_files import write_csv

from monitor.cli import main
from monitor.rules.disbursement import status_counts, threshold_params
from monitor.rules.headline import default_as_of
from monitor.store.db import connect, query_df
from monitor.store.undo import undo_batch

LAO = "13052923P00584011177H"  # 老科协工作经费: ahead of plan, budget 20,000 元
KEPU = "13052923P00584011181P"  # 科普专项经费


def test_default_as_of_date():
    assert default_as_of(2023, dt.date(2023, 5, 6), dt.date(2023, 4, 1)) == (dt.date(2023, 5, 6), "today")
    assert default_as_of(2023, dt.date(2026, 12, 1), dt.date(2023, 9, 30)) == (dt.date(2023, 9, 30), "latest")
    assert default_as_of(2023, dt.date(2026, 12, 1), None) == (dt.date(2023, 12, 31), "year_bound")
    assert default_as_of(2027, dt.date(2026, 12, 1), None) == (dt.date(2027, 1, 1), "year_bound")


def _status(db, as_of: str):
    con = connect(db, read_only=True)
    try:
        return query_df(con, "project_status", year=2023, dept=None, as_of=dt.date.fromisoformat(as_of), limit=None, **threshold_params())
    finally:
        con.close()


@pytest.mark.parametrize("as_of", ["2023-06-30", "2023-09-30", "2023-12-31"])
def test_the_rule_forecast_never_exceeds_the_budget(demo_db, as_of):
    rows = _status(demo_db, as_of)
    projects = rows[rows["project_code"].notna()]
    over = projects[projects["actual_cumulative"] > projects["budget"]]
    assert (projects.loc[~projects.index.isin(over.index), "forecast"] <= projects["budget"]).all()
    lao = projects[projects["project_code"] == LAO].iloc[0]
    if as_of != "2023-12-31":  # the demo's payments end in September
        assert lao["actual_cumulative"] > lao["planned_cumulative"]  # ahead of plan ...
        assert lao["forecast"] == lao["budget"] == Decimal("20000.00")  # ... finishes at its budget


def test_a_total_row_shows_the_counts_of_its_projects(demo_db):
    rows = _status(demo_db, "2023-09-30")
    total, projects = rows[rows["project_code"].isna()].iloc[0], rows[rows["project_code"].notna()]
    words = {"on_plan": "正常", "ahead": "正常", "behind": "滞后", "not_started": "滞后", "far_behind": "严重滞后"}
    expected = {}
    for reason in projects["status_reason"]:
        expected[words[reason]] = expected.get(words[reason], 0) + 1
    assert status_counts(total) == " · ".join(f"{w} {expected[w]}" for w in ("正常", "滞后", "严重滞后") if w in expected)
    assert sum(expected.values()) == 5


def test_an_entered_forecast_over_the_budget_is_its_own_status_and_undoable(demo_copy, tmp_path, capsys):
    path = write_csv(
        tmp_path / "forecasts.csv",
        ["项目编码", "截至日期", "全年预计执行数（万元）", "偏差原因", "原因说明"],
        [[LAO, "2023-09-30", "2.40", "其他", "年底追加活动"]],
    )
    assert main(["import", "forecasts", str(path), "--year", "2023", "--db", str(demo_copy)]) == 0
    assert main(["import", "forecasts", str(path), "--year", "2023", "--db", str(demo_copy)]) == 0  # the same file adds nothing
    rows = _status(demo_copy, "2023-09-30")
    lao = rows[rows["project_code"] == LAO].iloc[0]
    assert lao["forecast"] == Decimal("24000.00") and bool(lao["forecast_entered"]) and lao["forecast_rule"] == Decimal("20000.00")
    assert (lao["status"], lao["status_reason"], lao["forecast_reason"]) == ("amber", "forecast_over_budget", "其他")
    assert _status(demo_copy, "2023-09-29").set_index("project_code").loc[LAO, "forecast_entered"] == False  # noqa: E712 (before it)
    con = connect(demo_copy)
    try:
        batches = con.execute("SELECT batch_id FROM import_batches WHERE kind = 'forecasts'").fetchall()
        assert len(batches) == 1
        undo_batch(con, batches[0][0], "test")
    finally:
        con.close()
    assert _status(demo_copy, "2023-09-30").set_index("project_code").loc[LAO, "forecast"] == Decimal("20000.00")
