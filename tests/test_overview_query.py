"""The total row of queries/pages/project_status.sql (总览 headline) against Python sums of raw rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from monitor.fmt import plain
from monitor.rules.disbursement import threshold_params
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
