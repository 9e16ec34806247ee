"""数据管理 under AppTest: upload → report → confirm, history and undo, and who may change data.

AppTest runs dashboard.py (with the sidebar) only on an app's first run; later runs execute the
current page file alone. So each test signs in on the first pages and then switches to the page.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import app_helpers
import pytest
from payment_files import ledger, ledger_csv, totals, write_csv
from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.store.db import REPO_ROOT, connect

PASSWORD = "page-test-password"
KEPU = "13052923P00584011181P"  # 科普专项经费


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
    always = ("template_", "form_download")  # the blank templates and the 填报版 of 监控表回填 are always offered
    assert [b.key for b in app.get("download_button") if b.key and not b.key.startswith(always)] == ["payments_report_download"]
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
            " WHERE a.indicator_id = ? AND a.period_end = ? AND b.imported_by = 'ed'",
            [f"{code}-02", period],
        ).fetchall() == [(91.0, "经费保障", "有可能", "ed")]
    finally:
        con.close()


def _edit(app, code: str, level3: str, cells: dict) -> None:
    """Edit one row of the 绩效指标 editor (signed in) and press save."""
    app.selectbox(key="editor_project").set_value(code).run()
    period = app.date_input(key="editor_period").value
    row = list(app.data_editor[0].value["level3"]).index(level3)
    app.session_state[f"editor_{code}_{period}"] = {"edited_rows": {row: cells}, "added_rows": [], "deleted_rows": []}
    app.run()
    next(b for b in app.button if b.key == "editor_save").click().run()
    assert not app.exception, app.exception


def test_a_value_that_now_meets_its_target_prompts_about_the_kept_likelihood(app, db):
    """研究院任务完成率 (≥95%) was 70 with 完成可能性 有可能 and a 偏差原因: raised to 96 it is met, and the
    kept judgement would contradict it. The editor says so and offers to clear it; the history shows 70 → 96."""
    code = "13052923P00584011183Y"
    sign_in(app, "ed")
    app.switch_page("app_pages/indicators.py").run()
    _edit(app, code, "研究院任务完成率", {"actual": "96"})
    warning = [w.value for w in app.warning if "自相矛盾" in w.value]
    assert warning and "研究院任务完成率" in warning[0]
    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM import_batches WHERE imported_by = 'ed'").fetchone()[0] == 0  # nothing written yet
    finally:
        con.close()
    app.button(key="editor_clear").click().run()
    assert not app.exception, app.exception
    con = connect(db)
    try:
        saved = con.execute(
            "SELECT a.actual_value, a.likelihood, a.reason FROM indicator_actuals a JOIN import_batches b USING (batch_id)"
            " WHERE a.indicator_id = ? AND b.imported_by = 'ed'",
            [f"{code}-03"],
        ).fetchall()
    finally:
        con.close()
    assert saved == [(96.0, None, None)]
    app.query_params["project"] = code
    app.switch_page("app_pages/project.py").run()
    status = app.dataframe[0].value
    assert status.loc[status["level3"] == "研究院任务完成率", "status_word"].iloc[0] == "达标"
    changes = next(d.value for d in app.dataframe if "old" in d.value.columns)
    mine = changes[(changes["imported_by"] == "ed") & (changes["level3"] == "研究院任务完成率")].fillna("")
    assert ("实际完成值", "70", "96") in set(zip(mine["field"], mine["old"], mine["new"]))
    assert ("完成目标可能性", "有可能", "") in set(zip(mine["field"], mine["old"], mine["new"]))  # cleared
    app.switch_page("app_pages/data.py").run()
    history = next(d.value for d in app.dataframe if "changes" in d.value.columns)
    assert "研究院任务完成率（2023-09-30）实际完成值 70 → 96" in history.iloc[0]["changes"]


def _metric(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_an_import_moves_the_default_date_and_shows_on_the_overview(app, db, tmp_path):
    """Two October payments imported in the session appear on 总览 without touching the date."""
    assert any(c.value == "截至 2023-09-30（数据的最后日期）" for c in app.caption)
    before = _metric(app, "累计支出（万元）")
    sign_in(app, "ed")
    open_data_page(app)
    rows = [[KEPU, "2023-10-08", "12000.00", "OCT-1", "十月科普活动"], [KEPU, "2023-10-12", "8000.00", "OCT-2", "十月讲座"]]
    upload(
        app, "october.csv", write_csv(tmp_path / "october.csv", ["项目编码", "支付日期", "金额（元）", "凭证号", "摘要"], rows).read_bytes()
    )
    confirm_buttons(app)[0].click().run()
    assert not app.exception, app.exception
    app.switch_page("app_pages/overview.py").run()
    assert any(c.value == "截至 2023-10-12（数据的最后日期）" for c in app.caption)
    assert Decimal(_metric(app, "累计支出（万元）")) == Decimal(before) + Decimal("2.00")


def test_a_chosen_date_stays_and_the_quarter_ends_are_one_click(app):
    app.button(key="as_of_q2").click().run()
    assert app.session_state["as_of"] == dt.date(2023, 6, 30) and app.query_params["as_of"] in ("2023-06-30", ["2023-06-30"])
    assert any(c.value == "截至 2023-06-30（所选日期）" for c in app.caption)
    app.run()
    assert app.session_state["as_of"] == dt.date(2023, 6, 30)
    app.button(key="as_of_follow").click().run()
    assert app.session_state["as_of"] == dt.date(2023, 9, 30) and "as_of" not in app.query_params
