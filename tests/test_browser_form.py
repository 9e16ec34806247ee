"""数据管理 → 监控表回填 in a real browser: a filled 填报版 uploaded, its preview with old → new seen."""

from __future__ import annotations

import shutil

from browser_helpers import assert_no_exception, needs_chromium, open_page, streamlit_server, wait_until_idle
from test_form_roundtrip import fill, person

from monitor.review.fill import build_fill_form
from monitor.store.db import connect, query_df

pytestmark = needs_chromium


def test_upload_a_filled_form_and_see_the_preview(browser, demo_db, tmp_path, artifacts):
    import datetime as dt
    from contextlib import closing

    db = tmp_path / "browser-form.duckdb"
    shutil.copy(demo_db, db)
    with closing(connect(db, read_only=True)) as con:
        blank = tmp_path / "监控表填报版.xlsx"
        blank.write_bytes(build_fill_form(lambda name, **p: query_df(con, name, **p), 2023, "731001", dt.date(2023, 9, 30)))
    filled = fill(blank, tmp_path / "已填监控表.xlsx", person)

    with streamlit_server(db) as url:
        page = open_page(browser, f"{url}/data?year=2023&as_of=2023-09-30")
        main = page.get_by_test_id("stMainBlockContainer")
        main.get_by_role("tab", name="监控表回填").click()
        panel = main.get_by_role("tabpanel", name="监控表回填")
        panel.get_by_text("下载填报版（2023-09-30）").wait_for(timeout=30000)
        panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(filled))
        panel.get_by_text("检查通过：3 个指标完成值、1 个全年预计执行数").wait_for(timeout=30000)
        wait_until_idle(page)
        panel.get_by_text("将写入的内容").wait_for()
        panel.get_by_text("导入后将填入监控任务：3").wait_for()
        assert_no_exception(page)
        table = panel.get_by_test_id("stDataFrame").first
        table.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "data-form-preview.png"), full_page=True)
        page.close()
