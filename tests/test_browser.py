"""Real-browser tests: `streamlit run` on a free port, headless OS Chromium through Playwright.

Screenshots of every page are saved under tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from playwright.sync_api import Page, sync_playwright

from monitor.db import REPO_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed (scripts/test.sh installs it)"
)

PAGES = {  # url path → the page's heading
    "": "总览",
    "disbursement": "预算执行",
    "indicators": "绩效指标",
    "project": "项目详情",
    "explore": "即席查询",
    "data": "数据管理",
}


@contextmanager
def streamlit_server(db: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
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
        stdout=subprocess.PIPE,
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
                    raise RuntimeError(f"streamlit did not start: {process.stdout.read().decode(errors='replace')}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser():
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
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db) as url:
        yield url


SETTLED = """() => {
    const q = (s) => document.querySelector(s);
    const ready = q('[data-testid="stSidebar"]') && q('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2')
        && !q('[data-testid="stSkeleton"]') && !q('[data-testid="stStatusWidget"]')
        && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
    window.__settled = ready ? (window.__settled || 0) + 1 : 0;
    return window.__settled >= 4;
}"""


def _open(browser, url: str) -> Page:
    """Open a page and wait until the app has finished running and drawing (stable for ~1 s)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1800}, locale="zh-CN")  # tall: the app scrolls inside
    page.goto(url)
    page.wait_for_function(SETTLED, timeout=60000, polling=250)
    return page


def _assert_no_exception(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()


def test_deep_link_first_shows_the_app_navigation(browser, demo_db, tmp_path):
    """On a fresh server, a deep link opened first must show our pages in the sidebar."""
    db = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db) as url:
        page = _open(browser, f"{url}/disbursement?as_of=2023-06-30")
        sidebar = page.get_by_test_id("stSidebar")
        for title in PAGES.values():
            sidebar.get_by_text(title, exact=True).first.wait_for(timeout=10000)
        assert sidebar.get_by_text("disbursement", exact=True).count() == 0
        assert page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name="预算执行").count() == 1
        page.close()


def test_overview_shows_the_seed_figures(browser, server, artifacts):
    page = _open(browser, server)
    page.get_by_test_id("stMetricValue").filter(has_text="94.00").wait_for(timeout=30000)
    _assert_no_exception(page)
    # Chinese renders as glyphs: a CJK string is not drawn with the width of missing-glyph boxes
    widths = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d');
                   c.font = getComputedStyle(document.querySelector('h1, h2, h3')).font;
                   return [c.measureText('预算执行率').width, c.measureText('\\u0378\\u0379\\u037f\\u0380\\u0381').width]; }"""
    )
    assert widths[0] != widths[1], widths
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_in_the_browser(browser, server, artifacts, path):
    page = _open(browser, f"{server}/{path}")
    page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name=PAGES[path]).first.wait_for(timeout=30000)
    _assert_no_exception(page)
    page.screenshot(path=str(artifacts / f"page-{path or 'overview'}.png"), full_page=True)
    page.close()


def test_explore_link_opens_the_view_and_downloads_it(browser, server, artifacts, demo_db):
    """A shared 即席查询 address shows its filtered, grouped view; the CSV downloaded in the browser
    holds the same figures and states the filters."""
    query = "subject=payments&f.month=6&f.month=7&group=fund_source&group=month&measure=sum%3Aamount&unit=%E5%85%83&as_of=2023-09-30"
    page = _open(browser, f"{server}/explore?{query}")
    main = page.get_by_test_id("stMainBlockContainer")
    main.get_by_role("heading", name="即席查询").wait_for(timeout=30000)
    main.get_by_text("金额合计：按资金来源、月份").wait_for(timeout=30000)
    _assert_no_exception(page)
    assert "f.month=6" in page.url and "group=fund_source" in page.url
    page.screenshot(path=str(artifacts / "explore.png"), full_page=True)
    with page.expect_download() as download:
        main.get_by_role("button", name="下载 CSV").click()
    data = Path(download.value.path()).read_bytes()
    page.close()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert "# 月份: 6、7" in lines
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", skiprows=lines.index("") + 1)
    with duckdb.connect(str(demo_db), read_only=True) as con:  # the server's copy is locked by its process
        expected = con.execute(
            "SELECT fund_source, month(paid_on), sum(amount) FROM payments WHERE month(paid_on) IN (6, 7) GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
    assert [tuple(r) for r in table.itertuples(index=False, name=None)] == [(s, m, float(v)) for s, m, v in expected]
