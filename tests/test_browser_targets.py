"""数据管理 → 绩效目标 in a real browser: a published PDF previewed beside its page images, and a
text document read with a doubt, whose import waits for the confirmation. Screenshots:
tests/artifacts/targets-preview-pdf.png, targets-preview-text.png."""

from __future__ import annotations

from pathlib import Path

from app_helpers import database_with_user
from browser_helpers import assert_no_exception, needs_chromium, open_page, streamlit_server, wait_until_idle

pytestmark = needs_chromium
DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"
PASSWORD = "browser-targets-password"


def _sign_in(page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("登录（修改数据需要）").click()
    sidebar.get_by_label("用户名").fill("editor1")
    sidebar.get_by_label("密码").fill(PASSWORD)
    sidebar.get_by_role("button", name="登录", exact=True).click()
    sidebar.get_by_text("已登录：editor1（编辑）").wait_for(timeout=30000)
    wait_until_idle(page)


def test_pdf_preview_shows_the_pages_beside_what_was_read(browser, demo_db, tmp_path, artifacts):
    db = database_with_user(demo_db, tmp_path / "browser-targets.duckdb", "editor1", "editor", PASSWORD)
    printer = browser.new_page()
    try:
        printer.set_content((DOCUMENTS / "county_a.html").read_text(encoding="utf-8"))
        pdf = tmp_path / "示例县农业农村局绩效目标.pdf"
        printer.pdf(path=str(pdf), format="A4")
    finally:
        printer.close()

    with streamlit_server(db) as url:
        page = open_page(browser, f"{url}/data")
        _sign_in(page)
        main = page.get_by_test_id("stMainBlockContainer")
        panel = main.get_by_role("tabpanel", name="绩效目标")
        panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(pdf))
        main.get_by_text("原文对照").wait_for(timeout=60000)
        wait_until_idle(page)
        image = main.get_by_test_id("stImage").locator("img").first
        image.wait_for(timeout=30000)
        assert image.evaluate("img => img.naturalWidth") > 800  # a page legible beside the table
        assert main.get_by_text("第 2 页").count() >= 1
        assert main.get_by_role("button", name="确认导入", exact=True).is_enabled()
        assert_no_exception(page)
        page.screenshot(path=str(artifacts / "targets-preview-pdf.png"), full_page=True)

        panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(DOCUMENTS / "county_b.txt"))  # replaces the PDF
        main.get_by_text("1 处存疑").wait_for(timeout=60000)
        wait_until_idle(page)
        confirm = main.get_by_role("button", name="确认导入", exact=True)
        assert confirm.is_disabled()
        page.screenshot(path=str(artifacts / "targets-preview-text.png"), full_page=True)
        main.get_by_text("已对照原文核对以上存疑之处").click()
        wait_until_idle(page)
        assert confirm.is_enabled()
        assert_no_exception(page)
        page.close()
