"""Sign-in in the Streamlit app: the sidebar box, the idle timeout and `require_role` for pages.

Viewing is open unless MONITOR_REQUIRE_SIGNIN=1; changing data always needs a signed-in user with
the editor or admin role. A sign-in belongs to the browser session (reloading the page signs out)
and ends after MONITOR_SESSION_IDLE_MINUTES (default 30) without any interaction.
"""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from monitor import auth
from monitor.auth import User
from monitor.fmt import plain
from monitor.i18n import LANGUAGES, t
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
    """The sidebar's sign-in form, or who is signed in with a sign-out button. When viewing needs
    sign-in and nobody is signed in, the run stops here with a notice."""
    lang = _lang()
    user = current_user()
    with st.sidebar:
        if user:
            st.caption(t("signed_in_as", lang, name=plain(user.name), role=role_label(user.role, lang)))
            st.button(t("signout", lang), key="auth_signout", on_click=_sign_out)
        else:
            with st.expander(t("signin_title", lang), expanded=settings().require_signin), st.form("auth_form", clear_on_submit=True):
                st.text_input(t("signin_user", lang), autocomplete="username", key="auth_name")
                st.text_input(t("signin_password", lang), type="password", autocomplete="current-password", key="auth_password")
                st.form_submit_button(t("signin_submit", lang), key="auth_submit", on_click=_submit)
        notice = st.session_state.pop("auth_notice", None)
        if notice:
            st.warning(t(notice[0], lang, **notice[1]))
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


def role_label(role: str, lang: str) -> str:
    return t(f"role_{role}", lang)


def _lang() -> str:
    # The sign-in box is drawn before the shared filters, which set the language from the URL.
    lang = st.session_state.get("lang") or st.query_params.get("lang")
    return lang if lang in LANGUAGES else "zh"


def _submit() -> None:
    password = st.session_state.get("auth_password", "")
    st.session_state["auth_password"] = ""  # not kept in the session's state, whatever the outcome
    with writing() as con:  # a sign-in records its failures and success
        result = auth.sign_in(con, st.session_state.get("auth_name", "").strip(), password)
    if result.user:
        st.session_state["auth_user"] = result.user.name
        st.session_state["auth_seen"] = dt.datetime.now()
    elif result.retry_after > dt.timedelta(0):
        st.session_state["auth_notice"] = ("signin_locked", {"seconds": math.ceil(result.retry_after.total_seconds())})
    else:
        st.session_state["auth_notice"] = ("signin_failed", {})


def _sign_out() -> None:
    for key in ("auth_user", "auth_seen"):
        st.session_state.pop(key, None)
