"""Load under the service design: two app processes on one database, browser sessions reading every
page while the command line imports a ledger every few seconds. Zero errors shown, and every figure
read equals the total of one published state (never a half-written one), and nothing is lost.

Each session opens the dashboard once and then browses as a viewer does, by the sidebar's page links
(one websocket each, every page in turn), all at once: in each round every session clicks, then each
page is awaited. Quick by default (8 s, 3 sessions); MONITOR_LOAD_SECONDS=60
MONITOR_LOAD_SESSIONS=20 for the long run whose figures the README gives.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from browser_helpers import assert_no_exception, cpu_seconds, needs_chromium, server_pid, streamlit_server
from cli_run import run_cli
from payment_files import totals, write_csv
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor.i18n import t

SECONDS = float(os.environ.get("MONITOR_LOAD_SECONDS", "8"))
SESSIONS = int(os.environ.get("MONITOR_LOAD_SESSIONS", "3"))
IMPORT_EVERY = 3.0  # seconds between two imports from the command line
PATIENCE_MS = 120_000  # how long a session waits for a page: the long run measures how slow, errors fail it
PAGES = ["page_overview", "page_disbursement", "page_indicators", "page_project", "page_explore", "page_rounds", "page_data"]
KEPU = "13052923P00584011181P"  # 科普专项经费
AMOUNT = Decimal("1234.00")  # each import adds one payment of this, dated before the as-of date


def _wan(total: Decimal) -> str:
    return f"{total / 10000:,.2f}"


def drawn(page, title: str, allowed: set[str], artifacts: Path) -> None:
    """Wait until the page shows its own heading and, on 总览, its figures, one of a published state.
    Slow is not wrong (many sessions on few cores); an error shown or a page not drawn is."""
    try:
        page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name=title).first.wait_for(timeout=PATIENCE_MS)
    except PlaywrightTimeout:
        page.screenshot(path=str(artifacts / "load-not-drawn.png"), full_page=True)
        pytest.fail(f"{title} not drawn in {PATIENCE_MS // 1000} s; the page shows:\n{page.inner_text('body')[:2000]}")
    assert_no_exception(page)
    if title == t("page_overview", "zh"):
        page.get_by_test_id("stMetricValue").nth(5).wait_for(timeout=PATIENCE_MS)
        shown = page.get_by_test_id("stMetricValue").nth(1).inner_text()
        assert shown in allowed, (shown, sorted(allowed))


@needs_chromium
@pytest.mark.timeout(360 + 15 * SESSIONS + 3 * SECONDS)  # opening every session comes before the clock
def test_two_app_processes_many_sessions_and_imports(browser, demo_copy, tmp_path, artifacts):
    base = totals(demo_copy)  # read before any server starts: the test never opens the file again
    states = [base[1]]  # the totals of every published state, in order
    errors: list[str] = []
    stop = threading.Event()

    def importer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            ledger = write_csv(
                tmp_path / f"load-{n}.csv",
                ["项目编码", "支付日期", "金额（元）", "凭证号", "摘要"],
                [[KEPU, dt.date(2023, 9, 15).isoformat(), str(AMOUNT), f"LOAD-{n}", "负载测试"]],
            )
            done = run_cli("import", "payments", str(ledger), "--db", str(demo_copy))
            if done.returncode != 0:
                errors.append(f"import {n}: {done.stderr}")
                return
            states.append(states[-1] + AMOUNT)
            stop.wait(IMPORT_EVERY)

    with streamlit_server(demo_copy) as first, streamlit_server(demo_copy) as second:
        servers = [first, second]
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        sessions = [context.new_page() for _ in range(SESSIONS)]
        for i, page in enumerate(sessions):  # every session open, its figures drawn, before the clock starts
            page.goto(f"{servers[i % 2]}/?as_of=2023-09-30")
            page.get_by_test_id("stMetricValue").nth(5).wait_for(timeout=PATIENCE_MS)
        pids = [server_pid(url) for url in servers]
        writer = threading.Thread(target=importer)
        writer.start()
        reads, latencies = 0, []
        cpu = [cpu_seconds(), *map(cpu_seconds, pids)]  # what the machine and each server used: where the time goes
        started = time.monotonic()
        try:
            while time.monotonic() - started < SECONDS:  # rounds: every session clicks, then each page is awaited
                titles = [t(PAGES[(reads // SESSIONS + i) % len(PAGES)], "zh") for i in range(SESSIONS)]
                clicked = []
                for page, title in zip(sessions, titles):
                    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click(timeout=PATIENCE_MS)
                    clicked.append(time.monotonic())
                for page, title, at in zip(sessions, titles, clicked):
                    drawn(page, title, {_wan(total) for total in states}, artifacts)
                    latencies.append(time.monotonic() - at)
                    reads += 1
        finally:
            elapsed = time.monotonic() - started
            cpu = [after - before for after, before in zip([cpu_seconds(), *map(cpu_seconds, pids)], cpu)]
            stop.set()
            writer.join(timeout=120)
            context.close()
    assert not errors, errors
    assert len(states) >= 2, "no import ran during the load"
    count, total = totals(demo_copy)
    assert (count, total) == (base[0] + len(states) - 1, states[-1])  # nothing lost, nothing doubled
    print(
        f"\n2 app processes, {SESSIONS} sessions, {reads} page reads, {len(states) - 1} imports in {SECONDS:.0f} s: no error; "
        f"click to page drawn: median {statistics.median(latencies):.1f} s, slowest {max(latencies):.1f} s; "
        f"in {elapsed:.0f} s the machine used {cpu[0]:.0f} CPU-s ({os.cpu_count()} cores), the two servers {cpu[1]:.0f} and {cpu[2]:.0f}"
    )
