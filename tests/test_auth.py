"""Users and sign-in: argon2 hashes, roles, slower and slower failed sign-ins, `add-user`."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest

from monitor import auth
from monitor.cli import main
from monitor.errors import Refused
from monitor.store.db import connect

PASSWORD = "correct horse 42"
T0 = dt.datetime(2023, 10, 1, 9, 0, 0)


@pytest.fixture
def con(tmp_path):
    con = connect(tmp_path / "users.duckdb")
    yield con
    con.close()


def test_hashes_are_salted_and_verify():
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert PASSWORD not in first
    assert first != second  # a fresh salt each time
    assert auth.verify_password(first, PASSWORD) and auth.verify_password(second, PASSWORD)
    assert not auth.verify_password(first, PASSWORD + " ")
    assert not auth.verify_password("not a hash", PASSWORD)


def test_only_the_hash_is_stored(con):
    auth.add_user(con, "alice", "editor", PASSWORD)
    stored = con.execute("SELECT * FROM users").fetchall()
    assert PASSWORD not in repr(stored)
    assert auth.sign_in(con, "alice", PASSWORD, T0).user == auth.User("alice", "editor")


def test_roles_are_ordered():
    admin, editor, viewer = auth.User("a", "admin"), auth.User("e", "editor"), auth.User("v", "viewer")
    assert admin.can("editor") and admin.can("admin")
    assert editor.can("editor") and not editor.can("admin")
    assert viewer.can("viewer") and not viewer.can("editor")


@pytest.mark.parametrize(
    ("name", "role", "password", "words"),
    [
        ("bob", "editor", "short", "至少 8 个字符"),
        ("bob", "owner", PASSWORD, "角色应为"),
        ("b ob", "editor", PASSWORD, "不含空格"),
        ("alice", "viewer", PASSWORD, "已存在"),
    ],
)
def test_bad_users_are_refused(con, name, role, password, words):
    auth.add_user(con, "alice", "editor", PASSWORD)
    with pytest.raises(Refused, match=words):
        auth.add_user(con, name, role, password)
    assert con.execute("SELECT count(*) FROM users").fetchone()[0] == 1


def test_failed_sign_ins_get_slower(con):
    auth.add_user(con, "alice", "editor", PASSWORD)
    now = T0
    waits = []
    for _ in range(6):
        result = auth.sign_in(con, "alice", "wrong password", now)
        assert result.user is None
        waits.append(result.retry_after)
        now += result.retry_after  # the next try comes just when allowed
    assert waits[:2] == [dt.timedelta(0), dt.timedelta(0)]
    assert all(later > earlier for earlier, later in itertools.pairwise(waits[2:])), waits  # each window longer than the last
    assert waits[2] > dt.timedelta(0)
    # While locked, even the right password is not accepted, and says how long to wait.
    locked = auth.sign_in(con, "alice", PASSWORD, now - dt.timedelta(seconds=1))
    assert locked.user is None and locked.retry_after == dt.timedelta(seconds=1)
    # The failures are recorded in the database, not in a session.
    assert con.execute("SELECT failed_attempts FROM users WHERE user_name = 'alice'").fetchone()[0] == 6
    # Once the window has passed, the right password works and the count starts again.
    assert auth.sign_in(con, "alice", PASSWORD, now).user is not None
    assert auth.sign_in(con, "alice", "wrong again", now).retry_after == dt.timedelta(0)


def test_lockout_is_capped():
    assert auth.lockout(0) == auth.lockout(auth.FREE_ATTEMPTS - 1) == dt.timedelta(0)
    assert auth.lockout(auth.FREE_ATTEMPTS) == auth.FIRST_LOCKOUT
    assert auth.lockout(auth.FREE_ATTEMPTS + 1) == 2 * auth.FIRST_LOCKOUT
    assert auth.lockout(100) == auth.MAX_LOCKOUT


def test_unknown_user_is_refused(con):
    assert auth.sign_in(con, "nobody", PASSWORD, T0) == auth.SignIn(None)


def test_add_user_command_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    db = tmp_path / "cli.duckdb"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["add-user", "root", "--role", "admin", "--password-stdin", "--db", str(db)]) == 0
    assert "已创建用户 root，角色「管理员」" in capsys.readouterr().out
    con = connect(db)
    try:
        assert auth.sign_in(con, "root", PASSWORD, T0).user == auth.User("root", "admin")
    finally:
        con.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["add-user", "other", "--role", "editor", "--password-stdin", "--db", str(db)]) == 2
    assert "至少 8 个字符" in capsys.readouterr().err


def test_no_password_option_on_the_command_line():
    with pytest.raises(SystemExit):
        main(["add-user", "root", "--role", "admin", "--password", PASSWORD])
