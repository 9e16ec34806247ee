"""The widgets of 用户管理 (app_pages/users.py, admins only): the users, adding one, resetting a
password, changing a role and the unit whose data a user may change, unlocking a name, and the
history of these changes. The rules and the rights are in monitor.auth; the lists are read fresh
(they are small and change outside imports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb
import pandas as pd
import streamlit as st

from monitor import auth
from monitor.auth import ROLES, User
from monitor.fmt import plain
from monitor.rules.words import role_word
from monitor.store import db
from monitor.ui.data import cursor
from monitor.ui.errors import write_then_rerun
from monitor.ui.filters import ALL, Filters
from monitor.ui.widgets import show_table

USER_COLUMNS = ("user_name", "role", "scope", "created_at", "failed_attempts", "locked_until", "must_change")
CHANGE_COLUMNS = ("changed_at", "by_user", "user_name", "action", "detail")
ACTIONS = ("first_admin", "add", "reset", "role", "unlock", "password")


def _act(f: Filters, action: Callable[[duckdb.DuckDBPyConnection], object], done: str) -> None:
    """Run a change in one write; on success say so after the rerun that shows it, else say why not."""
    write_then_rerun(f.lang, action, "users_notice", done)


def users_table(f: Filters) -> pd.DataFrame:
    users = db.query_df(cursor(), "user_list")
    if notice := st.session_state.pop("users_notice", None):
        st.success(notice)
    now = dt.datetime.now()
    shown = users.assign(
        role=[role_word(r, f.lang) for r in users["role"]],
        scope=[_scope_text(f, c, n) for c, n in zip(users["scope_code"], users["scope_name"])],
        locked_until=[_locked(n, at, now) for n, at in zip(users["failed_attempts"], users["last_failed_at"])],
    )
    config = {c: f.t(f"user_col_{c}") for c in USER_COLUMNS} | {
        "created_at": st.column_config.DatetimeColumn(f.t("user_col_created_at"), format="YYYY-MM-DD HH:mm"),
        "locked_until": st.column_config.DatetimeColumn(f.t("user_col_locked_until"), format="YYYY-MM-DD HH:mm:ss"),
        "must_change": st.column_config.CheckboxColumn(f.t("user_col_must_change")),
    }
    show_table(shown, config, list(USER_COLUMNS))
    return users


def _locked(failures: int, last_failed_at, now: dt.datetime) -> dt.datetime | None:
    until = auth.locked_until(int(failures), None if pd.isna(last_failed_at) else pd.Timestamp(last_failed_at).to_pydatetime())
    return until if until is not None and until > now else None


def _scope_text(f: Filters, code: object, name: object) -> str:
    """A user's scope in words: every unit, or the unit's code and name."""
    if not isinstance(code, str):
        return f.t("users_scope_all")
    return f"{code} {name}" if isinstance(name, str) else code


def _scope_select(f: Filters, key: str) -> str | None:
    """The unit whose data a user may change: every unit (None), or a unit or department with its units."""
    units = db.query_df(cursor(), "filter_departments", year=f.year) if f.year else pd.DataFrame(columns=["dept_code", "name"])
    names = dict(zip(units["dept_code"], units["name"]))
    chosen = st.selectbox(
        f.t("user_col_scope"),
        [ALL, *names],
        format_func=lambda c: _scope_text(f, None if c == ALL else c, names.get(c)),
        help=f.t("users_scope_help"),
        key=key,
    )
    return None if chosen == ALL else chosen


def add_form(f: Filters, admin: User) -> None:
    with st.expander(f.t("users_add")), st.form("users_add_form", clear_on_submit=True):
        name = st.text_input(f.t("signin_user"), key="users_add_name")
        role = st.selectbox(f.t("user_col_role"), ROLES, index=1, format_func=lambda r: role_word(r, f.lang), key="users_add_role")
        scope = _scope_select(f, "users_add_scope")
        password = st.text_input(f.t("users_temporary"), type="password", autocomplete="new-password", key="users_add_password")
        if st.form_submit_button(f.t("users_add_submit"), key="users_add_submit"):
            done = f.t("users_done_add", name=plain(name.strip()), role=role_word(role, f.lang), scope=_scope_text(f, scope, None))
            _act(f, lambda con: auth.admin_add_user(con, admin, name.strip(), role, password, scope), done)


def manage_forms(f: Filters, admin: User, users: pd.DataFrame) -> None:
    """Reset a password, change a role, unlock a name: one form each."""
    names = users["user_name"].tolist()
    reset, role, unlock = st.columns(3)
    with reset.form("users_reset_form", clear_on_submit=True):
        st.markdown(f"**{f.t('users_reset')}**")
        name = st.selectbox(f.t("users_pick"), names, key="users_reset_name")
        password = st.text_input(f.t("users_temporary"), type="password", autocomplete="new-password", key="users_reset_password")
        if st.form_submit_button(f.t("users_reset_submit"), key="users_reset_submit"):
            _act(f, lambda con: auth.reset_password(con, admin, name, password), f.t("users_done_reset", name=plain(name)))
    with role.form("users_role_form"):
        st.markdown(f"**{f.t('users_role')}**")
        name = st.selectbox(f.t("users_pick"), names, key="users_role_name")
        new = st.selectbox(f.t("user_col_role"), ROLES, format_func=lambda r: role_word(r, f.lang), key="users_role_new")
        scope = _scope_select(f, "users_role_scope")
        if st.form_submit_button(f.t("users_role_submit"), key="users_role_submit"):
            done = f.t("users_done_role", name=plain(name), role=role_word(new, f.lang), scope=_scope_text(f, scope, None))
            _act(f, lambda con: auth.change_role(con, admin, name, new, scope), done)
    with unlock.form("users_unlock_form"):
        st.markdown(f"**{f.t('users_unlock')}**")
        locked = [n for n, failures in zip(users["user_name"], users["failed_attempts"]) if failures >= auth.FREE_ATTEMPTS]
        name = st.selectbox(f.t("users_pick"), locked, key="users_unlock_name") if locked else None
        if not locked:  # no empty list with Streamlit's own English placeholder
            st.caption(f.t("users_unlock_none"))
        if st.form_submit_button(f.t("users_unlock_submit"), key="users_unlock_submit", disabled=not locked):
            _act(f, lambda con: auth.unlock(con, admin, name), f.t("users_done_unlock", name=plain(name)))


def history(f: Filters) -> None:
    st.subheader(f.t("users_history"))
    changes = db.query_df(cursor(), "user_change_list")
    shown = changes.assign(action=[f.t(f"user_action_{a}") for a in changes["action"]], detail=[_detail(f, d) for d in changes["detail"]])
    config = {c: f.t(f"change_col_{c}") for c in CHANGE_COLUMNS} | {
        "changed_at": st.column_config.DatetimeColumn(f.t("change_col_changed_at"), format="YYYY-MM-DD HH:mm:ss")
    }
    show_table(shown, config, list(CHANGE_COLUMNS))


def _detail(f: Filters, detail: object) -> str:
    """Recorded rights ("editor", "viewer→editor@731001") in words."""
    if not isinstance(detail, str):
        return ""

    def rights(text: str) -> str:
        role, _, scope = text.partition("@")
        return role_word(role, f.lang) + (f.t("in_brackets", text=scope) if scope else "")

    return " → ".join(rights(r) for r in detail.split("→"))
