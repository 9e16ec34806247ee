"""Browser-test helpers shared by the browser test files: a `streamlit run` server on a free port
and pages opened in the OS Chromium through Playwright (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from monitor.store.db import REPO_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed (scripts/test.sh installs it)"
)


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


STREAMLIT = (sys.executable, "-m", "streamlit")


@contextmanager
def streamlit_server(db: Path, launcher: Sequence[str] = STREAMLIT) -> Iterator[str]:
    """`launcher run dashboard.py` on a free port over `db`; `launcher` is another command taking
    streamlit's arguments (bench/floor_app.py)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the server's output goes to a file: a pipe nobody reads would stop the server once full
    handle, name = tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")
    log = Path(name)
    with os.fdopen(handle, "wb") as out:
        process = subprocess.Popen(
            [
                *launcher,
                "run",
                "dashboard.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=REPO_ROOT,
            env={**os.environ, "MONITOR_DB": str(db)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)


def server_pid(url: str) -> int:
    """The process serving `url` (streamlit run … --server.port PORT), found by its command line."""
    port = url.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and port.encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user and system) used so far by a process, or by the whole machine when no pid."""
    if pid is None:
        return sum(int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:4]) / os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SETTLED = """() => {
    const q = (s) => document.querySelector(s);
    const ready = q('[data-testid="stSidebar"]') && q('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2')
        && !q('[data-testid="stSkeleton"]') && !q('[data-testid="stStatusWidget"]')
        && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
    window.__settled = ready ? (window.__settled || 0) + 1 : 0;
    return window.__settled >= 4;
}"""


def open_page(browser: Browser, url: str) -> Page:
    """Open a page and wait until the app has finished running and drawing."""
    page = browser.new_page(viewport={"width": 1400, "height": 1800}, locale="zh-CN")  # tall: the app scrolls inside
    page.goto(url)
    wait_until_idle(page)
    return page


def wait_until_idle(page: Page) -> None:
    """Until the last script run has finished and the page has drawn, steady for about a second
    (the running indicator appears a moment after a click, so one look is not enough)."""
    page.evaluate("() => { window.__settled = 0; }")
    page.wait_for_function(SETTLED, timeout=60000, polling=250)


def assert_no_exception(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()
