"""数据管理 under AppTest: upload → report → confirm, history and undo, and who may change data.

AppTest runs dashboard.py (with the sidebar) only on an app's first run; later runs execute the
current page file alone. So each test signs in on the first pages and then switches to the page.
"""

from __future__ import annotations

import time

import app_helpers
import pytest
from payment_files import ledger, ledger_csv, totals, write_csv
from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.store.db import REPO_ROOT, connect

PASSWORD = "page-test-password"


@pytest.fixture
def db(demo_copy):
    con = connect(demo_copy)
    try:
        auth.add_user(con, "ed", "editor", PASSWORD)
        auth.add_user(con, "vi", "viewer", PASSWORD)
    finally:
        con.close()
    return demo_copy


@pytest.fixture
def app(db, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(db))
    monkeypatch.delenv("MONITOR_REQUIRE_SIGNIN", raising=False)
    monkeypatch.delenv("MONITOR_SESSION_IDLE_MINUTES", raising=False)
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    return at


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> None:
    app_helpers.sign_in(at, name, password)


def open_data_page(at: AppTest) -> None:
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, at.exception


def upload(at: AppTest, name: str, data: bytes, kind: str = "payments") -> None:
    """Upload into the tab of `kind` (payments, targets or actuals)."""
    uploader = next(u for u in at.file_uploader if u.key.startswith(f"{kind}_file_"))
    uploader.set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def confirm_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key == "payments_confirm"]


def test_without_sign_in_the_file_is_checked_but_not_imported(app, db, tmp_path):
    open_data_page(app)
    before = totals(db)
    upload(app, "q4.csv", ledger_csv(tmp_path / "q4.csv").read_bytes())
    assert any(s.startswith("校验通过：5 笔支付") for s in texts(app.success))
    assert any("修改数据需要以「编辑」或更高角色登录" in s for s in texts(app.info))
    assert confirm_buttons(app) == []
    assert not [b for b in app.button if b.key == "undo_run"]
    assert totals(db) == before


def test_a_viewer_is_refused(app, db, tmp_path):
    sign_in(app, "vi")
    open_data_page(app)
    upload(app, "q4.csv", ledger_csv(tmp_path / "q4.csv").read_bytes())
    assert any("vi 的角色是「查看」，不能修改数据" in s for s in texts(app.warning))
    assert confirm_buttons(app) == []
    assert not [b for b in app.button if b.key == "undo_run"]


def test_a_wrong_password_does_not_sign_in(app, tmp_path):
    sign_in(app, "ed", "not the password")
    open_data_page(app)
    upload(app, "q4.csv", ledger_csv(tmp_path / "q4.csv").read_bytes())
    assert confirm_buttons(app) == []


def test_an_editor_imports_and_undoes(app, db, tmp_path):
    sign_in(app, "ed")
    open_data_page(app)
    count, total = totals(db)
    expected_total = sum(x.yuan for x in ledger())
    data = ledger_csv(tmp_path / "q4.csv").read_bytes()
    upload(app, "q4.csv", data)
    assert "预算年度 2023 由支付日期推断（全部日期都在该年）。" in texts(app.caption)
    confirm_buttons(app)[0].click().run()
    assert not app.exception, app.exception
    assert totals(db) == (count + 5, total + expected_total)
    assert any(s.startswith("已导入批次") and f"合计 {expected_total:,.2f} 元" in s for s in texts(app.success))

    upload(app, "q4.csv", data)  # the same file again
    assert any("已于批次" in s and "不会重复添加" in s for s in texts(app.info))
    assert confirm_buttons(app) == []
    assert totals(db) == (count + 5, total + expected_total)

    history = app.dataframe[-1].value
    batch_id = int(history["batch_id"].max())
    assert history.loc[history["batch_id"] == batch_id, "imported_by"].item() == "ed"
    app.selectbox(key="undo_batch").select(batch_id).run()
    app.checkbox(key=f"undo_sure_{batch_id}").check().run()
    app.button(key="undo_run").click().run()
    assert not app.exception, app.exception
    assert any(s.startswith(f"已撤销批次 {batch_id}：删除 5 行") for s in texts(app.success))
    assert totals(db) == (count, total)
    history = app.dataframe[-1].value
    assert history.loc[history["batch_id"] == batch_id, "undone"].item().startswith("已撤销：批次")


def test_a_bad_file_gets_a_report_and_no_import_button(app, db, tmp_path):
    sign_in(app, "ed")
    open_data_page(app)
    codes = [x.project_code for x in ledger()]
    header = ["项目编码", "支付日期", "金额（元）"]
    bad = write_csv(tmp_path / "bad.csv", header, [[codes[0], "2023-10-01", "10"], ["NOPE", "2023-10-02", "=1+1"]])
    before = totals(db)
    upload(app, "bad.csv", bad.read_bytes())
    assert any("发现 2 个问题" in s for s in texts(app.error))
    report = app.dataframe[0].value
    assert list(report["行"]) == [3, 3]
    assert set(report["列"]) == {"项目编码", "金额（元）"}
    assert [b.key for b in app.get("download_button") if b.key] == ["payments_report_download"]
    assert confirm_buttons(app) == []
    assert totals(db) == before


def test_targets_batches_cannot_be_undone(app):
    sign_in(app, "ed")
    open_data_page(app)
    app.selectbox(key="undo_batch").select(1).run()  # the demo's targets batch
    assert any("绩效目标批次不能撤销" in s for s in texts(app.warning))
    assert not [b for b in app.button if b.key == "undo_run"]


def test_an_idle_session_is_signed_out(app, db, tmp_path, monkeypatch):
    sign_in(app, "ed")
    open_data_page(app)
    upload(app, "q4.csv", ledger_csv(tmp_path / "q4.csv").read_bytes())
    assert len(confirm_buttons(app)) == 1
    monkeypatch.setenv("MONITOR_SESSION_IDLE_MINUTES", "0.0005")  # 30 ms
    time.sleep(0.1)
    app.run()
    assert confirm_buttons(app) == []
    assert any("请在左侧栏登录" in s for s in texts(app.info))


def test_viewing_can_require_sign_in(db, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(db))
    monkeypatch.setenv("MONITOR_REQUIRE_SIGNIN", "1")
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert any("请先在左侧栏登录后查看" in s for s in texts(at.info))
    assert len(at.metric) == 0
    sign_in(at, "vi")
    assert [m.value for m in at.metric if m.label == "预算总额（万元）"] == ["94.00"]


SEED_LIKE = REPO_ROOT / "tests" / "fixtures" / "documents" / "county_a.txt"


def test_targets_preview_then_confirm(app, db):
    sign_in(app, "ed")
    open_data_page(app)
    before = totals(db)
    upload(app, "county_a.txt", SEED_LIKE.read_bytes(), "targets")
    assert any("按项目编码推定为 2024 年" in s for s in texts(app.caption))
    assert any(s.startswith("预览：") and "2024 年度" in s for s in texts(app.success))
    assert totals(db) == before  # nothing written by the preview
    app.button(key="targets_confirm").click().run()
    assert not app.exception, app.exception
    assert any(s.startswith("已导入批次") for s in texts(app.success))
    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM projects WHERE year = 2024").fetchone()[0] > 0
        assert con.execute("SELECT imported_by FROM import_batches WHERE kind = 'targets' ORDER BY batch_id DESC LIMIT 1").fetchone() == (
            "ed",
        )
    finally:
        con.close()


def test_bad_targets_file_is_reported_not_written(app, db):
    sign_in(app, "ed")
    open_data_page(app)
    upload(app, "empty.txt", b"   ", "targets")
    assert any("问题" in s for s in texts(app.error))
    assert not [b for b in app.button if b.key == "targets_confirm"]


def test_actuals_upload_needs_an_editor_and_writes_one_batch(app, db):
    data = (
        "项目编码,三级指标,截至日期,实际完成值,偏差原因,原因说明,完成目标可能性\n"
        "13052923P00584011183Y,研究院利用率,2023-10-31,88%,硬件条件保障,设备已到位,有可能\n"
    ).encode()
    open_data_page(app)
    upload(app, "oct.csv", data, "actuals")
    assert any(s.startswith("校验通过：1 条完成值") for s in texts(app.success))
    assert not [b for b in app.button if b.key == "actuals_confirm"]  # not signed in


def test_actuals_upload_by_editor(app, db):
    data = ("项目编码,三级指标,截至日期,实际完成值\n13052923P00584011183Y,研究院利用率,2023-10-31,88%\n").encode()
    sign_in(app, "ed")
    open_data_page(app)
    upload(app, "oct.csv", data, "actuals")
    app.button(key="actuals_confirm").click().run()
    assert not app.exception, app.exception
    con = connect(db)
    try:
        assert con.execute("SELECT actual_value FROM indicator_actuals WHERE period_end = DATE '2023-10-31'").fetchall() == [(88.0,)]
    finally:
        con.close()


def test_actuals_editor_only_for_editors(app):
    app.switch_page("app_pages/indicators.py").run()
    assert not app.exception and not app.data_editor
    assert any("修改数据需要以「编辑」或更高角色登录" in s for s in texts(app.info))


def test_actuals_editor_shows_the_project_for_an_editor(app):
    sign_in(app, "ed")
    app.switch_page("app_pages/indicators.py").run()
    assert not app.exception, app.exception
    editors = app.data_editor
    assert len(editors) == 1
    save = next(b for b in app.button if b.key == "editor_save")
    assert save.disabled  # nothing changed yet


def test_an_editor_saves_actuals_from_the_editor(app, db):
    code = "13052923P00584011183Y"  # 巨鹿县研究院专项经费; row 1 is 研究院利用率
    sign_in(app, "ed")
    app.switch_page("app_pages/indicators.py").run()
    app.selectbox(key="editor_project").set_value(code).run()
    period = app.date_input(key="editor_period").value
    row = list(app.data_editor[0].value["level3"]).index("研究院利用率")
    app.session_state[f"editor_{code}_{period}"] = {
        "edited_rows": {row: {"actual": "91", "reason": "经费保障", "likelihood": "有可能"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    save = next(b for b in app.button if b.key == "editor_save")
    assert not save.disabled and "1" in save.label
    save.click().run()
    assert not app.exception, app.exception
    con = connect(db)
    try:
        assert con.execute(
            "SELECT a.actual_value, a.reason, a.likelihood, b.imported_by FROM indicator_actuals a JOIN import_batches b USING (batch_id)"
            " WHERE a.indicator_id = ? AND a.period_end = ?",
            [f"{code}-02", period],
        ).fetchall() == [(91.0, "经费保障", "有可能", "ed")]
    finally:
        con.close()
