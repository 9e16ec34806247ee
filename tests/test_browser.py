"""Real-browser tests: `streamlit run` on a free port, headless OS Chromium through Playwright.

Screenshots of every page are saved under tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from browser_helpers import assert_no_exception, needs_chromium, open_page, streamlit_server, wait_until_idle

pytestmark = needs_chromium

PAGES = {  # url path → the page's heading
    "": "总览",
    "disbursement": "预算执行",
    "bulletin": "支出进度通报",
    "indicators": "绩效指标",
    "project": "项目详情",
    "explore": "即席查询",
    "rounds": "监控任务",
    "data": "数据管理",
}


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db) as url:
        yield url


def test_deep_link_first_shows_the_app_navigation(browser, demo_db, tmp_path):
    """On a fresh server, a deep link opened first must show our pages in the sidebar."""
    db = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db) as url:
        page = open_page(browser, f"{url}/disbursement?as_of=2023-06-30")
        sidebar = page.get_by_test_id("stSidebar")
        for title in PAGES.values():
            sidebar.get_by_text(title, exact=True).first.wait_for(timeout=10000)
        assert sidebar.get_by_text("disbursement", exact=True).count() == 0
        assert page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name="预算执行").count() == 1
        page.close()


def test_overview_shows_the_seed_figures(browser, server, artifacts):
    page = open_page(browser, server)
    page.get_by_test_id("stMetricValue").filter(has_text="94.00").wait_for(timeout=30000)
    assert_no_exception(page)
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
    page = open_page(browser, f"{server}/{path}")
    page.get_by_test_id("stMainBlockContainer").get_by_role("heading", name=PAGES[path]).first.wait_for(timeout=30000)
    assert_no_exception(page)
    page.screenshot(path=str(artifacts / f"page-{path or 'overview'}.png"), full_page=True)
    page.close()


def test_explore_link_opens_the_view_and_downloads_it(browser, server, artifacts, demo_db):
    """A shared 即席查询 address shows its filtered, grouped view; the CSV downloaded in the browser
    holds the same figures and states the filters."""
    query = "subject=payments&f.month=6&f.month=7&group=fund_source&group=month&measure=sum%3Aamount&unit=%E5%85%83&as_of=2023-09-30"
    page = open_page(browser, f"{server}/explore?{query}")
    main = page.get_by_test_id("stMainBlockContainer")
    main.get_by_role("heading", name="即席查询").wait_for(timeout=30000)
    main.get_by_text("金额合计：按资金来源、月份").wait_for(timeout=30000)
    assert_no_exception(page)
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


def test_overview_states_what_the_score_hides_and_a_typed_date_applies_on_enter(browser, server, artifacts):
    """总览 at the demo's last day with data: the estimate is labelled, its 填报率 and grade counts are
    shown; a date typed in the sidebar applies on Enter; an item of 需要关注 opens its project."""
    page = open_page(browser, server)
    main = page.get_by_test_id("stMainBlockContainer")
    main.get_by_text("截至 2023-09-30（数据的最后日期）").wait_for(timeout=30000)
    main.get_by_text("部门自评得分（预估）").wait_for()
    main.get_by_text("填报率 98%；优 4 · 良 1 · 中 0 · 差 0", exact=False).wait_for()
    page.screenshot(path=str(artifacts / "overview-0930.png"), full_page=True)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("spinbutton", name="month, 截至日期").click()
    page.keyboard.type("0331")
    page.keyboard.press("Enter")
    main.get_by_text("截至 2023-03-31（所选日期）").wait_for(timeout=30000)
    wait_until_idle(page)
    assert "as_of=2023-03-31" in page.url
    main.get_by_text("尚无指标填报，无从预估", exact=False).wait_for()  # no score rather than 差 for lack of reports
    page.screenshot(path=str(artifacts / "overview-0331.png"), full_page=True)
    sidebar.get_by_role("button", name="三季度末").click()
    main.get_by_text("截至 2023-09-30（所选日期）").wait_for(timeout=30000)
    wait_until_idle(page)
    main.get_by_role("link", name="巨鹿县研究院专项经费 — 落后计划", exact=False).first.click()
    main.get_by_role("heading", name="巨鹿县研究院专项经费").wait_for(timeout=30000)
    wait_until_idle(page)
    assert "project=13052923P00584011183Y" in page.url and "as_of=2023-09-30" in page.url
    assert_no_exception(page)
    page.close()
