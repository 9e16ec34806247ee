"""The widgets of 即席查询, each kept in the address so a copied link opens the same view.

URL parameters: `subject`; per field `f.<field>` (a category's values, repeated; a search
text; a flag 1/0) or `f.<field>.min` / `f.<field>.max` (ranges: money in the sidebar's unit,
rates in %, dates ISO); `group` (repeated, at most two), `measure`, `chart` (bar|heatmap).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl

import pandas as pd
import streamlit as st

from monitor.explore import sqlbox
from monitor.explore.builder import (
    MAX_TEXT,
    RANGE_KINDS,
    SUBJECTS,
    Condition,
    Field,
    Measure,
    Query,
    Subject,
    build,
    options_sql,
)
from monitor.explore.saved_views import MAX_NAME, list_views, save_view
from monitor.fmt import MONEY_UNITS, money_format, money_frame, plain
from monitor.review.charts import explore_chart
from monitor.rules.bulletin import same_day_last_year
from monitor.rules.disbursement import threshold_params
from monitor.settings import settings
from monitor.store import db
from monitor.ui.data import cursor, data_version, run_sql, writing
from monitor.ui.errors import show_error
from monitor.ui.filters import Filters
from monitor.ui.links import keep_in_url, parse_flag, query_string, show_url_notices, url_list_param, url_notice, url_param
from monitor.ui.signin import require_role
from monitor.ui.widgets import download_buttons

PAGE = "explore"
DEFAULT_SUBJECT = "projects"


def context(f: Filters) -> dict[str, Any]:
    """The values the subjects' base queries may use: the sidebar's scope, the same day a year earlier and the status thresholds."""
    return {"year": f.year, "dept": f.dept, "as_of": f.as_of, "last_year_as_of": same_day_last_year(f.as_of), **threshold_params()}


def _field_label(f: Filters, field: Field | Measure) -> str:
    """A field's or measure's name with its unit: money in the sidebar's unit, rates in %."""
    unit = {"money": f.unit_word, "rate": "%"}.get(field.kind)
    return field.label(f.lang) + f.t("in_brackets", text=unit) if unit else field.label(f.lang)


def _page_keys() -> list[str]:
    return [k for k in st.session_state if isinstance(k, str) and (k.startswith("f.") or k in ("group", "measure", "filter_on"))]


def _subject_changed() -> None:
    """Another subject has other fields: forget the filters, grouping and measure of the last one."""
    for key in _page_keys():
        del st.session_state[key]
    for key in [k for k in st.query_params if k.startswith("f.") or k in ("group", "measure")]:
        st.query_params.pop(key)


def pick_subject(f: Filters) -> Subject:
    url_param("subject", str, SUBJECTS, DEFAULT_SUBJECT)
    st.segmented_control(
        f.t("explore_subject"),
        list(SUBJECTS),
        format_func=lambda s: SUBJECTS[s].label(f.lang),
        required=True,
        key="subject",
        on_change=_subject_changed,
    )
    keep_in_url("subject", DEFAULT_SUBJECT)
    return SUBJECTS[st.session_state["subject"]]


def _keys(name: str, field: Field) -> list[str]:
    return [f"f.{name}.min", f"f.{name}.max"] if field.kind in RANGE_KINDS else [f"f.{name}"]


def _parse_range(kind: str):
    def parse(text: str) -> Any:
        if kind == "date":
            return dt.date.fromisoformat(text)
        value = float(text)
        if value != value or abs(value) > 1e15:  # NaN or absurd
            raise ValueError(text)
        return value

    return parse


def _parse_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ValueError(text)
    return text


def conditions(f: Filters, subject: Subject, ctx: dict[str, Any]) -> tuple[tuple[Condition, ...], list[tuple[str, str]]]:
    """Draw a widget per chosen field; the conditions they set and the same in words (for downloads)."""
    keys = {key: name for name, field in subject.fields.items() for key in _keys(name, field)}
    for key in [k for k in st.query_params if k.startswith("f.") and k not in keys]:
        url_notice(key, st.query_params[key][:50])
        st.query_params.pop(key)
    show_url_notices()
    if "filter_on" not in st.session_state:
        st.session_state["filter_on"] = list(dict.fromkeys(keys[k] for k in st.query_params if k in keys))
    chosen = st.multiselect(
        f.t("explore_filter_on"),
        list(subject.fields),
        key="filter_on",
        format_func=lambda n: subject.fields[n].label(f.lang),
        placeholder=f.t("choose_options"),  # not Streamlit's own English "Choose options"
    )
    for name in set(subject.fields) - set(chosen):  # a field taken off the list stops filtering
        for key in _keys(name, subject.fields[name]):
            st.session_state.pop(key, None)
            st.query_params.pop(key, None)
    found: list[Condition] = []
    words: list[tuple[str, str]] = []
    columns = st.columns(3)
    for i, name in enumerate(chosen):
        with columns[i % 3]:
            made = _widget(f, name, subject.fields[name], ctx)
        found += made
        words += [(_field_label(f, subject.fields[name]), _in_words(f, subject.fields[name], c)) for c in made]
    return tuple(found), words


def _widget(f: Filters, name: str, field: Field, ctx: dict[str, Any]) -> list[Condition]:
    label = _field_label(f, field)
    key = f"f.{name}"
    if field.kind == "category":
        options = run_sql(*options_sql(st.session_state["subject"], name, ctx))["value"].tolist()
        url_list_param(key, {str(o): o for o in options})
        values = st.multiselect(label, options, key=key, format_func=lambda v: field.shown(v, f.lang), placeholder=f.t("choose_options"))
        keep_in_url(key)
        return [Condition(name, "in", tuple(values))] if values else []
    if field.kind == "text":
        url_param(key, _parse_text, None, "")
        text = st.text_input(f.t("explore_contains", field=label), key=key, max_chars=MAX_TEXT)
        keep_in_url(key, "")
        return [Condition(name, "contains", text.strip())] if text.strip() else []
    if field.kind == "flag":
        url_param(key, parse_flag, None, None)
        value = st.segmented_control(label, [True, False], format_func=lambda v: f.t("explore_yes" if v else "explore_no"), key=key)
        keep_in_url(key)
        return [] if value is None else [Condition(name, "is", value)]
    found = []
    for bound, title in (("min", "explore_from"), ("max", "explore_to")):
        key = f"f.{name}.{bound}"
        url_param(key, _parse_range(field.kind), None, None)
        if field.kind == "date":
            value = st.date_input(f.t(title, field=label), key=key)
        else:
            value = st.number_input(f.t(title, field=label), key=key, value=None, step=1.0)
        keep_in_url(key)
        if value is not None:
            found.append(Condition(name, bound, _stored(field.kind, value, f.unit)))
    return found


def _stored(kind: str, value: Any, unit: str) -> Any:
    """A range bound as the query compares it: money in 元, rates as fractions."""
    if kind == "money":
        try:
            return Decimal(str(value)) * MONEY_UNITS[unit]
        except InvalidOperation:
            return None
    return value / 100 if kind == "rate" else value


def _in_words(f: Filters, field: Field, c: Condition) -> str:
    if c.op == "in":
        return f.t("explore_and").join(field.shown(v, f.lang) for v in c.value)
    if c.op == "contains":
        return f"∋ {c.value}"
    if c.op == "is":
        return f.t("explore_yes" if c.value else "explore_no")
    shown = st.session_state[f"f.{c.field}.{c.op}"]
    return f"{'≥' if c.op == 'min' else '≤'} {shown}"


def grouping(f: Filters, subject: Subject) -> tuple[tuple[str, ...], str, bool]:
    """Up to two group fields, the measure and whether two dimensions are drawn as a heatmap."""
    groupable = subject.groupable()
    measures = subject.measures()
    left, middle, right = st.columns([3, 2, 2])
    url_list_param("group", {g: g for g in groupable})
    for extra in st.session_state["group"][2:]:
        url_notice("group", extra)
    st.session_state["group"] = st.session_state["group"][:2]
    show_url_notices()
    with left:
        groups = st.multiselect(
            f.t("explore_group"),
            groupable,
            key="group",
            max_selections=2,
            format_func=lambda n: subject.fields[n].label(f.lang),
            placeholder=f.t("choose_options"),
        )
    keep_in_url("group")
    with middle:
        url_param("measure", str, measures, "count")
        measure = st.selectbox(f.t("explore_measure"), list(measures), key="measure", format_func=lambda m: measures[m].label(f.lang))
    keep_in_url("measure", "count")
    with right:
        url_param("chart", str, ("bar", "heatmap"), "bar")
        st.segmented_control(
            f.t("explore_chart"),
            ["bar", "heatmap"],
            format_func=lambda c: f.t(f"explore_chart_{c}"),
            required=True,
            key="chart",
            disabled=len(groups) < 2,
        )
    keep_in_url("chart", "bar")
    return tuple(groups), measure, st.session_state["chart"] == "heatmap"


def show_result(f: Filters, subject: Subject, q: Query, ctx: dict[str, Any], words: list[tuple[str, str]]) -> None:
    """The result as a table with downloads, and as a chart when grouped."""
    result = run_sql(*build(q, ctx))
    st.subheader(f.t("explore_result"))
    if result.empty:
        st.info(f.t("explore_empty"))
        return
    if q.groups:
        measure = subject.measures()[q.measure]
        value_label = _field_label(f, measure)
        shown = _display(f, result, subject, {"value": measure.kind})
        labels = {g: subject.fields[g].label(f.lang) for g in q.groups} | {"value": value_label}
        value_format = {"count": "%d", "money": money_format(result["value"], f.unit)}.get(measure.kind, "%,.2f")
        config = labels | {"value": st.column_config.NumberColumn(value_label, format=value_format)}
        axis = [labels[g] for g in q.groups]
        title = f.t("explore_chart_title", measure=measure.label(f.lang), groups=f.t("explore_and").join(axis))
        st.plotly_chart(explore_chart(shown, list(q.groups), axis, value_label, title, heatmap=st.session_state["chart"] == "heatmap"))
    else:
        cap = settings().limits.explore_rows
        rows = result.head(cap)
        shown = _display(f, rows, subject, {n: fl.kind for n, fl in subject.fields.items()})
        config = {n: _column(f, fl, rows.get(n)) for n, fl in subject.fields.items()}
        st.caption(f.t("explore_truncated", n=cap) if len(result) > cap else f.t("explore_rows", n=len(rows)))
    columns = [c for c in config if c in shown.columns]
    st.dataframe(shown, hide_index=True, column_order=columns, column_config=config)
    download_buttons(
        shown, f"explore-{st.session_state['subject']}", [(f.t("explore_subject"), subject.label(f.lang)), *words], columns, config
    )


def _display(f: Filters, frame: pd.DataFrame, subject: Subject, kinds: dict[str, str]) -> pd.DataFrame:
    """Money in the chosen unit, rates in percent, codes in words."""
    money = [c for c, k in kinds.items() if k == "money" and c in frame.columns]
    rates = {c: frame[c].astype(float) * 100 for c, k in kinds.items() if k == "rate" and c in frame.columns}
    words = {c: [field.shown(v, f.lang) for v in frame[c]] for c, field in subject.fields.items() if field.words and c in frame.columns}
    return money_frame(frame, money, f.unit).assign(**rates, **words)


def _column(f: Filters, field: Field, values: pd.Series | None) -> Any:
    label = _field_label(f, field)
    if field.kind == "money":
        return st.column_config.NumberColumn(label, format=money_format([] if values is None else values, f.unit))
    if field.kind in ("number", "rate"):
        return st.column_config.NumberColumn(label, format="%,.2f")
    if field.kind == "date":
        return st.column_config.DateColumn(label)
    if field.kind == "flag":
        return st.column_config.CheckboxColumn(label)
    return label


def saved_views(f: Filters) -> None:
    """Reopen the saved views as links; an editor can save the current address under a name
    (saved views are shown to everyone, so saving is a data change like any other)."""
    with st.expander(f.t("views_title")):
        user = require_role("editor")
        if user:
            with st.form("save_view", clear_on_submit=True, border=False):
                name = st.text_input(f.t("view_name"), max_chars=MAX_NAME)
                if st.form_submit_button(f.t("view_save")):
                    save_as(f, name, user.name)
        views = list_views(cursor(), PAGE)
        if views.empty:
            st.caption(f.t("views_none"))
        for v in views.itertuples():
            st.page_link(
                "app_pages/explore.py",
                label=plain(v.name),  # link labels and help texts are markdown
                query_params=parse_qsl(v.query_string),
                help=f.t("view_by", by=plain(v.created_by), at=f"{v.created_at:%Y-%m-%d %H:%M}"),
                icon=":material/bookmark:",
            )


def save_as(f: Filters, name: str, user: str) -> None:
    """Save the current view as `user`."""
    try:
        with writing() as con:
            save_view(con, name, PAGE, query_string(), user)
    except ValueError:
        st.error(f.t("view_bad_name", n=MAX_NAME))
    else:
        st.success(f.t("view_saved", name=plain(name.strip())))


def sql_box(f: Filters) -> None:
    """One SELECT on a locked-down read-only snapshot (monitor/sqlbox.py)."""
    with st.expander(f.t("sql_title")):
        limits = settings().limits
        st.caption(f.t("sql_help", rows=limits.sql_rows, seconds=limits.sql_seconds))
        text = st.text_area("SQL", key="sql_text", max_chars=sqlbox.MAX_CHARS, height=140, placeholder="SELECT name, budget FROM projects")
        if not st.button(f.t("sql_run"), key="sql_run"):
            return
        try:
            result = sqlbox.run(sqlbox.snapshot(cursor(), db.db_path(), data_version()), text)
        except sqlbox.Refused as refused:
            show_error(refused, f.lang)
            return
        if result.truncated:
            st.caption(f.t("sql_truncated", n=limits.sql_rows))
        st.dataframe(result.frame, hide_index=True)
        download_buttons(result.frame, "sql", [("SQL", text)])
