"""AppTest helpers shared by the page tests: the app opened on one page, optionally signed in."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytest import MonkeyPatch
from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.store.db import REPO_ROOT, connect


def database_with_user(source: Path, path: Path, name: str, role: str, password: str) -> Path:
    """A copy of the database `source` at `path` with one more user."""
    shutil.copy(source, path)
    con = connect(path)
    try:
        auth.add_user(con, name, role, password)
    finally:
        con.close()
    return path


def sign_in(at: AppTest, name: str, password: str) -> None:
    """Submit the sidebar's sign-in form (drawn by dashboard.py, which AppTest runs only on the first run)."""
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.button(key="auth_submit").click().run()
    assert not at.exception, at.exception


def app_on(
    db, monkeypatch: MonkeyPatch, page: str, *, user: str | None = None, password: str = "", timeout: int = 60, **params: str
) -> AppTest:
    """The app over database `db` with `params` in the address, signed in as `user` on its first
    run (when given), then switched to `page`."""
    monkeypatch.setenv("MONITOR_DB", str(db))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=timeout)
    at.query_params.update(params)
    at.run()
    if user:
        sign_in(at, user, password)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
