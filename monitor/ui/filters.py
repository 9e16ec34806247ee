"""The shared sidebar filters (year, unit, as-of date, money unit, language), kept in the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from monitor.fmt import DEFAULT_UNIT, MONEY_UNITS
from monitor.i18n import LANGUAGES, t
from monitor.ui.data import query, scalar
from monitor.ui.links import init_from_url, show_url_notices

ALL = "*"  # the 单位 filter's "all units" option (not "", which the selectbox shows as empty)


@dataclass(frozen=True)
class Filters:
    year: int | None
    dept: str | None  # None = all units
    as_of: dt.date
    unit: str
    lang: str

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def sidebar_filters() -> Filters:
    """Draw the shared sidebar filters; their values live in the URL (`year`, `dept`, `as_of`,
    `unit`, `lang`) so that a copied address opens the same view."""
    init_from_url("lang", str, LANGUAGES, "zh")
    lang = st.session_state["lang"]
    years = query("filter_years")["year"].tolist()
    init_from_url("year", int, years, years[0] if years else None)
    year = st.session_state["year"]
    depts = query("filter_departments", year=year) if year else pd.DataFrame(columns=["dept_code", "name"])
    names = dict(zip(depts["dept_code"], depts["name"]))
    init_from_url("dept", str, names, ALL)
    init_from_url("as_of", dt.date.fromisoformat, None, _default_as_of(year))
    init_from_url("unit", str, MONEY_UNITS, DEFAULT_UNIT)

    with st.sidebar:
        st.subheader(t("filters", lang))
        if years:
            st.selectbox(t("year", lang), years, key="year", on_change=_year_changed)
        st.selectbox(
            t("dept", lang),
            [ALL, *names],
            key="dept",
            format_func=lambda c: t("all_depts", lang) if c == ALL else f"{c} {names.get(c, '')}",
        )
        st.date_input(t("as_of", lang), key="as_of")
        st.segmented_control(t("unit", lang), list(MONEY_UNITS), required=True, key="unit")
        st.segmented_control(t("lang", lang), list(LANGUAGES), format_func=LANGUAGES.get, required=True, key="lang")
        if scalar("demo_data_present"):
            st.caption(t("demo_notice", lang))
        show_url_notices()

    dept = st.session_state["dept"]
    f = Filters(st.session_state.get("year"), None if dept == ALL else dept, st.session_state["as_of"], st.session_state["unit"], lang)
    _write_url(f)
    st.session_state["filters"] = f
    return f


def _default_as_of(year: int | None) -> dt.date:
    latest = scalar("latest_payment_date", year=year) if year else None
    return latest or dt.date.today()


def _year_changed() -> None:
    st.session_state["as_of"] = _default_as_of(st.session_state["year"])
    st.session_state["dept"] = ALL


def _write_url(f: Filters) -> None:
    wanted = {"year": f.year, "dept": f.dept, "as_of": f.as_of.isoformat(), "unit": f.unit, "lang": f.lang}
    for name, value in wanted.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def filters() -> Filters:
    """The shared filters drawn by dashboard.py in this run (every page runs through it)."""
    return st.session_state["filters"]
