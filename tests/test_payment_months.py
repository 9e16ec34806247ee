"""payment_months (totals per project and month) stays equal to the payments it summarises
through every write, and cumulative actuals read through it equal plain sums of payments."""

from __future__ import annotations

import datetime as dt

import pytest
from payment_files import ledger_csv

from monitor.ingest.payments import import_payments
from monitor.store.db import connect
from monitor.store.undo import undo_batch

RECOMPUTED = """
    SELECT year, project_code, date_trunc('month', paid_on)::DATE, sum(amount), count(*)
    FROM payments GROUP BY ALL ORDER BY ALL"""


@pytest.fixture
def con(demo_copy):
    con = connect(demo_copy)
    yield con
    con.close()


def months(con) -> list[tuple]:
    return con.execute("SELECT * FROM payment_months ORDER BY ALL").fetchall()


def test_the_demo_build_fills_it(con):
    assert months(con) and months(con) == con.execute(RECOMPUTED).fetchall()


def test_import_and_undo_keep_it_in_step(con, tmp_path):
    before = months(con)
    check = import_payments(con, ledger_csv(tmp_path / "q4.csv").read_bytes(), "q4.csv", "alice")
    assert months(con) == con.execute(RECOMPUTED).fetchall() != before
    undo_batch(con, check.batch_id, "alice")
    assert months(con) == before  # months the ledger alone had are gone again, not left at 0


def test_a_database_without_it_gets_it_filled_on_open(demo_copy):
    con = connect(demo_copy)
    con.execute("DELETE FROM payment_months")  # as a database from before the table
    con.close()
    con = connect(demo_copy)
    assert months(con) == con.execute(RECOMPUTED).fetchall()
    con.close()


@pytest.mark.parametrize("as_of", ["2023-01-01", "2023-05-17", "2023-06-30", "2023-07-01", "2023-09-24", "2023-12-31"])
def test_cumulative_actuals_equal_plain_sums_mid_month_and_at_month_end(con, as_of):
    day = dt.date.fromisoformat(as_of)
    through_months = con.execute("SELECT project_code, actual_cumulative FROM disbursement_at(2023, ?) ORDER BY 1", [day]).fetchall()
    plain = con.execute(
        """SELECT p.project_code, coalesce(sum(pay.amount), 0) FROM projects p
           LEFT JOIN payments pay ON pay.project_code = p.project_code AND pay.paid_on <= ? AND pay.year = 2023
           WHERE p.year = 2023 GROUP BY 1 ORDER BY 1""",
        [day],
    ).fetchall()
    assert through_months == plain
