"""总览 headline query against figures computed in Python from the raw rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from monitor.db import query_rows


@pytest.fixture(scope="module")
def con(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("day", ["2022-12-31", "2023-01-01", "2023-03-31", "2023-06-30", "2023-07-20", "2023-09-24", "2024-01-31"])
@pytest.mark.parametrize("dept", [None, "731001", "999999"])
def test_headline_matches_python(con, day, dept):
    projects = con.execute("SELECT project_code, dept_code, budget FROM projects WHERE year = 2023").fetchall()
    scope = {code: budget for code, d, budget in projects if dept is None or d == dept}
    payments = con.execute("SELECT project_code, paid_on, amount FROM payments WHERE year = 2023").fetchall()
    actual = sum((a for code, paid_on, a in payments if code in scope and paid_on <= dt.date.fromisoformat(day)), Decimal(0))
    budget = sum(scope.values(), Decimal(0))

    count, got_budget, got_actual, rate = query_rows(con, "overview_headline", year=2023, dept=dept, as_of=day)[0]
    assert (count, got_budget, got_actual) == (len(scope), budget, actual)
    assert rate == (pytest.approx(float(actual / budget)) if budget else None)
    if dept != "999999":
        assert got_budget == Decimal("940000.00")


def test_refunds_reduce_actual(con):
    refunds = con.execute("SELECT sum(amount) FROM payments WHERE amount < 0").fetchone()[0]
    gross = con.execute("SELECT sum(amount) FROM payments WHERE amount > 0").fetchone()[0]
    assert query_rows(con, "overview_headline", year=2023, dept=None, as_of="2023-12-31")[0][2] == gross + refunds
