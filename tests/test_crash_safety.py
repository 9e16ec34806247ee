"""Crash safety: `python -m monitor import payments` is killed (SIGKILL, no clean-up of any kind)
at spread-out moments of its run, each time on a fresh copy of the demo database: anywhere, while
DuckDB writes its log at the commit, and while the import publishes its snapshot. Afterwards the
published version a reader sees is exactly the old content or exactly the new one, the database
opens and holds exactly one of them, and the next reader publishes it.

Quick by default (MONITOR_CRASH_KILLS, default 10); e.g. MONITOR_CRASH_KILLS=200 for a long run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from db_state import fingerprint
from payment_files import big_ledger

from monitor.store import service
from monitor.store.db import REPO_ROOT, connect

KILLS = int(os.environ.get("MONITOR_CRASH_KILLS", "10"))
ROWS = 2000  # enough rows that checking and writing take a good part of the run


def start_import(db: Path, ledger: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "import", "payments", str(ledger), "--db", str(db)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    process.started = time.monotonic()
    return process


def wait_for(path: Path, process: subprocess.Popen) -> float:
    """Seconds from the process's start until `path` exists (or the process ends)."""
    while not path.exists() and process.poll() is None:
        time.sleep(0.0005)
    return time.monotonic() - process.started


def opened_state(db: Path):
    """Open the database as the app does (read-write, replaying what the killed process left) and read it."""
    with closing(connect(db)) as con:
        return fingerprint(con)


def test_killed_imports_leave_the_old_or_the_new_state(demo_db, tmp_path):
    ledger = big_ledger(tmp_path / "ledger.csv", ROWS)
    old = fingerprint(demo_db)

    reference = tmp_path / "reference.duckdb"
    shutil.copy(demo_db, reference)
    started = time.monotonic()
    done = start_import(reference, ledger)
    assert done.wait(timeout=120) == 0, done.stderr.read().decode()
    run_time = time.monotonic() - started
    new = opened_state(reference)
    assert new["payments"][0] == old["payments"][0] + ROWS

    outcomes = {"old": 0, "new": 0, "killed": 0}
    rng = random.Random(11)
    for i in range(KILLS):
        db = tmp_path / f"kill-{i}" / "demo.duckdb"
        db.parent.mkdir()
        shutil.copy(demo_db, db)
        service.reader(db)[0].close()  # published: the version readers see before the import
        process = start_import(db, ledger)
        # Two kills in three aim at the dangerous moments: DuckDB writes its log (.wal) when the import
        # commits and folds it into the file when the connection closes; the import then copies the
        # file as the next snapshot (.partial until renamed). The others land anywhere from
        # interpreter start-up to the end of the run.
        if i % 3 == 1:
            when = wait_for(db.with_name(db.name + ".wal"), process) + rng.uniform(0, 0.03)
        elif i % 3 == 2:
            when = wait_for(service.snapshot_dir(db) / "data-2.duckdb.partial", process) + rng.uniform(0, 0.01)
        else:
            when = run_time * rng.uniform(0.1, 1.0)
        time.sleep(max(0.0, when - (time.monotonic() - process.started)))
        process.send_signal(signal.SIGKILL)
        killed = process.wait(timeout=30) == -signal.SIGKILL
        seen = fingerprint(service.published(db).data)  # what a reader opens right after the kill
        assert seen in (old, new), f"kill {i} at {when:.3f}s left readers on a version that is neither old nor new"
        state = opened_state(db)
        assert state in (old, new), f"kill {i} at {when:.3f}s (run {run_time:.2f}s) left a state that is neither old nor new"
        service.reader(db)[0].close()  # the next reader publishes what the killed import committed
        assert fingerprint(service.published(db).data) == state
        outcomes["old" if state == old else "new"] += 1
        outcomes["killed"] += killed
    print(f"\n{KILLS} kills over a {run_time:.2f}s import: {outcomes}")
    assert outcomes["old"] and outcomes["new"], f"the kills should land both before and after the commit: {outcomes}"
    assert outcomes["killed"] >= KILLS // 2, f"most runs should have been killed, not finished: {outcomes}"


def test_a_killed_import_can_be_run_again(demo_db, tmp_path):
    ledger = big_ledger(tmp_path / "ledger.csv", ROWS)
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    process = start_import(db, ledger)
    time.sleep(0.8)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    again = start_import(db, ledger)
    assert again.wait(timeout=120) == 0, again.stderr.read().decode()
    with closing(connect(db)) as con:
        assert con.execute("SELECT count(*) FROM payments WHERE voucher_no LIKE 'K-%'").fetchone()[0] == ROWS
