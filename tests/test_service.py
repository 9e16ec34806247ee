"""Run as a service: imports from outside while the dashboard serves, several app processes on one
database, and the scheduled feed (`python -m monitor watch`)."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from browser_helpers import needs_chromium, open_page, streamlit_server, wait_until_idle
from cli_run import run_cli
from db_state import fingerprint
from payment_files import HEADER_YUAN, ledger_csv, totals, write_csv
from streamlit.testing.v1 import AppTest

from monitor.store import service
from monitor.store.db import connect, sql, tables_read
from monitor.ui.data import REFRESH_SECONDS

KEPU = "13052923P00584011181P"  # 科普专项经费


def _drop(folder: Path, name: str, rows: list[list[str]], header: list[str] | None = None, age: float = 60) -> Path:
    path = write_csv(folder / name, header or ["项目编码", "支付日期", "金额（元）", "凭证号", "摘要"], rows)
    old = time.time() - age
    os.utime(path, (old, old))  # written a while ago: settled
    return path


def test_the_watcher_imports_each_dropped_file_once(demo_copy, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = _drop(inbox, "ledger-1.csv", [[KEPU, "2023-10-08", "1200.00", "W-1", "十月活动"]])
    bad = _drop(inbox, "ledger-2.csv", [["NO-SUCH-PROJECT", "2023-10-09", "10.00", "W-2", "?"]])
    actuals = _drop(
        inbox,
        "actuals.csv",
        [[KEPU, "科普活动次数", "2023-10-31", "3"]],
        header=["项目编码", "三级指标", "截至日期", "实际完成值"],
    )
    writing = _drop(inbox, "ledger-3.csv", [[KEPU, "2023-10-10", "5.00", "W-3", "still being written"]], age=0)
    before = totals(demo_copy)
    done = run_cli("watch", str(inbox), "--once", "--settle", "5", "--db", str(demo_copy))
    assert done.returncode == 0, done.stderr
    assert (inbox / "done" / good.name).exists() and (inbox / "done" / actuals.name).exists()
    assert (inbox / "failed" / bad.name).exists() and "NO-SUCH-PROJECT" in (inbox / "failed" / f"{bad.name}.report.txt").read_text()
    assert writing.exists()  # changed moments ago: left for the next look
    assert "已导入为批次" in (inbox / "done" / f"{good.name}.report.txt").read_text()
    assert totals(demo_copy)[0] == before[0] + 1
    with closing(connect(demo_copy)) as con:
        by = "SELECT DISTINCT imported_by FROM import_batches WHERE file_name IN ('ledger-1.csv', 'actuals.csv')"
        origins = con.execute(by).fetchall()
    assert [o[0].startswith("watch:") for o in origins] == [True]


def test_a_restarted_watcher_loses_and_doubles_nothing(demo_copy, tmp_path):
    """Killed after its commit and before its move: the file is still in the folder. Restarted, the
    watcher finds its content already imported and moves it to done/ without adding anything."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ledger = _drop(inbox, "nightly.csv", [[KEPU, "2023-10-08", "1200.00", "N-1", "夜间导入"]])
    assert run_cli("import", "payments", str(ledger), "--db", str(demo_copy)).returncode == 0  # the commit before the kill
    imported = fingerprint(demo_copy)
    done = run_cli("watch", str(inbox), "--once", "--db", str(demo_copy))
    assert done.returncode == 0, done.stderr
    assert (inbox / "done" / ledger.name).exists() and "已作为批次" in (inbox / "done" / f"{ledger.name}.report.txt").read_text()
    assert fingerprint(demo_copy) == imported


def test_an_import_and_status_from_the_command_line_while_the_app_serves(demo_copy, tmp_path):
    """The app holds the file only while it writes: the command line writes and reads meanwhile."""
    with streamlit_server(demo_copy) as url:
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200
        done = run_cli("import", "payments", str(ledger_csv(tmp_path / "q4.csv")), "--db", str(demo_copy))
        assert done.returncode == 0, done.stderr
        status = run_cli("status", "--year", "2023", "--as-of", "2023-12-31", "--db", str(demo_copy), "--json")
        assert status.returncode == 0, status.stderr
    paid = json.loads(status.stdout)["total"]["actual_cumulative"]
    assert paid == pytest.approx(float(totals(demo_copy)[1]))  # the status read what the import published


def _paid_before_and_after_an_import() -> None:
    """An app script (AppTest.from_function runs its body): the total paid, an import published by the
    command line, and the total paid again, in one run."""
    import os
    import subprocess
    import sys

    import streamlit as st

    from monitor.store.db import REPO_ROOT
    from monitor.ui import data

    data.pin_version()  # as dashboard.py does at the start of every run
    before = data.run_sql("SELECT sum(amount) AS paid FROM payments", {})["paid"].iloc[0]
    if os.environ.get("LEDGER"):
        command = [sys.executable, "-m", "monitor", "import", "payments", os.environ["LEDGER"], "--db", os.environ["MONITOR_DB"]]
        subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True)
    after = data.run_sql("SELECT sum(amount) AS paid FROM payments", {})["paid"].iloc[0]
    st.write(f"{before} {after}")


def test_a_page_run_reads_one_version_and_the_next_run_the_new_one(demo_copy, tmp_path, monkeypatch):
    """A run's figures come from one published version, even when an import is published while it
    runs (its later queries would otherwise add up another state than its first ones); the next run
    reads the new one."""
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    monkeypatch.setenv("LEDGER", str(ledger_csv(tmp_path / "q4.csv")))
    at = AppTest.from_function(_paid_before_and_after_an_import, default_timeout=120).run()
    assert not at.exception, at.exception
    before, after = at.markdown[0].value.split()
    assert after == before  # the import published meanwhile is not read in the same run
    monkeypatch.delenv("LEDGER")
    at.run()
    again, _ = at.markdown[0].value.split()
    paid = totals(demo_copy)[1]
    assert Decimal(again) == paid != Decimal(before)


def _opened_after_a_publish() -> None:
    """An app script: the version read from the pointer, an import published by the command line, then
    the connection for that version opened."""
    import os
    import subprocess
    import sys

    import streamlit as st

    from monitor.store import service
    from monitor.store.db import REPO_ROOT, db_path
    from monitor.ui import data

    version, before = service.fresh_version(db_path()), service.figures_version(db_path())
    command = [sys.executable, "-m", "monitor", "import", "payments", os.environ["LEDGER"], "--db", str(db_path())]
    subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True)
    _, opened = data._reader(str(db_path()), version)
    st.write(f"{before} {opened} {service.figures_version(db_path())}")


def test_results_are_keyed_on_the_snapshot_the_connection_holds(demo_copy, tmp_path, monkeypatch):
    """A write published between a run reading the pointer and opening that version's connection: the
    connection holds the newer snapshot, and the name the run's results are keyed on is the newer one,
    never the one the pointer named (whose figures it does not hold)."""
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    monkeypatch.setenv("LEDGER", str(ledger_csv(tmp_path / "q4.csv")))
    at = AppTest.from_function(_opened_after_a_publish, default_timeout=120).run()
    assert not at.exception, at.exception
    before, opened, now = at.markdown[0].value.split()
    assert opened == now != before


def _computed_figures() -> None:
    """An app script: two results computed fresh (random()) unless cached, one reading data tables only,
    one reading a state table too."""
    import streamlit as st

    from monitor.ui import data

    data.pin_version()
    paid = data.run_sql("SELECT random() AS r, (SELECT count(*) FROM payments) AS n", {})["r"].iloc[0]
    noted = data.run_sql("SELECT random() AS r, (SELECT count(*) FROM project_notes) AS n", {})["r"].iloc[0]
    st.write(f"{paid} {noted}")


def test_a_state_write_keeps_the_figures_cached_and_an_import_does_not(demo_copy, tmp_path, monkeypatch):
    """A sign-in, a note or a saved view publishes a new version of the state tables only: figures
    computed from the data tables stay cached for every session, what reads a state table is computed
    again; an import computes everything again."""
    assert set(service.STATE_TABLES) <= tables_read(sql("schema"))  # every state table is one of the schema's
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    at = AppTest.from_function(_computed_figures, default_timeout=60).run()
    paid, noted = at.markdown[0].value.split()
    with service.writing(demo_copy):
        pass  # a write that changed no import batch: a state publish
    paid_after_state, noted_after_state = at.run().markdown[0].value.split()
    assert paid_after_state == paid and noted_after_state != noted
    assert run_cli("import", "payments", str(ledger_csv(tmp_path / "q4.csv")), "--db", str(demo_copy)).returncode == 0
    paid_after_import, _ = at.run().markdown[0].value.split()
    assert paid_after_import != paid


def _changes(value, before: str, seconds: float) -> None:
    """Wait until the element's text differs from `before` (fails after `seconds`)."""
    started = time.monotonic()
    while value.inner_text() == before and time.monotonic() - started < seconds:
        time.sleep(0.1)
    assert value.inner_text() != before, before


@needs_chromium
def test_an_open_page_shows_a_command_line_import_within_seconds(browser, demo_copy, tmp_path, artifacts):
    """Start the dashboard, import from the command line while it serves: the next click draws the
    new figures; left alone, the page says within a few seconds that new data is published
    (tests/artifacts/overview-new-data.png) and its button draws them."""
    with streamlit_server(demo_copy) as url:
        page = open_page(browser, url)
        spent = page.get_by_test_id("stMetricValue").nth(1)
        before = spent.inner_text()
        done = run_cli("import", "payments", str(ledger_csv(tmp_path / "q4.csv")), "--db", str(demo_copy))
        assert done.returncode == 0, done.stderr
        page.get_by_test_id("stSidebar").get_by_role("link", name="总览", exact=True).click()  # the next interaction
        _changes(spent, before, 30)
        wait_until_idle(page)
        before = spent.inner_text()
        more = write_csv(tmp_path / "more.csv", HEADER_YUAN, [[KEPU, "2023-11-15", "12345.00", "N-1", "补记"]])
        done = run_cli("import", "payments", str(more), "--db", str(demo_copy))
        assert done.returncode == 0, done.stderr
        started = time.monotonic()
        show = page.get_by_role("button", name="显示新数据")
        show.wait_for(timeout=30000)
        assert time.monotonic() - started < 2 * REFRESH_SECONDS + 2  # the next look (or the one after, on a busy machine)
        assert spent.inner_text() == before  # said, not redrawn behind the viewer's back
        page.screenshot(path=str(artifacts / "overview-new-data.png"))
        show.click()
        _changes(spent, before, 30)
        wait_until_idle(page)
        assert show.count() == 0  # drawn from the new version: no notice
        page.screenshot(path=str(artifacts / "overview-after-cli-import.png"), full_page=True)
        page.close()


@needs_chromium
def test_two_app_processes_serve_one_database(browser, demo_copy, tmp_path):
    """Two `streamlit run` processes on one database, each behind its own port (a reverse proxy
    spreads sessions over them): both serve, and an import through one shows in the other, on the
    next click (here a sidebar link)."""
    with streamlit_server(demo_copy) as first, streamlit_server(demo_copy) as second:
        pages = [open_page(browser, url) for url in (first, second)]
        values = [p.get_by_test_id("stMetricValue").nth(1).inner_text() for p in pages]
        assert values[0] == values[1]
        done = run_cli("import", "payments", str(ledger_csv(tmp_path / "q4.csv")), "--db", str(demo_copy))
        assert done.returncode == 0, done.stderr
        for page in pages:
            page.get_by_test_id("stSidebar").get_by_role("link", name="总览", exact=True).click()
            _changes(page.get_by_test_id("stMetricValue").nth(1), values[0], 30)
            page.close()


def test_an_upgrade_brings_an_older_database_up_to_date_on_first_read(demo_copy):
    """A database and snapshots as the version before the 监控表回填 left them (no forecast_text,
    no round_form_batches, a pointer naming no schema): the first reader brings the file up to date
    and publishes it again, so the command line and the pages read it without an error."""
    import duckdb

    older = duckdb.connect(str(demo_copy))
    older.execute("ALTER TABLE indicator_actuals DROP COLUMN forecast_text")
    older.execute("DROP TABLE round_form_batches")
    older.close()
    folder = service.snapshot_dir(demo_copy)
    folder.mkdir()
    shutil.copyfile(demo_copy, folder / "data-1.duckdb")
    stat = demo_copy.stat()
    pointer = {"version": 1, "data": "data-1.duckdb", "state": None, "source": [stat.st_size, stat.st_mtime_ns]}
    (folder / "current.json").write_text(json.dumps(pointer), encoding="utf-8")

    status = run_cli("status", "--year", "2023", "--as-of", "2023-09-30", "--db", str(demo_copy), "--json")
    assert status.returncode == 0, status.stderr
    assert all("forecast_text" in i for i in json.loads(status.stdout)["indicators"])
    assert service.published(demo_copy).version == 2
    con, version = service.reader(demo_copy)
    assert version == 2  # published once, not again on every read
    assert con.execute("SELECT count(*) FROM round_form_batches").fetchone() == (0,)
