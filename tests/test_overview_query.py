"""The total row of queries/pages/project_status.sql (总览 headline) against Python sums of raw rows,
and 需要关注 (queries/pages/attention.sql) against the tables of 预算执行 and 绩效指标."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from monitor.fmt import plain
from monitor.rules.disbursement import threshold_params
from monitor.rules.indicators import NO_FILTERS
from monitor.store.db import connect, query_df


@pytest.fixture(scope="module")
def con(demo_db):
    con = connect(demo_db, read_only=True)
    yield con
    con.close()


def total_row(con, day: str, dept: str | None):
    rows = query_df(con, "project_status", year=2023, dept=dept, as_of=day, limit=None, **threshold_params())
    return rows[rows["project_code"].isna()]


@pytest.mark.parametrize("day", ["2022-12-31", "2023-01-01", "2023-03-31", "2023-06-30", "2023-07-20", "2023-09-24", "2024-01-31"])
@pytest.mark.parametrize("dept", [None, "731001"])
def test_total_matches_python(con, day, dept):
    projects = con.execute("SELECT project_code, dept_code, budget FROM projects WHERE year = 2023").fetchall()
    scope = {code: budget for code, d, budget in projects if dept is None or d == dept}
    payments = con.execute("SELECT project_code, paid_on, amount FROM payments WHERE year = 2023").fetchall()
    actual = sum((a for code, paid_on, a in payments if code in scope and paid_on <= dt.date.fromisoformat(day)), Decimal(0))
    budget = sum(scope.values(), Decimal(0))
    total = total_row(con, day, dept).iloc[0]
    assert Decimal(str(total["budget"])) == budget == Decimal("940000.00")
    assert Decimal(str(total["actual_cumulative"])) == actual
    assert total["execution_rate"] == pytest.approx(float(actual / budget))


def test_no_total_row_for_an_empty_scope(con):
    assert total_row(con, "2023-06-30", "999999").empty


def test_refunds_reduce_actual(con):
    refunds = con.execute("SELECT sum(amount) FROM payments WHERE amount < 0").fetchone()[0]
    gross = con.execute("SELECT sum(amount) FROM payments WHERE amount > 0").fetchone()[0]
    assert refunds < 0
    assert Decimal(str(total_row(con, "2023-12-31", None).iloc[0]["actual_cumulative"])) == gross + refunds


def test_plain_makes_markup_inert():
    assert plain("**粗体** [链接](javascript:alert(1)) <b>x</b> $x$") == (
        "\\*\\*粗体\\*\\* \\[链接\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>x\\</b\\> \\$x\\$"
    )


def test_a_department_or_region_filter_covers_the_units_below(targets_only):
    from monitor.store.batches import insert_rows

    insert_rows(
        targets_only,
        "departments",
        ("dept_code", "name", "parent_code", "region_code", "level"),
        [("130529", "巨鹿县", None, "130529", "财政区划"), ("7310", "巨鹿县科学技术协会", "130529", "130529", "部门")],
    )
    targets_only.execute("UPDATE departments SET parent_code = '7310' WHERE dept_code = '731001'")
    for scope in ("130529", "7310", "731001"):
        rows = query_df(targets_only, "project_status", year=2023, dept=scope, as_of="2023-06-30", limit=None, **threshold_params())
        assert len(rows) == 6 and float(rows[rows["project_code"].isna()].iloc[0]["budget"]) == 940000.0, scope
    assert query_df(targets_only, "project_status", year=2023, dept="130530", as_of="2023-06-30", limit=None, **threshold_params()).empty
    listed = query_df(targets_only, "filter_departments", year=2023)
    assert list(listed["dept_code"]) == ["130529", "7310", "731001"]
    assert list(listed["name"]) == ["巨鹿县（财政区划）", "巨鹿县科学技术协会（部门）", "巨鹿县科学技术协会本级"]


@pytest.mark.parametrize(
    ("database", "year", "day", "dept"),
    [
        ("demo_db", 2023, "2023-06-30", None),
        ("demo_db", 2023, "2023-09-30", None),
        ("demo_db", 2023, "2023-09-30", "731001"),
        ("small_county", 2024, "2024-07-31", None),
        ("small_county", 2024, "2024-09-30", None),
    ],
)
def test_attention_lists_what_the_tables_of_the_other_pages_show(request, database, year, day, dept):
    """需要关注 (queries/pages/attention.sql, one statement for its three kinds) picks from the same
    figures as 预算执行's and 绩效指标's tables: the projects not 正常, red before amber, furthest
    behind first; the off-target indicators, 未达标 first, the largest relative shortfall first,
    with what was reported; the unreported ones per project once a reporting date has passed."""
    limit, due = 10, dt.date(year, 6, 30)
    with connect(request.getfixturevalue(database), read_only=True) as con:
        rows = query_df(con, "attention", year=year, dept=dept, as_of=day, due=due, limit=limit, **threshold_params())
        projects = query_df(con, "project_status", year=year, dept=dept, as_of=day, limit=None, **threshold_params())
        indicators = query_df(con, "indicator_status", year=year, dept=dept, as_of=day, **NO_FILTERS)

    behind = projects[projects["project_code"].notna() & (projects["status"] != "green")]
    behind = behind.assign(amber=behind["status"] == "amber").sort_values(["amber", "gap_pp", "project_code"]).head(limit)
    shown = rows[rows["kind"] == "project"]
    assert shown["project_code"].tolist() == behind["project_code"].tolist()
    assert shown["status_reason"].tolist() == behind["status_reason"].tolist()

    off = indicators[indicators["off_target"]]
    off = (
        off.assign(met_first=off["status"] != "未达标", shortfall=off["gap"] / off["target_value"].abs().replace(0, float("nan")))
        .sort_values(["met_first", "shortfall", "project_code", "seq"], na_position="last")
        .head(limit)
    )
    shown = rows[rows["kind"] == "indicator"]
    columns = [
        "project_code",
        "level3",
        "target_text",
        "status",
        "actual_text",
        "likelihood",
        "reason",
        "reason_detail",
        "corrective_action",
    ]
    assert _values(shown, columns) == _values(off, columns)
    assert shown["latest_actual"].tolist() == pytest.approx(off["latest_actual"].tolist(), nan_ok=True)

    missing = indicators[indicators["status"] == "未填报"].groupby("project_code", dropna=False).size()
    missing = missing.reset_index(name="n").sort_values(["n", "project_code"], ascending=[False, True], na_position="last").head(limit)
    shown = rows[rows["kind"] == "missing"]
    assert shown["missing"].tolist() == missing["n"].tolist()
    assert [len(shown), len(rows[rows["kind"] == "indicator"])] == [min(limit, len(missing)), min(limit, len(off))]


def _values(frame, columns: list[str]) -> list[list]:
    """Rows as lists, every missing value None (pandas shows NULL text as None or NaN by column type)."""
    return frame[columns].astype(object).where(frame[columns].notna(), None).values.tolist()
