"""Page state kept in the address bar, so that a copied link opens the same view: reading a
parameter (malformed values are ignored with a notice) and writing a widget's value back."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import streamlit as st

from monitor.fmt import plain
from monitor.i18n import t


def _url_value(name: str, parse, allowed=None) -> Any:
    """A shared filter from the address bar; malformed or unknown values are ignored with a notice."""
    raw = st.query_params.get(name)
    if raw is None:
        return None
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None or (allowed is not None and value not in allowed):
        url_notice(name, raw)
        return None
    return value


def url_notice(name: str, raw: str) -> None:
    """Note an address parameter that was ignored; `show_url_notices` says so on the page."""
    st.session_state.setdefault("url_notices", []).append(f"{name}={raw}")


def show_url_notices() -> None:
    """Say which address parameters were ignored (escaped: they are whatever the link held)."""
    for notice in st.session_state.pop("url_notices", []):
        st.caption(t("url_ignored", st.session_state.get("lang", "zh"), param=plain(notice)))


def url_param(key: str, parse, allowed, default: Any) -> None:
    """A page's own widget state kept in the URL under `key`: initialise it from the address
    (ignoring malformed values with a notice) before drawing the widget with that key, and
    call `keep_in_url(key, default)` after it."""
    init_from_url(key, parse, allowed, default)
    show_url_notices()


def url_list_param(key: str, allowed: dict[str, Any]) -> None:
    """A multi-select's state kept in the URL as repeated `key=value` (values as text mapped by
    `allowed`); unknown values are dropped with a notice. Call `keep_in_url(key)` after the widget."""
    if key not in st.session_state:
        raws = st.query_params.get_all(key)
        for raw in raws:
            if raw not in allowed:
                url_notice(key, raw)
        st.session_state[key] = list(dict.fromkeys(allowed[raw] for raw in raws if raw in allowed))
    show_url_notices()


def keep_in_url(key: str, default: Any = None) -> None:
    """Write a widget's value to the URL (a list as repeated parameters); the default and empty
    values are left out to keep links short."""
    value = st.session_state.get(key)
    if value is None or value == default or value == []:
        st.query_params.pop(key, None)
    elif isinstance(value, list):
        if st.query_params.get_all(key) != [str(v) for v in value]:
            st.query_params[key] = [str(v) for v in value]
    elif st.query_params.get(key) != (text := _url_text(value)):
        st.query_params[key] = text


def _url_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).removesuffix(".0") if isinstance(value, float) else str(value)


def init_from_url(key: str, parse, allowed, default: Any) -> None:
    """Give a widget its first value: from the URL when valid, else the default."""
    if key not in st.session_state:
        value = _url_value(key, parse, allowed)
        st.session_state[key] = default if value is None else value


def query_string() -> str:
    """The current address's query string (without "?"), repeated parameters included."""
    return urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])


def parse_flag(text: str) -> bool:
    """A checkbox in the URL: 1 or 0."""
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"
