"""Issue 19 in the real browser at 1440×900: every page in both languages (screenshots under
tests/artifacts/), 总览 printed (no sidebar, charts whole, A4), and a fresh database set up by its
first admin who then adds a user on the users page."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator

import pypdfium2
import pytest
from browser_helpers import assert_no_exception, needs_chromium, streamlit_server, wait_until_idle
from playwright.sync_api import Browser, Page

from monitor.auth import get_user
from monitor.store.db import connect

pytestmark = needs_chromium

VIEWPORT = {"width": 1440, "height": 900}
PAGES = ("", "disbursement", "indicators", "project", "explore", "rounds", "data")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Words of our Chinese UI that must not remain in the English one (the data, e.g. project names, stays as written).
ZH_UI_WORDS = ("万元", "全部单位", "优", "良", "达标", "未填报", "确定能", "有可能", "产出指标", "效益指标", "预算执行率", "截至")


def open_at_1440(browser: Browser, url: str) -> Page:
    page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
    page.goto(url)
    wait_until_idle(page)
    return page


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser19") / "demo.duckdb"
    shutil.copy(demo_db, db)
    with streamlit_server(db) as url:
        yield url


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_at_1440_in_both_languages(browser, server, artifacts, path, lang):
    page = open_at_1440(browser, f"{server}/{path}?lang={lang}&as_of=2023-09-30")
    assert_no_exception(page)
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    main = page.get_by_test_id("stMainBlockContainer").inner_text()
    page.screenshot(path=str(artifacts / f"i19-{lang}-{path or 'overview'}.png"))
    for word in ("None", "nan", "NaN"):
        assert not re.search(rf"\b{word}\b", main), (path, word)
    if lang == "en":
        assert "全部单位" not in sidebar and "万元" not in sidebar
        chrome = " ".join(
            page.locator(
                '[data-testid="stMainBlockContainer"] :is(h1, h2, h3, label, button, [data-testid="stMetricLabel"])'
            ).all_inner_texts()
        )
        assert [w for w in ZH_UI_WORDS if w in chrome] == [], path
    else:
        assert not re.search(r"\b(green|amber|red)\b", main), path
    page.close()


def test_overview_prints_without_the_sidebar_and_with_whole_charts(browser, server, artifacts):
    page = open_at_1440(browser, f"{server}/?as_of=2023-09-30")
    page.emulate_media(media="print")
    assert not page.get_by_test_id("stSidebar").is_visible()
    charts = page.locator(".js-plotly-plot")
    assert charts.count() >= 1
    width = page.evaluate("() => document.documentElement.clientWidth")
    for n in range(charts.count()):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    first = pdf[0]
    assert (round(first.get_width()), round(first.get_height())) == (842, 595)  # A4 landscape
    text = first.get_textpage().get_text_range()
    assert "总览" in text and "数据管理" not in text  # the page's heading, not the sidebar's links
    first.render(scale=1.2).to_pil().save(artifacts / "i19-overview-print.png")
    page.close()


def test_a_fresh_database_is_set_up_by_its_first_admin_in_the_browser(browser, demo_db, tmp_path, artifacts):
    db = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db, db)  # the demo has no users
    with streamlit_server(db) as url:
        page = open_at_1440(browser, url)
        sidebar = page.get_by_test_id("stSidebar")
        form = sidebar.get_by_test_id("stForm").first
        inputs = form.locator("input")
        inputs.nth(0).fill("boss")
        inputs.nth(1).fill("first-admin-password")
        inputs.nth(2).fill("first-admin-password")
        page.screenshot(path=str(artifacts / "i19-first-admin.png"))
        form.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
        wait_until_idle(page)
        sidebar.get_by_text("boss", exact=False).first.wait_for(timeout=20000)
        sidebar.get_by_role("link", name="用户管理").click()
        wait_until_idle(page)
        main = page.get_by_test_id("stMainBlockContainer")
        main.get_by_text("添加用户").first.click()
        add = main.get_by_test_id("stForm").first
        add.locator("input").first.fill("clerk")
        add.locator('input[type="password"]').fill("clerk-temporary-1")
        add.get_by_test_id("stBaseButton-secondaryFormSubmit").click()
        wait_until_idle(page)
        assert_no_exception(page)
        page.screenshot(path=str(artifacts / "i19-users.png"), full_page=True)
        page.close()
    con = connect(db, read_only=True)
    try:
        assert get_user(con, "boss").role == "admin"
        assert get_user(con, "clerk") is not None
    finally:
        con.close()
