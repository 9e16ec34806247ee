"""Who may change data: every write of the app, tried as nobody, as a viewer and as an editor; the
database and every output hold password hashes only; failed sign-ins slow down in the app too."""

from __future__ import annotations

from contextlib import closing

import pytest
from app_helpers import app_on
from cli_run import run_cli
from db_state import fingerprint
from payment_files import ledger_csv
from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.i18n import t
from monitor.store.db import REPO_ROOT, connect

PASSWORD = "access-test-password-7"


@pytest.fixture
def db(demo_copy):
    with closing(connect(demo_copy)) as con:
        auth.add_user(con, "ed", "editor", PASSWORD)
        auth.add_user(con, "vi", "viewer", PASSWORD)
    return demo_copy


def app_as(db, monkeypatch, user: str | None, page: str, password: str = PASSWORD) -> AppTest:
    return app_on(db, monkeypatch, page, user=user, password=password)


def _upload(at: AppTest, kind: str, name: str, data: bytes) -> None:
    (uploader,) = [u for u in at.file_uploader if u.key.startswith(f"{kind}_file")]
    uploader.set_value((name, data, "application/octet-stream"))
    at.run()


def _payments_import(at: AppTest, tmp_path) -> bool:
    _upload(at, "payments", "q4.csv", ledger_csv(tmp_path / "q4.csv").read_bytes())
    return any(b.key == "payments_confirm" for b in at.button)


def _targets_import(at: AppTest, tmp_path) -> bool:
    _upload(at, "targets", "county_a.txt", (REPO_ROOT / "tests" / "fixtures" / "documents" / "county_a.txt").read_bytes())
    return any(b.key == "targets_confirm" for b in at.button)


def _actuals_import(at: AppTest, tmp_path) -> bool:
    row = "13052923P00584011183Y,,研究院利用率,2023-12-31,97%,,,确定能,"
    _upload(
        at,
        "actuals",
        "q4.csv",
        f"项目编码,二级指标,三级指标,截至日期,实际完成值,偏差原因,原因说明,完成目标可能性,纠偏措施\n{row}\n".encode(),
    )
    return any(b.key == "actuals_confirm" for b in at.button)


def _undo(at: AppTest, tmp_path) -> bool:
    at.selectbox(key="undo_batch").select(2).run()  # the demo's payments batch
    return any(b.key == "undo_run" for b in at.button)


def _note(at: AppTest, tmp_path) -> bool:
    return bool(at.text_area)


def _saved_view(at: AppTest, tmp_path) -> bool:
    return any(box.label == t("view_name") for box in at.text_input)


# (action, page, whether the page offers the write)
ACTIONS = [
    ("targets import", "app_pages/data.py", _targets_import),
    ("payments import", "app_pages/data.py", _payments_import),
    ("actuals import", "app_pages/data.py", _actuals_import),
    ("undo", "app_pages/data.py", _undo),
    ("project note", "app_pages/project.py", _note),
    ("saved view", "app_pages/explore.py", _saved_view),
]
REFUSALS = {None: "请在左侧栏登录", "vi": "vi 的角色是「查看」，不能修改数据"}


@pytest.mark.parametrize("user", [None, "vi", "ed"], ids=["nobody", "viewer", "editor"])
def test_each_write_needs_an_editor(db, monkeypatch, tmp_path, user):
    before = fingerprint(db)
    at = app_as(db, monkeypatch, user, "app_pages/overview.py")
    for action, page, offered in ACTIONS:
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert offered(at, tmp_path) == (user == "ed"), f"{action} as {user}"
        if user != "ed":
            messages = [m.value for m in [*at.info, *at.warning]]
            assert any(REFUSALS[user] in m for m in messages), (action, messages)
    assert fingerprint(db) == before  # looking (and being refused) changes nothing


def test_passwords_are_nowhere_but_as_hashes(db, monkeypatch, tmp_path):
    at = app_as(db, monkeypatch, "ed", "app_pages/data.py", password="wrong-" + PASSWORD)  # a failure is recorded too
    app_as(db, monkeypatch, "ed", "app_pages/data.py")
    cli_db = str(tmp_path / "cli.duckdb")
    done = run_cli("add-user", "cli-user", "--role", "viewer", "--password-stdin", "--db", cli_db, stdin=PASSWORD + "\n")
    assert done.returncode == 0 and PASSWORD not in done.stdout + done.stderr
    assert not [e for e in at.get("text_input") if PASSWORD in str(e.value)]  # the sign-in form is cleared
    with closing(connect(db)) as con:
        con.execute("CHECKPOINT")
        hashes = [h for (h,) in con.execute("SELECT password_hash FROM users").fetchall()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    for path in [db, db.with_name(db.name + ".wal"), tmp_path / "cli.duckdb"]:
        if path.exists():
            raw = path.read_bytes()
            assert PASSWORD.encode() not in raw and ("wrong-" + PASSWORD).encode() not in raw, path


def test_failed_sign_ins_lock_the_name_in_the_app(db, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(db))

    def attempt(password: str) -> AppTest:
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)  # a new browser session each time
        at.run()
        at.text_input(key="auth_name").input("ed")
        at.text_input(key="auth_password").input(password)
        at.button(key="auth_submit").click().run()
        assert not at.exception, at.exception
        return at

    for _ in range(auth.FREE_ATTEMPTS):
        attempt("not-the-password")
    at = attempt(PASSWORD)  # the right password, while the name is locked
    assert "auth_user" not in at.session_state
    assert any(w.value.startswith("登录失败次数过多") for w in at.sidebar.warning), [w.value for w in at.sidebar.warning]
