"""Sign-in in the Streamlit app: the sidebar box, the idle timeout and `require_role` for pages.

Viewing is open unless MONITOR_REQUIRE_SIGNIN=1; changing data always needs a signed-in user with
the editor or admin role, and a user with a unit scope changes that unit's data only (`within_scope`).
A sign-in belongs to the browser session (reloading the page signs out) and ends after
MONITOR_SESSION_IDLE_MINUTES (default 30) without any interaction. A database without users offers,
in the same box, to create its first admin; a user whose password was reset chooses a new one
before being signed in.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from monitor import auth
from monitor.auth import User
from monitor.errors import MonitorError, NotAllowed, Refused
from monitor.fmt import plain
from monitor.i18n import LANGUAGES, t
from monitor.rules.words import role_word
from monitor.settings import settings
from monitor.ui.data import cursor, writing


def current_user() -> User | None:
    """The signed-in user of this browser session, re-read from the database (a removed user or a
    changed role takes effect at once); None when nobody is signed in or the session went idle."""
    name = st.session_state.get("auth_user")
    if name is None:
        return None
    now = dt.datetime.now()
    if now - st.session_state["auth_seen"] > dt.timedelta(minutes=settings().session_idle_minutes):
        _sign_out()
        st.session_state["auth_notice"] = ("session_expired", {})
        return None
    user = auth.get_user(cursor(), name)
    if user is None:
        _sign_out()
        return None
    st.session_state["auth_seen"] = now
    return user


def account_box() -> None:
    """The sidebar's sign-in form, or who is signed in with a sign-out button; on a database without
    users the form that creates the first admin; after a password reset the form for a new one.
    When viewing needs sign-in and nobody is signed in, the run stops here with a notice."""
    lang = _lang()
    user = current_user()
    with st.sidebar:
        if user:
            st.caption(t("signed_in_as", lang, name=plain(user.name), role=role_label(user.role, lang)))
            st.button(t("signout", lang), key="auth_signout", on_click=_sign_out)
        elif settings().parquet is None and not auth.has_users(cursor()):  # a Parquet folder is read-only, without users
            _first_admin(lang)
        elif "auth_change_for" in st.session_state:
            _new_password(lang)
        else:
            with st.expander(t("signin_title", lang), expanded=settings().require_signin), st.form("auth_form", clear_on_submit=True):
                st.text_input(t("signin_user", lang), autocomplete="username", key="auth_name")
                st.text_input(t("signin_password", lang), type="password", autocomplete="current-password", key="auth_password")
                st.form_submit_button(t("signin_submit", lang), key="auth_submit", on_click=_submit)
        notice = st.session_state.pop("auth_notice", None)
        if notice:  # escaped: a refusal may quote the name typed
            (st.success if notice[0] == "password_changed" else st.warning)(plain(t(notice[0], lang, **notice[1])))
    if user is None and settings().require_signin:
        st.info(t("signin_to_view", lang))
        st.stop()


def require_role(role: str) -> User | None:
    """The signed-in user when they have at least `role`; otherwise shows why not (sign in first,
    or the role is not enough) where it is called and returns None."""
    lang = _lang()
    user = current_user()
    if user is None:
        st.info(t("signin_needed", lang, role=role_label(role, lang)))
        return None
    if not user.can(role):
        st.warning(t("role_refused", lang, name=plain(user.name), role=role_label(user.role, lang), needed=role_label(role, lang)))
        return None
    return user


def within_scope(user: User, year: int | None, **touched: Iterable[str]) -> bool:
    """Whether `user`'s scope covers what a write would touch (`touched`: the projects, indicators and
    units of monitor.auth.refuse_outside); otherwise shows why where it is called. The write itself
    asks again on the connection it writes with."""
    try:
        auth.refuse_outside(cursor(), user, year, **touched)
    except NotAllowed as refused:
        st.warning(plain(refused.message(_lang())))
        return False
    return True


@contextmanager
def writing_as(user: User, year: int | None, **touched: Iterable[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write (monitor.ui.data.writing) by `user` that first asks, on the connection it writes with,
    whether the user's scope covers what it touches; if not, it says why and writes nothing."""
    with writing() as con:
        auth.refuse_outside(con, user, year, **touched)
        yield con


def role_label(role: str, lang: str) -> str:
    return role_word(role, lang)


def _lang() -> str:
    # The sign-in box is drawn before the shared filters, which set the language from the URL.
    lang = st.session_state.get("lang") or st.query_params.get("lang")
    return lang if lang in LANGUAGES else "zh"


def _first_admin(lang: str) -> None:
    """A database without users: whoever opens it first creates the admin (once; no default password)."""
    with st.expander(t("first_admin_title", lang), expanded=True), st.form("first_admin_form", clear_on_submit=True):
        st.caption(t("first_admin_help", lang))
        st.text_input(t("signin_user", lang), autocomplete="username", key="first_admin_name")
        st.text_input(t("new_password", lang), type="password", autocomplete="new-password", key="first_admin_password")
        st.text_input(t("new_password_again", lang), type="password", autocomplete="new-password", key="first_admin_again")
        st.form_submit_button(t("first_admin_submit", lang), key="first_admin_submit", on_click=_create_first_admin)


def _create_first_admin() -> None:
    s = st.session_state
    name, password, again = s.get("first_admin_name", "").strip(), s.get("first_admin_password", ""), s.get("first_admin_again", "")
    s["first_admin_password"] = s["first_admin_again"] = ""
    try:
        if password != again:
            raise Refused("cli_passwords_differ")
        with writing() as con:
            user = auth.create_first_admin(con, name, password)
    except MonitorError as error:
        s["auth_notice"] = ("error_text", {"text": error.msg})
        return
    _signed_in(user)


def _new_password(lang: str) -> None:
    """After a reset: the temporary password once more and a new one twice."""
    with st.expander(t("new_password_title", lang), expanded=True), st.form("new_password_form", clear_on_submit=True):
        st.caption(t("new_password_help", lang, name=plain(st.session_state["auth_change_for"])))
        st.text_input(t("current_password", lang), type="password", autocomplete="current-password", key="change_current")
        st.text_input(t("new_password", lang), type="password", autocomplete="new-password", key="change_new")
        st.text_input(t("new_password_again", lang), type="password", autocomplete="new-password", key="change_again")
        st.form_submit_button(t("new_password_submit", lang), key="change_submit", on_click=_change_password)
    st.button(t("signin_cancel", lang), key="change_cancel", on_click=lambda: st.session_state.pop("auth_change_for", None))


def _change_password() -> None:
    s = st.session_state
    current, new, again = s.get("change_current", ""), s.get("change_new", ""), s.get("change_again", "")
    s["change_current"] = s["change_new"] = s["change_again"] = ""
    try:
        if new != again:
            raise Refused("cli_passwords_differ")
        with writing() as con:
            user = auth.change_password(con, s["auth_change_for"], current, new)
    except MonitorError as error:
        s["auth_notice"] = ("error_text", {"text": error.msg})
        return
    del s["auth_change_for"]
    s["auth_notice"] = ("password_changed", {})
    _signed_in(user)


def _signed_in(user: User) -> None:
    st.session_state["auth_user"] = user.name
    st.session_state["auth_seen"] = dt.datetime.now()
    if user.scope is not None:  # a unit's staff see their unit first (the 单位 filter can still widen it)
        st.session_state["dept"] = user.scope


def _submit() -> None:
    password = st.session_state.get("auth_password", "")
    st.session_state["auth_password"] = ""  # not kept in the session's state, whatever the outcome
    with writing() as con:  # a sign-in records its failures and success
        result = auth.sign_in(con, st.session_state.get("auth_name", "").strip(), password)
    if result.user and result.must_change:
        st.session_state["auth_change_for"] = result.user.name  # signed in only once a new password is chosen
    elif result.user:
        _signed_in(result.user)
    elif result.retry_after > dt.timedelta(0):
        st.session_state["auth_notice"] = ("signin_locked", {"seconds": math.ceil(result.retry_after.total_seconds())})
    else:
        st.session_state["auth_notice"] = ("signin_failed", {})


def _sign_out() -> None:
    for key in ("auth_user", "auth_seen"):
        st.session_state.pop(key, None)
