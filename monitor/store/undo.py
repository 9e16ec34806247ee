"""Undoing an import batch: its rows are deleted in one transaction and a batch of kind 'undo'
records who did it; the undone batch points at that record (`undone_by`).

Only batches that add rows of their own can be undone. A targets batch cannot: it replaces the
department-year's targets as a whole (what it replaced is not kept) and payments and indicator
actuals hang on its projects, so a correction is made by importing a corrected targets file.
Demo batches (演示数据) of payments or indicator actuals can be undone like any other: that is
how a department clears the synthetic actuals before loading its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from monitor.errors import Refused
from monitor.i18n import msg
from monitor.store import payment_months
from monitor.store.batches import new_batch, transaction
from monitor.store.db import query_rows

# batch kind → the tables holding its rows (a filled 监控表 writes indicator actuals and a forecast as one batch)
UNDOABLE = {
    "payments": ("payments",),
    "indicator_actuals": ("indicator_actuals",),
    "forecasts": ("forecasts",),
    "monitor_form": ("indicator_actuals", "forecasts"),
}


class UndoRefused(Refused):
    """The batch cannot be undone; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class Undone:
    batch_id: int  # the batch that was undone
    undo_batch_id: int  # the 'undo' batch recording it
    rows: int  # rows deleted


def refusal(con: duckdb.DuckDBPyConnection, batch_id: int) -> UndoRefused | None:
    """Why this batch cannot be undone, or None when it can."""
    row = con.execute("SELECT kind, undone_by FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
    if row is None:
        return UndoRefused("undo_no_batch", batch=batch_id)
    kind, undone_by = row
    if undone_by is not None:
        return UndoRefused("undo_undone", batch=batch_id, undo=undone_by)
    if kind == "undo":
        return UndoRefused("undo_of_undo")
    if kind == "targets":
        return UndoRefused("undo_targets")
    if kind not in UNDOABLE:
        return UndoRefused("undo_kind", kind=kind)
    return None


def batch_units(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[str]:
    """The units whose data the batch holds (for monitor.auth.refuse_outside before an undo)."""
    return [code for (code,) in query_rows(con, "batch_units", batch=batch_id)]


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int, user: str) -> Undone:
    """Delete exactly the rows of `batch_id` and record the undo, all in one transaction."""
    with transaction(con):
        refused = refusal(con, batch_id)
        if refused:
            raise refused
        kind, file_name = con.execute("SELECT kind, file_name FROM import_batches WHERE batch_id = ?", [batch_id]).fetchone()
        if kind == "payments":
            payment_months.remove_batch(con, batch_id)
        # The table names come from UNDOABLE, never from input; the batch id is bound.
        deleted = sum(con.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id]).fetchone()[0] for table in UNDOABLE[kind])
        undo_id = new_batch(
            con, "undo", file_name, f"undo-{batch_id}", deleted, user, note=msg("batch_note_undo", batch=batch_id, kind=msg(f"kind_{kind}"))
        )
        con.execute("UPDATE import_batches SET undone_by = ? WHERE batch_id = ?", [undo_id, batch_id])
    return Undone(batch_id, undo_id, deleted)
