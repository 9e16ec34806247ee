"""Indicator status, off-target flag, gap and self-evaluation score against hand-worked cases
on the seed's indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from payment_files import pay

from monitor.rules.indicators import NO_FILTERS
from monitor.store.batches import insert_rows, new_batch
from monitor.store.db import query_df

YJY = "13052923P00584011183Y"  # 巨鹿县研究院专项经费
KEPU = "13052923P00584011181P"  # 科普专项经费
LKX = "13052923P00584011177H"  # 老科协工作经费
QSN = "13052923P005840111856"  # 青少年科技教育经费
JL = "13052923P005840111804"  # 优秀科技工作者奖励资金


def indicator_id(con, project: str, level3: str) -> str:
    return con.execute("SELECT indicator_id FROM indicators WHERE project_code = ? AND level3 = ?", [project, level3]).fetchone()[0]


def report(con, project: str | None, level3: str, value=None, text=None, likelihood=None, period: str = "2023-06-30", reason=None) -> None:
    iid = indicator_id(con, project, level3) if project else level3
    batch = new_batch(con, "indicator_actuals", "constructed", f"t-{iid}-{period}-{value}", 1, "test")
    insert_rows(
        con,
        "indicator_actuals",
        ("year", "project_code", "indicator_id", "period_end", "actual_value", "actual_text", "likelihood", "reason", "batch_id"),
        [(2023, project, iid, dt.date.fromisoformat(period), value, text, likelihood, reason, batch)],
    )


def status(con, project: str | None, level3: str, as_of: str = "2023-09-30") -> dict:
    rows = query_df(con, "indicator_status", year=2023, dept=None, as_of=as_of, **NO_FILTERS)
    match = rows[(rows["level3"] == level3) & ((rows["project_code"] == project) if project else rows["project_code"].isna())]
    assert len(match) == 1
    return match.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("project", "level3", "value", "expected", "gap"),
    [
        (YJY, "研究院利用率", 95.0, "达标", 0.0),  # ≥95%
        (YJY, "研究院利用率", 94.5, "未达标", -0.5),
        (YJY, "研究院数量", 1.0, "达标", 0.0),  # 1 家, bare → >=
        (YJY, "研究院数量", 0.0, "未达标", -1.0),
        (KEPU, "工作经费成本", 80.0, "达标", 7.0),  # 87 万元 cost, bare → <=
        (KEPU, "工作经费成本", 90.5, "未达标", -3.5),
        (LKX, "该项经费所需金额", 2.0, "达标", 0.0),  # ≥2 万元: explicit >= on a cost
        (LKX, "该项经费所需金额", 1.5, "未达标", -0.5),
        (QSN, "科普进校园活动举办次数", 1.0, "达标", 0.0),  # 一年一次 → >= 1 次
        (QSN, "科普进校园活动举办次数", 0.0, "未达标", -1.0),
        (JL, "参赛优秀科技工作者奖励人数", 12.0, "达标", 2.0),  # ≥10 人
        (JL, "参赛优秀科技工作者奖励人数", 9.0, "未达标", -1.0),
    ],
)
def test_each_seed_notation_met_and_unmet(targets_only, project, level3, value, expected, gap):
    report(targets_only, project, level3, value, likelihood="确定能")
    row = status(targets_only, project, level3)
    assert row["status"] == expected
    assert bool(row["off_target"]) == (expected == "未达标")
    assert row["gap"] == pytest.approx(gap)


def test_missing_and_future_actuals_are_not_reported(targets_only):
    assert status(targets_only, YJY, "研究院利用率")["status"] == "未填报"
    report(targets_only, YJY, "研究院利用率", 96.0, period="2023-09-30")
    assert status(targets_only, YJY, "研究院利用率", as_of="2023-09-29")["status"] == "未填报"  # reported for a later period
    assert status(targets_only, YJY, "研究院利用率", as_of="2023-09-30")["status"] == "达标"


def test_latest_period_and_latest_batch_win(targets_only):
    report(targets_only, YJY, "研究院利用率", 90.0, period="2023-06-30")
    report(targets_only, YJY, "研究院利用率", 97.0, period="2023-09-30")
    assert status(targets_only, YJY, "研究院利用率")["latest_actual"] == 97.0
    assert status(targets_only, YJY, "研究院利用率", as_of="2023-08-01")["latest_actual"] == 90.0
    report(targets_only, YJY, "研究院利用率", 93.0, period="2023-09-30")  # a correction of the same period
    assert status(targets_only, YJY, "研究院利用率")["latest_actual"] == 93.0


def test_every_field_comes_from_the_latest_actual_a_blank_included(targets_only):
    """A report supersedes the earlier one whole: a reason or 完成可能性 given in June does not stay on
    an indicator reported on target without one in September, nor on a correction that clears it."""
    report(targets_only, YJY, "研究院利用率", 80.0, likelihood="有可能", reason="经费保障", period="2023-06-30")

    def fields(project: str, level3: str, as_of: str) -> tuple:
        row = status(targets_only, project, level3, as_of=as_of)
        return tuple(None if pd.isna(row[k]) else row[k] for k in ("status", "off_target", "latest_actual", "likelihood", "reason"))

    assert fields(YJY, "研究院利用率", "2023-06-30") == ("未达标", True, 80.0, "有可能", "经费保障")
    report(targets_only, YJY, "研究院利用率", 96.0, period="2023-09-30")
    assert fields(YJY, "研究院利用率", "2023-09-30") == ("达标", False, 96.0, None, None)
    report(targets_only, KEPU, "满意度", 90.0, likelihood="有可能", reason="其他")
    report(targets_only, KEPU, "满意度", 96.0)  # a correction of the same period, without a reason
    assert fields(KEPU, "满意度", "2023-06-30") == ("达标", False, 96.0, None, None)


def test_at_risk_is_off_target_even_when_met(targets_only):
    report(targets_only, KEPU, "满意度", 96.0, likelihood="有可能", reason="其他")
    row = status(targets_only, KEPU, "满意度")
    assert (row["status"], bool(row["off_target"]), row["reason"]) == ("达标", True, "其他")
    report(targets_only, JL, "满意度", 95.0, likelihood="完全不可能")
    assert bool(status(targets_only, JL, "满意度")["off_target"])


def test_department_wide_indicators(targets_only):
    quantitative = targets_only.execute("SELECT indicator_id, description FROM dept_indicators WHERE op <> 'qual' ORDER BY seq").fetchall()
    qualitative = targets_only.execute("SELECT indicator_id, description FROM dept_indicators WHERE op = 'qual' ORDER BY seq").fetchone()
    report(targets_only, None, quantitative[0][0], 9.6)  # 全县基本科学素质公民比例 ≥ 10%
    report(targets_only, None, qualitative[0], text="已推荐 2 名市级优秀人才")
    assert status(targets_only, None, quantitative[0][1])["status"] == "未达标"
    assert status(targets_only, None, qualitative[1])["status"] == "定性待评"
    assert len(query_df(targets_only, "indicator_status", year=2023, dept=None, as_of="2023-09-30", **NO_FILTERS)) == 35 + 7


def scores(con, as_of: str = "2023-09-30") -> dict:
    frame = query_df(con, "project_scores", year=2023, dept=None, as_of=as_of)
    return {r.project_code if isinstance(r.project_code, str) else None: r._asdict() for r in frame.itertuples()}


def test_score_on_a_hand_computed_case(targets_only):
    """巨鹿县研究院专项经费, 7500 元 paid on 05-01, six of its seven indicators reported at 06-30
    (研究院任务完成率 not).

    At 2023-06-30, an estimate (before the year end): plan 10000 元 to date, execution 10 × 7500/10000 = 7.5;
      产出 over its 3 reported indicators (16.67 each): 研究院数量 met 1, 研究院利用率 76/95 = 0.8,
        项目资金金额 2.5 万元 > 2 万元 → 2/2.5 = 0.8 → 50 × 2.6/3 = 43.333…;
      效益 (2 × 15): 工作完成率 met, 长期使用性 95/95 met → 30; 满意度 85/95 → 8.947368…;
      total 7.5 + 43.333 + 30 + 8.947 = 89.78 → 良; 填报率 6/7.
    At 2023-12-31, final: plan 20000 元, execution 10 × 7500/20000 = 3.75; the unreported indicator
      earns 0: 产出 4 × 12.5 → 12.5 × (1 + 0.8 + 0 + 0.8) = 32.5; total 3.75 + 32.5 + 30 + 8.947 = 75.197 → 中."""
    pay(targets_only, YJY, ("2023-05-01", "7500.00"))
    for level3, value in [
        ("研究院数量", 1.0),
        ("研究院利用率", 76.0),
        ("项目资金金额", 2.5),
        ("工作完成率", 96.0),
        ("长期使用性", 95.0),
        ("满意度", 85.0),
    ]:
        report(targets_only, YJY, level3, value)
    estimate = scores(targets_only, "2023-06-30")[YJY]
    assert bool(estimate["estimate"]) and estimate["reporting_rate"] == pytest.approx(6 / 7)
    assert estimate["execution_points"] == pytest.approx(7.5)
    assert estimate["output_points"] == pytest.approx(50 * 2.6 / 3)
    assert estimate["effect_points"] == pytest.approx(30.0)
    assert estimate["satisfaction_points"] == pytest.approx(10 * 85 / 95)
    assert estimate["score"] == pytest.approx(7.5 + 50 * 2.6 / 3 + 30 + 10 * 85 / 95)
    assert estimate["grade"] == "良"
    final = scores(targets_only, "2023-12-31")[YJY]
    assert not bool(final["estimate"])
    assert final["execution_points"] == pytest.approx(3.75)
    assert final["output_points"] == pytest.approx(32.5)
    assert final["score"] == pytest.approx(3.75 + 32.5 + 30 + 10 * 85 / 95)
    assert final["grade"] == "中"


def test_an_estimate_without_any_report_has_no_score(targets_only):
    """Before anything is reported there is nothing to estimate from: no score rather than 差."""
    row = scores(targets_only, "2023-03-31")[YJY]
    assert bool(row["estimate"]) and row["reporting_rate"] == 0
    assert pd.isna(row["score"]) and row["grade"] is None
    assert row["execution_points"] == pytest.approx(0.0)  # nothing paid against the plan to date


def test_net_refunds_earn_no_execution_points_never_minus(targets_only):
    """A refund larger than what was paid (7500 paid, 9000 returned: −1500 net) against 10000 planned
    at 06-30 earns 0 of the 10 points, not −1.5: the official 自评表 scores 预算执行 from 0 to 10."""
    pay(targets_only, YJY, ("2023-05-01", "7500.00"), ("2023-06-02", "-9000.00"))
    report(targets_only, YJY, "研究院数量", 1.0)
    row = scores(targets_only, "2023-06-30")[YJY]
    assert row["actual_cumulative"] == Decimal("-1500.00")
    assert row["execution_points"] == pytest.approx(0.0)
    assert row["score"] == pytest.approx(0.0 + 90.0)  # the one reported indicator is met: all of an estimate's 90


def test_weights_split_a_level_and_grades(targets_only):
    targets_only.execute("UPDATE indicators SET weight = 3 WHERE project_code = ? AND level3 = '研究院利用率'", [YJY])
    for level3 in ("研究院数量", "研究院任务完成率", "项目资金金额", "工作完成率", "长期使用性", "满意度"):
        report(targets_only, YJY, level3, 1.0 if level3 == "研究院数量" else (1.0 if level3 == "项目资金金额" else 99.0))
    report(targets_only, YJY, "研究院利用率", 0.0)  # weight 3 of 6 in 产出 → half of 50 lost
    row = scores(targets_only, "2023-06-30")[YJY]
    assert row["output_points"] == pytest.approx(25.0)
    assert row["execution_points"] == pytest.approx(0.0)  # nothing paid against 10000 planned
    assert row["score"] == pytest.approx(65.0) and row["grade"] == "中"


def test_department_score_is_budget_weighted(demo_db):
    from monitor.store.db import connect

    con = connect(demo_db, read_only=True)
    try:
        rows = scores(con)
    finally:
        con.close()
    projects = [r for code, r in rows.items() if code is not None]
    expected = sum(r["score"] * r["budget"] for r in projects) / sum(r["budget"] for r in projects)
    assert rows[None]["score"] == pytest.approx(expected)
    assert {r["grade"] for r in rows.values()} <= {"优", "良", "中", "差"}
