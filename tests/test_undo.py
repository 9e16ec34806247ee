"""Undo of an import batch: exactly its rows go, the totals come back, the undo is recorded."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from payment_files import HEADER_YUAN, ledger, ledger_csv, totals, write_csv

from monitor.cli import main
from monitor.ingest.payments import import_payments
from monitor.store.db import connect, query_rows
from monitor.store.undo import UndoRefused, undo_batch


@pytest.fixture
def con(demo_copy):
    con = connect(demo_copy)
    yield con
    con.close()


def _ledger_bytes(tmp_path) -> bytes:
    return ledger_csv(tmp_path / "q4.csv").read_bytes()


def _sums(con) -> tuple[int, Decimal, int]:
    """Payments (count, sum) and indicator actuals (count), read with plain SQL."""
    return con.execute(
        "SELECT (SELECT count(*) FROM payments), (SELECT coalesce(sum(amount), 0) FROM payments), (SELECT count(*) FROM indicator_actuals)"
    ).fetchone()


def _batch(con, batch_id: int) -> dict:
    cursor = con.execute("SELECT * FROM import_batches WHERE batch_id = ?", [batch_id])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone()))


def test_undo_restores_the_previous_totals_exactly(con, tmp_path):
    before = _sums(con)
    check = import_payments(con, _ledger_bytes(tmp_path), "q4.csv", "alice")
    assert _sums(con)[:2] == (before[0] + 5, before[1] + sum(x.yuan for x in ledger()))
    done = undo_batch(con, check.batch_id, "bob")
    assert _sums(con) == before
    assert done.rows == 5
    undo = _batch(con, done.undo_batch_id)
    assert (undo["kind"], undo["row_count"], undo["imported_by"], undo["file_name"]) == ("undo", 5, "bob", "q4.csv")
    assert _batch(con, check.batch_id)["undone_by"] == done.undo_batch_id


def test_undo_deletes_only_that_batch(con, tmp_path):
    first = import_payments(con, _ledger_bytes(tmp_path), "q4.csv", "alice")
    other = write_csv(tmp_path / "other.csv", HEADER_YUAN, [[ledger()[0].project_code, "2023-12-30", "77.70", "O-1", "另一个文件"]])
    second = import_payments(con, other.read_bytes(), "other.csv", "alice")
    undo_batch(con, first.batch_id, "alice")
    assert con.execute("SELECT batch_id, amount FROM payments WHERE batch_id IN (?, ?)", [first.batch_id, second.batch_id]).fetchall() == [
        (second.batch_id, Decimal("77.70"))
    ]


def test_an_undone_file_can_be_imported_again(con, tmp_path):
    data = _ledger_bytes(tmp_path)
    first = import_payments(con, data, "q4.csv", "alice")
    undo_batch(con, first.batch_id, "alice")
    again = import_payments(con, data, "q4.csv", "alice")
    assert again.imported_as is None and again.batch_id is not None


def test_refusals_change_nothing(con, tmp_path):
    check = import_payments(con, _ledger_bytes(tmp_path), "q4.csv", "alice")
    done = undo_batch(con, check.batch_id, "alice")
    targets_batch = con.execute("SELECT batch_id FROM import_batches WHERE kind = 'targets'").fetchone()[0]
    before = (_sums(con), con.execute("SELECT count(*) FROM import_batches").fetchone()[0])
    for batch_id, words in (
        (check.batch_id, "已被撤销"),
        (done.undo_batch_id, "撤销记录本身不能再撤销"),
        (targets_batch, "绩效目标批次不能撤销"),
        (9999, "没有编号为 9999"),
    ):
        with pytest.raises(UndoRefused, match=words):
            undo_batch(con, batch_id, "alice")
    assert (_sums(con), con.execute("SELECT count(*) FROM import_batches").fetchone()[0]) == before


def test_demo_batches_can_be_undone_and_the_demo_label_follows(con):
    demo = dict(con.execute("SELECT kind, batch_id FROM import_batches WHERE is_demo").fetchall())
    actuals_before = con.execute("SELECT count(*) FROM indicator_actuals").fetchone()[0]
    payments_before = con.execute("SELECT count(*) FROM payments").fetchone()[0]
    assert query_rows(con, "demo_data_present")[0][0] is True
    assert undo_batch(con, demo["payments"], "admin").rows == payments_before
    assert con.execute("SELECT count(*) FROM payments").fetchone()[0] == 0
    assert query_rows(con, "demo_data_present")[0][0] is True  # the demo indicator actuals are still there
    assert undo_batch(con, demo["indicator_actuals"], "admin").rows == actuals_before
    assert con.execute("SELECT count(*) FROM indicator_actuals").fetchone()[0] == 0
    assert query_rows(con, "demo_data_present")[0][0] is False


def test_cli_undo(demo_copy, tmp_path, capsys):
    db = str(demo_copy)
    before = totals(demo_copy)
    path = ledger_csv(tmp_path / "q4.csv")
    assert main(["import", "payments", str(path), "--db", db]) == 0
    batch = duckdb.connect(db)
    try:
        batch_id = batch.execute("SELECT max(batch_id) FROM import_batches").fetchone()[0]
    finally:
        batch.close()
    capsys.readouterr()
    assert main(["undo", str(batch_id), "--db", db]) == 0
    assert f"批次 {batch_id} 已撤销：删除 5 行" in capsys.readouterr().out  # MONITOR_LANG defaults to Chinese
    assert totals(demo_copy) == before
    assert main(["undo", str(batch_id), "--db", db]) == 2
    assert "已被撤销" in capsys.readouterr().err
    assert main(["undo", "1", "--db", db]) == 2
    assert "绩效目标批次不能撤销" in capsys.readouterr().err
