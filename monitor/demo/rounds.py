"""The demo's monitoring rounds (演示数据), so that 监控任务 shows the workflow at work: the half-year
round approved with an open rectification item, and two rounds of the third quarter in progress,
one submitted and one returned with the bureau's comment. Every step goes through the rounds module
(the same checks as on the page), by demo users that exist only as the names of these steps (no
account, no password); the times are fixed afterwards so that building twice gives the same database.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from monitor.auth import User
from monitor.rounds import rectification, tasks
from monitor.rules.indicators import NO_FILTERS
from monitor.store.db import query_df

LABEL = "演示数据"
BUREAU = User(f"县财政局绩效股（{LABEL}）", "admin")
UNIT_STAFF = User(f"科协填报员（{LABEL}）", "editor")
LAGGING = "巨鹿县研究院专项经费"  # the project clearly behind plan (monitor.demo.actuals.PACE)


def write_demo_rounds(con: duckdb.DuckDBPyConnection, year: int, dept: str) -> None:
    """Three rounds for unit `dept` of `year`, each step at a fixed time."""
    half = tasks.create_task(con, BUREAU, year, f"{year}年半年绩效运行监控（{LABEL}）", dt.date(year, 6, 30), dt.date(year, 7, 15), [dept])
    _submit(con, half, dept, year, dt.date(year, 6, 30))
    tasks.approve(con, BUREAU, half, dept)
    snapshot = tasks.latest_snapshot(con, half, dept)
    item = next(i for i in rectification.candidates(snapshot).itertuples() if i.name == LAGGING and not isinstance(i.indicator_id, str))
    requirement = f"{LABEL}：研究院专项经费支付进度严重滞后，请于三季度末前落实合作企业设备调试、加快资金支付，并报送整改情况。"
    rectification.record(con, BUREAU, half, dept, None, item.project_code, True, requirement, dt.date(year, 10, 31))

    third = tasks.create_task(
        con, BUREAU, year, f"{year}年三季度绩效运行监控（{LABEL}）", dt.date(year, 9, 30), dt.date(year, 10, 15), [dept]
    )
    _submit(con, third, dept, year, dt.date(year, 9, 30))
    key = tasks.create_task(
        con, BUREAU, year, f"{year}年三季度重点项目资金监控（{LABEL}）", dt.date(year, 9, 30), dt.date(year, 10, 20), [dept]
    )
    _submit(con, key, dept, year, dt.date(year, 9, 30))
    comment = f"{LABEL}：研究院专项经费执行率仅 17%，请补充滞后原因和四季度支付计划后重新报送。"
    tasks.return_submission(con, BUREAU, key, dept, comment)
    _fix_times(con, year)


def _submit(con: duckdb.DuckDBPyConnection, task_id: int, dept: str, year: int, period_end: dt.date) -> None:
    """The unit's submission: the reported judgements as they stand, and for an indicator not met
    that has none yet, the unit's explanation."""
    rows = query_df(con, "indicator_status", year=year, dept=dept, as_of=period_end, **NO_FILTERS)
    entries = {
        r.indicator_id: {
            "reason": "其他",
            "likelihood": "确定能",
            "reason_detail": f"{LABEL}：截至期末尚未达到年度目标，相关工作安排在四季度完成",
            "forecast_text": "预计能完成年度目标",
        }
        for r in rows.itertuples()
        if r.status == "未达标" and not (isinstance(r.reason, str) and isinstance(r.likelihood, str))
    }
    tasks.submit(con, UNIT_STAFF, task_id, dept, entries)


def _fix_times(con: duckdb.DuckDBPyConnection, year: int) -> None:
    """Each step at a fixed time of its round: a task two days before its period end, a submission
    on the deadline's eve, a review the day after (the rounds module stamps the time of the build)."""
    con.execute(
        "UPDATE round_tasks SET created_at = CAST(period_end - INTERVAL 2 DAY AS TIMESTAMP) + INTERVAL 9 HOUR WHERE year = ?", [year]
    )
    con.execute(
        """UPDATE round_snapshots s SET submitted_at = CAST(t.deadline - INTERVAL 1 DAY AS TIMESTAMP) + INTERVAL 16 HOUR
           FROM round_tasks t WHERE t.task_id = s.task_id AND t.year = ?""",
        [year],
    )
    con.execute(
        """UPDATE round_transitions r
           SET acted_at = CAST(t.deadline - INTERVAL 1 DAY AS TIMESTAMP) + INTERVAL 16 HOUR
                          + CASE WHEN r.action = 'submit' THEN INTERVAL 0 HOUR ELSE INTERVAL 18 HOUR END
           FROM round_tasks t WHERE t.task_id = r.task_id AND t.year = ?""",
        [year],
    )
    con.execute(
        """UPDATE rectifications r SET created_at = CAST(t.deadline AS TIMESTAMP) + INTERVAL 34 HOUR
           FROM round_tasks t WHERE t.task_id = r.task_id AND t.year = ?""",
        [year],
    )
