"""数据管理 in a real browser: sign in from the sidebar, upload a small CSV, confirm, see it stored."""

from __future__ import annotations

import shutil
from decimal import Decimal

from browser_helpers import assert_no_exception, needs_chromium, open_page, streamlit_server, wait_until_idle
from payment_files import demo_codes, totals, write_csv

from monitor import auth
from monitor.store.db import connect
from monitor.ui.data import REFRESH_SECONDS

pytestmark = needs_chromium
PASSWORD = "browser-test-password"


def test_sign_in_and_import_a_csv(browser, demo_db, tmp_path, artifacts):
    db = tmp_path / "browser-import.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    try:
        auth.add_user(con, "editor1", "editor", PASSWORD)
    finally:
        con.close()
    codes = demo_codes()
    amounts = [Decimal("1234.56"), Decimal("-34.56")]
    ledger = write_csv(
        tmp_path / "十月支付.csv",
        ["项目编码", "支付日期", "金额（元）", "凭证号", "摘要"],
        [[codes[1], "2023-10-10", "1,234.56", "B-1", "浏览器测试"], [codes[3], "2023-10-11", "-34.56", "B-2", "退款"]],
    )
    before = totals(db)

    with streamlit_server(db) as url:
        page = open_page(browser, f"{url}/data")
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text("登录（修改数据需要）").click()
        sidebar.get_by_label("用户名").fill("editor1")
        sidebar.get_by_label("密码").fill("wrong password")
        sidebar.get_by_role("button", name="登录", exact=True).click()
        sidebar.get_by_text("用户名或密码不正确。").wait_for(timeout=30000)
        wait_until_idle(page)
        sidebar.get_by_label("用户名").fill("editor1")
        sidebar.get_by_label("密码").fill(PASSWORD)
        sidebar.get_by_role("button", name="登录", exact=True).click()
        sidebar.get_by_text("已登录：editor1（编辑）").wait_for(timeout=30000)
        wait_until_idle(page)

        main = page.get_by_test_id("stMainBlockContainer")
        main.get_by_role("tab", name="支付流水").click()
        main.get_by_role("tabpanel", name="支付流水").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ledger))
        main.get_by_text("校验通过：2 笔支付").wait_for(timeout=30000)
        wait_until_idle(page)
        page.screenshot(path=str(artifacts / "data-checked.png"), full_page=True)
        main.get_by_role("button", name="确认导入", exact=True).click()
        done = main.get_by_text("已导入批次")
        done.wait_for(timeout=30000)
        wait_until_idle(page)
        assert f"合计 {sum(amounts):,.2f} 元" in done.inner_text()
        assert_no_exception(page)
        page.screenshot(path=str(artifacts / "data-import.png"), full_page=True)
        page.wait_for_timeout((REFRESH_SECONDS + 1) * 1000)  # a look for new data after the page's own import
        assert page.get_by_role("button", name="显示新数据").count() == 0  # its own write (and the sign-in) is not news to it
        page.close()

    assert totals(db) == (before[0] + 2, before[1] + sum(amounts))
