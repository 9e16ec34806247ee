"""Unit scope: a user given a unit (or a department with its units) changes that unit's data only.

The demo holds one unit, 731001; these tests put it under a department 731 and add a sibling unit
731002 without projects, so that a scope can be the unit, its department, or another unit. The rule
is checked on the functions every write goes through (monitor.auth.refuse_outside and the rounds),
then on 数据管理 under AppTest: a file of another unit is checked but offers no import, and the
history offers no undo of another unit's batch."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import closing

import app_helpers
import pytest
from payment_files import ledger_csv, totals

from monitor import auth
from monitor.auth import User
from monitor.cli import main
from monitor.errors import NotAllowed, Refused
from monitor.rounds import attachments, tasks
from monitor.store.db import connect, query_df

UNIT, SIBLING, DEPARTMENT = "731001", "731002", "731"
YJY = "13052923P00584011183Y"  # 巨鹿县研究院专项经费 of 731001
DEPT_WIDE = "731001-D02"  # a department-wide indicator of 731001
PASSWORD = "scope-test-password"


def add_hierarchy(con) -> None:
    insert = "INSERT INTO departments (dept_code, name, parent_code, region_code, level) VALUES (?, ?, ?, '130529', ?)"
    con.execute(insert, [DEPARTMENT, "巨鹿县科学技术协会", None, "部门"])
    con.execute(insert, [SIBLING, "巨鹿县科普中心", DEPARTMENT, "单位"])
    con.execute("UPDATE departments SET parent_code = ? WHERE dept_code = ?", [DEPARTMENT, UNIT])


@pytest.fixture
def con(demo_copy):
    with closing(connect(demo_copy)) as con:
        add_hierarchy(con)
        yield con


@pytest.mark.parametrize(("scope", "allowed"), [(None, True), (UNIT, True), (DEPARTMENT, True), (SIBLING, False)])
def test_a_scope_covers_its_unit_and_the_units_below(con, scope, allowed):
    user = User("ed", "editor", scope)
    writes = [{"projects": [YJY]}, {"indicators": [f"{YJY}-01"]}, {"indicators": [DEPT_WIDE]}, {"units": [UNIT]}]
    for touched in writes:
        if allowed:
            auth.refuse_outside(con, user, 2023, **touched)
        else:
            with pytest.raises(NotAllowed) as refused:
                auth.refuse_outside(con, user, 2023, **touched)
            assert refused.value.message("zh") == f"ed 只能修改 {SIBLING} 及其下属单位的数据，这次写入涉及其他单位：{UNIT}；未写入任何数据"


def test_scopes_are_given_checked_and_recorded(con):
    admin = auth.add_user(con, "ad", "admin", PASSWORD)
    clerk = auth.admin_add_user(con, admin, "clerk", "editor", PASSWORD, UNIT)
    assert auth.get_user(con, "clerk") == clerk == User("clerk", "editor", UNIT)
    with pytest.raises(Refused, match="管理员管理全部单位"):
        auth.admin_add_user(con, admin, "boss", "admin", PASSWORD, UNIT)
    with pytest.raises(Refused, match="没有代码为 999 的单位"):
        auth.change_role(con, admin, "clerk", "editor", "999")
    auth.change_role(con, admin, "clerk", "editor", DEPARTMENT)
    auth.change_role(con, admin, "clerk", "viewer", None)
    assert auth.get_user(con, "clerk") == User("clerk", "viewer", None)
    details = con.execute("SELECT action, detail FROM user_changes WHERE user_name = 'clerk' ORDER BY change_id").fetchall()
    assert details == [("add", "editor@731001"), ("role", "editor@731001→editor@731"), ("role", "editor@731→viewer")]
    signed_in = auth.sign_in(con, "clerk", PASSWORD).user
    assert signed_in == User("clerk", "viewer", None)
    auth.change_role(con, admin, "clerk", "editor", UNIT)
    users = query_df(con, "user_list").set_index("user_name")
    assert users.loc["clerk", ["scope_code", "scope_name"]].tolist() == [UNIT, "巨鹿县科学技术协会本级"]
    assert users["scope_code"].isna()["ad"]


def test_rounds_evidence_and_rectification_of_another_unit_are_refused(con, demo_copy):
    other = User("ed", "editor", SIBLING)
    task_id = tasks.create_task(con, User("ad", "admin"), 2023, "任务", dt.date(2023, 9, 30), dt.date(2023, 10, 15), [UNIT])
    with pytest.raises(NotAllowed, match=f"只能修改 {SIBLING}"):
        tasks.submit(con, other, task_id, UNIT, {})
    for kind, key in (("project", YJY), ("indicator", f"{YJY}-01"), ("round", f"{task_id}/{UNIT}")):
        with pytest.raises(NotAllowed, match=f"只能修改 {SIBLING}"):
            attachments.add(con, other, 2023, kind, key, "凭证.pdf", b"%PDF-1.7\n" + b"x" * 100, demo_copy)
    assert con.execute("SELECT count(*) FROM round_snapshots WHERE task_id = ?", [task_id]).fetchone()[0] == 0


@pytest.fixture
def scoped_db(demo_copy):
    with closing(connect(demo_copy)) as con:
        add_hierarchy(con)
        auth.add_user(con, "own", "editor", PASSWORD, scope=UNIT)
        auth.add_user(con, "other", "editor", PASSWORD, scope=SIBLING)
    return demo_copy


def _upload(at, data: bytes) -> None:
    next(u for u in at.file_uploader if u.key.startswith("payments_file_")).set_value(("q4.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception


def test_the_data_page_imports_and_undoes_only_the_users_units(scoped_db, monkeypatch, tmp_path):
    data = ledger_csv(tmp_path / "q4.csv").read_bytes()
    before = totals(scoped_db)
    other = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/data.py", user="other", password=PASSWORD)
    _upload(other, data)
    assert any(f"other 只能修改 {SIBLING} 及其下属单位的数据" in w.value and UNIT in w.value for w in other.warning)
    assert not [b for b in other.button if b.key == "payments_confirm"]
    assert totals(scoped_db) == before

    own = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/data.py", user="own", password=PASSWORD)
    assert own.session_state["dept"] == UNIT  # signed in, a unit's staff see their unit first
    _upload(own, data)
    own.button(key="payments_confirm").click().run()
    assert not own.exception, own.exception
    assert totals(scoped_db)[0] == before[0] + 5
    batch_id = int(own.dataframe[-1].value["batch_id"].max())

    other = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/data.py", user="other", password=PASSWORD)
    other.selectbox(key="undo_batch").select(batch_id).run()
    assert any(f"只能修改 {SIBLING}" in w.value for w in other.warning)
    assert not [b for b in other.button if b.key == "undo_run"]
    assert totals(scoped_db)[0] == before[0] + 5


def test_an_actuals_file_of_another_unit_offers_no_import(scoped_db, monkeypatch):
    data = "项目编码,三级指标,截至日期,实际完成值\n13052923P00584011183Y,研究院利用率,2023-10-31,88%\n".encode()
    at = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/data.py", user="other", password=PASSWORD)
    next(u for u in at.file_uploader if u.key.startswith("actuals_file_")).set_value(("oct.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("校验通过：1 条完成值") for s in at.success)
    assert any(f"只能修改 {SIBLING}" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "actuals_confirm"]


def test_add_user_takes_a_unit_on_the_command_line(scoped_db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["add-user", "clerk", "--role", "editor", "--unit", UNIT, "--password-stdin", "--db", str(scoped_db)]) == 0
    with closing(connect(scoped_db)) as con:
        assert auth.get_user(con, "clerk") == User("clerk", "editor", UNIT)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["add-user", "root", "--role", "admin", "--unit", UNIT, "--password-stdin", "--db", str(scoped_db)]) == 2
    assert "管理员管理全部单位" in capsys.readouterr().err


def test_the_actuals_editor_and_the_forecast_form_stay_closed_to_another_unit(scoped_db, monkeypatch):
    other = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/indicators.py", user="other", password=PASSWORD)
    assert not other.data_editor and any(f"只能修改 {SIBLING}" in w.value for w in other.warning)
    own = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/indicators.py", user="own", password=PASSWORD)
    assert len(own.data_editor) == 1
    other = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/project.py", user="other", password=PASSWORD, project=YJY)
    assert not [b for b in other.button if b.key in ("forecast_save", "note_save")]
    assert any(f"只能修改 {SIBLING}" in w.value for w in other.warning)
    own = app_helpers.app_on(scoped_db, monkeypatch, "app_pages/project.py", user="own", password=PASSWORD, project=YJY)
    assert {b.key for b in own.button} >= {"forecast_save", "note_save"}
