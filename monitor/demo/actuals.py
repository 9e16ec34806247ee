"""Deterministic synthetic actuals for the demo (演示数据): payments and indicator values.

The targets are the seed's; the actuals are invented so every page has something to show:
payments from January to the end of September following each project's plan at its own
pace (one on plan, one clearly behind, one ahead, one slightly behind, one with a refund),
and indicator actuals at 6月底 and 9月底 with a few off target and at risk.
Same targets in → same actuals out (seeded by year and project code, no clock involved).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import duckdb

from monitor.ingest.actuals import COLUMNS_STORED
from monitor.ingest.target_set import Project, TargetSet
from monitor.store import payment_months
from monitor.store.batches import insert_rows, new_batch
from monitor.store.db import query_rows

DEMO_LABEL = "演示数据"
LAST_MONTH = 9  # payments run to the end of September of the demo year
PERIOD_ENDS = ((6, 30), (9, 30))

# Pace of spending relative to the plan, by project name; projects not listed are on plan.
PACE = {"巨鹿县研究院专项经费": 0.25, "老科协工作经费": 1.3, "优秀科技工作者奖励资金": 0.9, "科普专项经费": 0.98}
REFUND = {"青少年科技教育经费": (7, Decimal("-1200.00"), "退回多付的活动场地费")}

# Indicators deliberately off target: (project, level3) → {month: value}, reason, detail, action.
OFF_TARGET = {
    ("巨鹿县研究院专项经费", "研究院利用率"): (
        {6: 82.0, 9: 78.0},
        "有可能",
        "硬件条件保障",
        "合作企业设备调试延后，研究院利用率低于预期",
        "协调合作企业开放设备，四季度集中安排研究任务",
    ),
    ("巨鹿县研究院专项经费", "研究院任务完成率"): (
        {6: 60.0, 9: 70.0},
        "有可能",
        "经费保障",
        "专项经费支付滞后，部分任务未启动",
        "加快资金支付，按月调度任务进度",
    ),
    ("科普专项经费", "科普活动参与率"): (
        {6: 93.0, 9: 96.0},
        "确定能",
        "人员保障",
        "二季度基层科普员调整，参与率一度偏低",
        "已补充科普志愿者",
    ),
    ("老科协工作经费", "满意率"): ({6: 99.2, 9: 97.5}, "有可能", "其他", "部分老年会员对活动频次不满意", "四季度增加科普讲座场次"),
}
NOT_REPORTED = {("青少年科技教育经费", "科普进校园活动举办次数")}  # 活动安排在 11 月, nothing reported yet

DEPT_ACTUALS = {  # description prefix → (value, text) at 9月底
    "确保全县基本科学素质公民比例": (9.6, "据抽样调查，全县具备基本科学素质公民比例约 9.6%"),
    "老科协科普活动规范化开展": (1.0, "探索开展“线上科普课堂”一种新方式"),
}


def write_demo_actuals(con: duckdb.DuckDBPyConnection, targets: TargetSet, user: str) -> None:
    """Generate and store the demo payments and indicator actuals (two batches, both 演示数据)."""
    payments = [row for p in targets.projects for row in _payments(con, targets.year, p)]
    batch = new_batch(con, "payments", f"{DEMO_LABEL}（程序生成的支付流水）", "demo-payments", len(payments), user, is_demo=True)
    payment_months.insert(
        con,
        ("year", "project_code", "paid_on", "amount", "voucher_no", "summary", "fund_source", "payee", "batch_id"),
        [(*row, batch) for row in payments],
        batch,
    )

    actuals = _indicator_actuals(con, targets)
    batch = new_batch(
        con, "indicator_actuals", f"{DEMO_LABEL}（程序生成的指标完成值）", "demo-indicator-actuals", len(actuals), user, is_demo=True
    )
    insert_rows(
        con,
        "indicator_actuals",
        COLUMNS_STORED,
        [(*row, batch) for row in actuals],
    )


def _planned(con: duckdb.DuckDBPyConnection, year: int, day: dt.date) -> dict[str, Decimal]:
    return dict(query_rows(con, "planned_cumulative", year=year, as_of=day))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _payments(con: duckdb.DuckDBPyConnection, year: int, p: Project) -> list[tuple]:
    rng = random.Random(f"{year}-{p.project_code}-payments")
    pace = Decimal(str(PACE.get(p.name, 1.0)))
    rows: list[tuple] = []
    paid = Decimal(0)
    for month in range(1, LAST_MONTH + 1):
        target = _planned(con, year, _month_end(year, month))[p.project_code] * pace
        due = min(target - paid, p.budget - paid).quantize(Decimal("1"))  # whole 元
        parts = 1 if due < 20000 else rng.choice((2, 3))
        for k in range(parts):
            amount = (
                (due / parts).quantize(Decimal("0.01")) if k < parts - 1 else due - (due / parts).quantize(Decimal("0.01")) * (parts - 1)
            )
            if amount <= 0:
                continue
            day = dt.date(year, month, min(3 + k * 9 + rng.randrange(8), 27))
            rows.append(
                (
                    year,
                    p.project_code,
                    day,
                    amount,
                    f"DEMO-{p.project_code[-4:]}-{month:02d}{k + 1}",
                    f"{DEMO_LABEL}：{p.name}{month}月支出",
                    "一般公共预算",
                    "演示收款单位",
                )
            )
            paid += amount
    if p.name in REFUND:
        month, amount, summary = REFUND[p.name]
        rows.append(
            (
                year,
                p.project_code,
                dt.date(year, month, 20),
                amount,
                f"DEMO-{p.project_code[-4:]}-R{month:02d}",
                f"{DEMO_LABEL}：{summary}",
                "一般公共预算",
                "演示收款单位",
            )
        )
    return rows


def _paid_to(con: duckdb.DuckDBPyConnection, year: int, day: dt.date) -> dict[str, Decimal]:
    rows = con.execute(
        "SELECT project_code, sum(amount) FROM payments WHERE year = ? AND paid_on <= ? GROUP BY ALL", [year, day]
    ).fetchall()
    return dict(rows)


def _indicator_actuals(con: duckdb.DuckDBPyConnection, targets: TargetSet) -> list[tuple]:
    year = targets.year
    ids = dict(
        ((code, seq), iid)
        for code, seq, iid in con.execute("SELECT project_code, seq, indicator_id FROM indicators WHERE year = ?", [year]).fetchall()
    )
    rows: list[tuple] = []
    for month, day in PERIOD_ENDS:
        period_end = dt.date(year, month, day)
        paid = _paid_to(con, year, period_end)
        for p in targets.projects:
            rng = random.Random(f"{year}-{p.project_code}-{month}-indicators")
            for seq, ind in enumerate(p.indicators, start=1):
                key = (p.name, ind.level3)
                if key in NOT_REPORTED:
                    continue
                iid = ids[(p.project_code, seq)]
                if key in OFF_TARGET:
                    values, likelihood, reason, detail, action = OFF_TARGET[key]
                    rows.append((year, p.project_code, iid, period_end, values[month], None, likelihood, reason, detail, action))
                    continue
                value = _on_target_value(ind.op, ind.target_value, ind.unit, paid.get(p.project_code, Decimal(0)), rng)
                rows.append((year, p.project_code, iid, period_end, value, None, "确定能", None, None, None))
    period_end = dt.date(year, 9, 30)
    for d in targets.departments:
        for seq, ind in enumerate(d.indicators, start=1):
            found = next((v for prefix, v in DEPT_ACTUALS.items() if ind.description.startswith(prefix)), None)
            value, text = found if found else (None, "按计划推进")
            rows.append((year, None, f"{d.dept_code}-D{seq:02d}", period_end, value, text, "确定能", None, None, None))
    return rows


def _on_target_value(op: str, target: float | None, unit: str | None, paid: Decimal, rng: random.Random) -> float | None:
    """A plausible value that meets its target."""
    if op == "qual" or target is None:
        return None
    if unit == "万元":  # cost indicators report the money actually spent so far
        return float((paid / 10000).quantize(Decimal("0.01")))
    if unit == "%":
        return round(min(100.0, target + rng.uniform(0.5, 4.0)), 1)
    return float(target + (rng.randrange(2) if unit == "次" else 0))  # counts: the target, activities sometimes one more
