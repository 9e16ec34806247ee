"""The shared sidebar filters (year, unit, as-of date, money unit, language), kept in the URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from monitor.fmt import DEFAULT_UNIT, MONEY_UNITS, unit_word
from monitor.i18n import LANGUAGES, t
from monitor.rules.headline import default_as_of, quarter_ends
from monitor.ui.data import query
from monitor.ui.links import init_from_url, show_url_notices

# Why the as-of date is the one shown: chosen by a person or a link, today, the last day with data
# (monitor.rules.headline.default_as_of), or the year's first or last day when it has no data.
AS_OF_REASONS = ("chosen", "today", "latest", "year_bound")
ALL = "*"  # the 单位 filter's "all units" option (not "", which the selectbox shows as empty)


@dataclass(frozen=True)
class Filters:
    year: int | None
    dept: str | None  # None = all units
    as_of: dt.date
    unit: str
    lang: str
    as_of_why: str = "chosen"  # one of AS_OF_REASONS

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def unit_word(self) -> str:
        """The money unit in the page's language (万元 / 10,000 yuan)."""
        return unit_word(self.unit, self.lang)

    def as_of_text(self) -> str:
        """Which date the page shows, and why."""
        return self.t("as_of_caption", as_of=self.as_of.isoformat(), why=self.t(f"as_of_why_{self.as_of_why}"))


def sidebar_filters() -> Filters:
    """Draw the shared sidebar filters; their values live in the URL (`year`, `dept`, `as_of`,
    `unit`, `lang`) so that a copied address opens the same view.

    The as-of date follows the data (monitor.rules.headline.default_as_of, read again on every run,
    so a new import moves it) until a person picks a date, a quarter end, or opens a link carrying
    one; only a chosen date is written to the URL."""
    init_from_url("lang", str, LANGUAGES, "zh")
    lang = st.session_state["lang"]
    years = query("filter_years")["year"].tolist()
    init_from_url("year", int, years, years[0] if years else None)
    year = st.session_state["year"]
    depts = query("filter_departments", year=year) if year else pd.DataFrame(columns=["dept_code", "name"])
    names = dict(zip(depts["dept_code"], depts["name"]))
    init_from_url("dept", str, names, ALL)
    if st.session_state["dept"] not in names:  # a signed-in user's unit without projects this year
        st.session_state["dept"] = ALL
    init_from_url("unit", str, MONEY_UNITS, DEFAULT_UNIT)
    if "as_of_chosen" not in st.session_state:  # the session's first run: a link may carry a date
        init_from_url("as_of", dt.date.fromisoformat, None, None)
        st.session_state["as_of_chosen"] = st.session_state["as_of"] is not None
    why = "chosen"
    if not st.session_state["as_of_chosen"]:
        st.session_state["as_of"], why = _default_as_of(year)

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
        st.date_input(t("as_of", lang), key="as_of", on_change=_as_of_chosen, help=t("as_of_help", lang))
        st.html(ENTER_APPLIES_DATES, unsafe_allow_javascript=True)
        if year:
            _as_of_shortcuts(year, lang)
        st.segmented_control(t("unit", lang), list(MONEY_UNITS), format_func=lambda u: unit_word(u, lang), required=True, key="unit")
        st.segmented_control(t("lang", lang), list(LANGUAGES), format_func=LANGUAGES.get, required=True, key="lang")
        if query("demo_data_present").iloc[0, 0]:
            st.caption(t("demo_notice", lang))
        show_url_notices()

    dept = st.session_state["dept"]
    f = Filters(st.session_state.get("year"), None if dept == ALL else dept, st.session_state["as_of"], st.session_state["unit"], lang, why)
    _write_url(f)
    st.session_state["filters"] = f
    return f


# Streamlit's date field applies a typed date when the focus leaves it, not on Enter: this makes
# Enter leave it (a focusout towards the page, which is what the field listens for), so a typed
# date applies at once. Our own script, no data in it; added once per page.
ENTER_APPLIES_DATES = """<script>
if (!window.__enterAppliesDates) {
  window.__enterAppliesDates = true;
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest && event.target.closest(".react-aria-DateField")) {
      event.target.dispatchEvent(new FocusEvent("focusout", {bubbles: true, relatedTarget: document.body}));
    }
  }, true);
}
</script>"""


def _default_as_of(year: int | None) -> tuple[dt.date, str]:
    today = dt.date.today()
    if year is None:
        return today, "today"
    latest = query("latest_data_date", year=year).iloc[0, 0]
    return default_as_of(year, today, None if pd.isna(latest) else pd.Timestamp(latest).date())


def _as_of_shortcuts(year: int, lang: str) -> None:
    """Quarter ends in one click, and back to the date that follows the data."""
    row = st.container(horizontal=True, gap="small")
    for n, day in enumerate(quarter_ends(year), start=1):
        row.button(t(f"as_of_q{n}", lang), key=f"as_of_q{n}", on_click=_choose, args=(day,), type="tertiary")
    if st.session_state["as_of_chosen"]:
        row.button(t("as_of_follow", lang), key="as_of_follow", on_click=_follow_data, type="tertiary")


def _choose(day: dt.date) -> None:
    st.session_state["as_of"] = day
    st.session_state["as_of_chosen"] = True


def _as_of_chosen() -> None:
    st.session_state["as_of_chosen"] = True


def _follow_data() -> None:
    st.session_state["as_of_chosen"] = False


def _year_changed() -> None:
    st.session_state["as_of_chosen"] = False
    st.session_state["dept"] = ALL


def _write_url(f: Filters) -> None:
    chosen = st.session_state["as_of_chosen"]
    wanted = {"year": f.year, "dept": f.dept, "as_of": f.as_of.isoformat() if chosen else None, "unit": f.unit, "lang": f.lang}
    for name, value in wanted.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != str(value):
            st.query_params[name] = str(value)


def filters() -> Filters:
    """The shared filters drawn by dashboard.py in this run (every page runs through it)."""
    return st.session_state["filters"]
