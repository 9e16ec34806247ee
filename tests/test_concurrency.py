"""Concurrent use: viewers keep reading while an import runs and see the old or the new data, never
an error or half an import; two writes at once are serialised; a command-line import while the app
holds the database is refused with a clear message.

In-process sessions use the app's pattern: one connection per process, a cursor per thread
(monitor.store.db.cursor), each reader running the pages' named queries in a loop.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from contextlib import closing
from decimal import Decimal

import pytest
from cli_run import run_cli
from db_state import fingerprint
from payment_files import big_ledger, ledger_csv

from monitor.ingest.payments import import_payments
from monitor.rules.disbursement import threshold_params
from monitor.store import service
from monitor.store.db import connect, cursor, query_df
from monitor.store.undo import UndoRefused, undo_batch

READERS = 6
ROWS = 1500
YEAR_END = dt.date(2023, 12, 31)


@pytest.fixture
def con(demo_copy):
    con = connect(demo_copy)
    yield con
    con.close()


def totals(cur) -> tuple[int, Decimal]:
    return tuple(cur.execute("SELECT count(*), sum(amount) FROM payments WHERE year = 2023").fetchone())


def page_reads(cur) -> tuple[tuple[int, Decimal], Decimal, Decimal]:
    """What a viewer's page run reads: the payment totals in one statement, 预算执行's department
    total and the sum of 总览's quarterly actuals (each query a statement of its own)."""
    status = query_df(cur, "project_status", year=2023, dept=None, as_of=YEAR_END, limit=None, **threshold_params())
    quarters = query_df(cur, "quarterly_disbursement", year=2023, dept=None, as_of=YEAR_END)
    department = status[status["project_code"].isna()].iloc[0]["actual_cumulative"]
    by_quarter = quarters[quarters["project_code"].isna()]["actual"].sum()
    return totals(cur), Decimal(str(department)), Decimal(str(by_quarter))


def test_viewers_see_the_old_or_the_new_state_during_an_import(con, tmp_path):
    data = big_ledger(tmp_path / "big.csv", ROWS).read_bytes()
    before = totals(con)
    importing = threading.Event()
    finished = threading.Event()
    seen: list[tuple] = []
    during = [0]
    errors: list[BaseException] = []

    def viewer() -> None:
        cur = cursor(con)
        try:
            while True:
                last = finished.is_set()
                running = importing.is_set() and not last
                seen.append(page_reads(cur))
                during[0] += running
                if last:
                    return
        except BaseException as error:  # any error a viewer would see
            errors.append(error)

    def importer() -> None:
        importing.set()
        try:
            import_payments(cursor(con), data, "big.csv", "ed")
        except BaseException as error:
            errors.append(error)
        finished.set()

    threads = [threading.Thread(target=viewer) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(seen) < READERS and time.monotonic() < deadline:  # every viewer has read the old state once
        time.sleep(0.01)
    writer = threading.Thread(target=importer)
    writer.start()
    for thread in [writer, *threads]:
        thread.join(timeout=120)
    assert not errors, errors
    after = totals(con)
    assert after[0] == before[0] + ROWS
    for pair, department, by_quarter in seen:
        assert pair in (before, after), pair
        assert department in (before[1], after[1]) and by_quarter in (before[1], after[1]), (department, by_quarter)
    assert during[0] > 0, "no viewer read while the import ran"
    assert {pair for pair, _, _ in seen} == {before, after}
    print(f"\n{READERS} viewers, {len(seen)} page reads ({during[0]} during the import), each the old or the new state")


def run_together(*actions):
    """Run the actions in threads released at the same moment; their results or exceptions, in order."""
    start = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = actions[i]()
        except Exception as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_the_same_file_imported_twice_at_once_is_written_once(con, tmp_path):
    data = big_ledger(tmp_path / "big.csv", 500).read_bytes()
    before = totals(con)
    first, second = run_together(*(lambda: import_payments(cursor(con), data, "big.csv", "ed") for _ in range(2)))
    written = [c for c in (first, second) if c.batch_id is not None]
    refused = [c for c in (first, second) if c.batch_id is None]
    assert len(written) == 1 and len(refused) == 1
    assert refused[0].imported_as == written[0].batch_id
    assert totals(con)[0] == before[0] + 500


def test_two_files_with_the_same_vouchers_at_once(con, tmp_path):
    one = big_ledger(tmp_path / "one.csv", 300).read_bytes()
    other = ledger_csv(tmp_path / "other.csv").read_bytes() + one.split(b"\n", 1)[1]  # other rows, then the same vouchers
    results = run_together(
        lambda: import_payments(cursor(con), one, "one.csv", "ed"), lambda: import_payments(cursor(con), other, "other.csv", "ed")
    )
    written = [c for c in results if c.batch_id is not None]
    assert len(written) == 1
    (refused,) = [c for c in results if c.batch_id is None]
    assert any("凭证号已导入" in str(p.expected) or "重复" in str(p.expected) for p in refused.problems)


def test_one_batch_undone_twice_at_once(con, tmp_path):
    batch = import_payments(cursor(con), ledger_csv(tmp_path / "q4.csv").read_bytes(), "q4.csv", "ed").batch_id
    before = fingerprint(con)
    results = run_together(*(lambda: undo_batch(cursor(con), batch, "ed") for _ in range(2)))
    refusals = [r for r in results if isinstance(r, UndoRefused)]
    assert len(refusals) == 1 and "已被撤销" in str(refusals[0])
    after = fingerprint(con)
    assert after["payments"][0] == before["payments"][0] - 5
    assert after["import_batches"][0] == before["import_batches"][0] + 1  # one undo record


@pytest.mark.parametrize("command", [["import", "payments", "LEDGER"], ["undo", "2"]])
def test_a_write_while_another_program_holds_the_file(con, demo_copy, tmp_path, command):
    """The app and the command line hold the file only while writing, under the write lock; a
    program that bypasses the lock (here: this test's connection) makes a write wait for nobody but
    refuse, with a message, writing nothing."""
    ledger = ledger_csv(tmp_path / "q4.csv")
    before = fingerprint(con)
    done = run_cli(*[str(ledger) if a == "LEDGER" else a for a in command], "--db", str(demo_copy))
    assert done.returncode == 3, done.stderr
    assert "正被另一个进程" in done.stderr and "未写入任何数据" in done.stderr and "Traceback" not in done.stderr
    assert fingerprint(con) == before


def test_status_reads_the_published_version_while_another_program_holds_the_file(demo_copy):
    service.reader(demo_copy)[0].close()  # published once
    with closing(connect(demo_copy)):
        done = run_cli("status", "--year", "2023", "--as-of", "2023-09-30", "--db", str(demo_copy), "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["projects"]) == 5


def test_the_command_line_works_once_the_app_has_let_go(demo_copy, tmp_path):
    ledger = ledger_csv(tmp_path / "q4.csv")
    with closing(connect(demo_copy)):
        pass
    done = run_cli("import", "payments", str(ledger), "--db", str(demo_copy))
    assert done.returncode == 0 and "已导入为批次" in done.stdout
