"""Keeping payment_months (totals per project and month, queries/schema.sql) in step with payments.

Every write of payments calls `add_batch` after inserting a batch's rows, or `remove_batch`
before deleting them, inside the same transaction, so the totals never disagree with the
payments a reader sees."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from monitor.store.batches import insert_rows
from monitor.store.db import sql


def insert(con: duckdb.DuckDBPyConnection, columns: Sequence[str], rows: Sequence[Sequence], batch_id: int) -> None:
    """Insert payments of batch `batch_id` given as rows of bound values (the demo's, a test's)
    and add them to the monthly totals. Imports insert from Arrow and call `add_batch`."""
    insert_rows(con, "payments", columns, rows)
    add_batch(con, batch_id)


def add_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Add the payments of `batch_id` (already inserted) to the monthly totals."""
    con.execute(sql("payment_months_merge"), {"batch_id": batch_id, "sign": 1})


def remove_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Take the payments of `batch_id` (not yet deleted) out of the monthly totals."""
    con.execute(sql("payment_months_merge"), {"batch_id": batch_id, "sign": -1})
    con.execute("DELETE FROM payment_months WHERE payments = 0")
