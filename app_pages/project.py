"""项目详情: one project on one page — funds, purpose and goals, plan vs actual, indicators
with their history, payments, score breakdown and notes."""

import pandas as pd
import streamlit as st

from monitor.errors import InputError
from monitor.fmt import money, percent, plain
from monitor.review.charts import quarterly_chart, s_curve
from monitor.rounds.notes import MAX_LENGTH, add_note
from monitor.rules.disbursement import reason_text, status_badge, threshold_params
from monitor.rules.headline import Score
from monitor.rules.indicators import CHANGE_FIELDS
from monitor.ui.data import query
from monitor.ui.errors import show_error
from monitor.ui.filters import filters
from monitor.ui.import_forecasts import forecast_form
from monitor.ui.indicator_table import actual_text, indicator_rows, indicator_table
from monitor.ui.links import keep_in_url, url_param
from monitor.ui.outlook import project_outlook, project_outlook_line
from monitor.ui.signin import require_role, within_scope, writing_as
from monitor.ui.widgets import download_buttons, payments_table, project_choices, show_table

f = filters()
st.header(f.t("page_project"))
names = project_choices(f, "project") if f.year else {}
if not names:  # no project at all, or none matching the search box
    st.info(f.t("explore_empty" if st.session_state.get("project_search") else "no_data"))
    st.stop()
url_param("project", str, names, next(iter(names)))
code = st.selectbox(f.t("pick_project"), list(names), key="project", format_func=lambda c: names[c] + f.t("in_brackets", text=c))
keep_in_url("project")

info = query("project_info", year=f.year, project=code).iloc[0]
row = query("project_figures", year=f.year, project=code, as_of=f.as_of, **threshold_params()).iloc[0]

st.subheader(plain(info["name"]))
reason = reason_text(row["status_reason"], row["gap_pp"], row["actual_cumulative"] - row["budget"], f.lang)
st.markdown(
    f"{status_badge(row['status'], row['status_reason'], f.lang)} {plain(reason)} · "
    f"{plain(info['dept_name'])} · {plain(code)} · {f.as_of_text()}"
)
c = st.columns(3) + st.columns(3)
c[0].metric(f.t("col_budget", unit=f.unit_word), money(info["budget"], f.unit), border=True)
c[1].metric(f.t("fiscal_funds", unit=f.unit_word), money(info["fiscal_funds"], f.unit), border=True)
c[2].metric(f.t("other_funds", unit=f.unit_word), money(info["other_funds"], f.unit), border=True)
c[3].metric(f.t("actual_to_date", unit=f.unit_word), money(row["actual_cumulative"], f.unit), border=True)
c[4].metric(
    f.t("execution_rate"),
    percent(row["execution_rate"]),
    border=True,
    delta=f"{row['gap_pp']:+.1f} pp",
    delta_description=f.t("vs_plan"),
    delta_color="off",
)
score = Score.of_project(row)
c[5].metric(score.label(f.lang), score.shown(f.lang), border=True, help=f.t("scores_help"))
if score.reporting_rate is not None:
    c[5].caption(f.t("score_reporting_rate", rate=f"{score.reporting_rate:.0%}"))

left, middle, right = st.columns([2, 2, 2])
with middle:
    forecast_form(f, code, row)
with left:
    st.markdown(f"**{f.t('purpose')}**")
    st.text(info["purpose"] or "—")
with right:
    st.markdown(f"**{f.t('project_goals')}**")
    st.text("\n".join(f"{g.seq}. {g.goal}" for g in query("project_goals", year=f.year, project=code).itertuples()) or "—")

quarters = query("project_quarters", year=f.year, project=code, as_of=f.as_of)
left, right = st.columns(2)
left.plotly_chart(quarterly_chart(quarters, f.unit, f.lang, f.t("chart_quarterly", scope=names[code])))
days = query("s_curve", year=f.year, dept=f.dept, project=code, as_of=f.as_of)
ahead = project_outlook(f, code)
right.plotly_chart(s_curve(days, f.unit, f.lang, f.t("chart_s_curve", scope=names[code]), ahead))
with right:
    project_outlook_line(f, ahead)

st.subheader(f.t("indicator_table"))
rows = query(
    "indicator_status", year=f.year, dept=f.dept, as_of=f.as_of, project=code, level1=None, status=None, off_only=False, limit=None
)
history = query("indicator_history", year=f.year, project=code, as_of=f.as_of)
periods = sorted(history["period_end"].astype(str).unique())
by_period = history.assign(
    value=[actual_text(v, text, None) for v, text in zip(history["actual_value"], history["actual_text"])],
    period=history["period_end"].astype(str),
).pivot(index="indicator_id", columns="period", values="value")
table = indicator_rows(rows, f.lang, f.t("dept_wide")).join(by_period, on="indicator_id")
SHOWN_PERIODS = 2  # the latest two fit the page beside the key columns; every period is in the details and downloads
indicator_order = [
    "status_word",
    "level2",
    "level3",
    "target_text",
    *periods[-SHOWN_PERIODS:],
    "gap",
    "likelihood",
    "reason",
    "reason_detail",
]
indicator_config = {
    "status_word": st.column_config.TextColumn(f.t("col_status"), width=64),
    "level1": f.t("col_level1"),
    "level2": st.column_config.TextColumn(f.t("col_level2"), width=100),
    "level3": st.column_config.TextColumn(f.t("col_level3"), width=150),
    "target_text": st.column_config.TextColumn(f.t("col_target"), width=80),
    "gap": st.column_config.NumberColumn(f.t("col_ind_gap"), format="%+.2f", width=64, help=f.t("col_ind_gap_help")),
    "likelihood": st.column_config.TextColumn(f.t("col_likelihood"), width=80),
    "reason": st.column_config.TextColumn(f.t("col_reason_cat"), width=84),
    "reason_detail": st.column_config.TextColumn(f.t("col_reason_detail"), width=170),
    "corrective_action": f.t("col_action"),
    **{p: st.column_config.TextColumn(f.t("actual_at", period=p[5:]), help=f.t("actual_at", period=p), width=80) for p in periods},
}
detail_columns = ["level1", "level2", *periods, "gap", "likelihood", "reason", "reason_detail", "corrective_action"]
chosen = [(f.t("pick_project"), names[code] + f.t("in_brackets", text=code))]
indicator_table(f, table, indicator_config, indicator_order, rows["status"], "project_indicators", detail_columns)
download_buttons(table, "project-indicators", chosen, ["status_word", "level1", "level3", "target_text", *detail_columns], indicator_config)
changes = query("actual_changes", year=f.year, project=code, batch=None, max_batch_rows=None, limit=500)
with st.expander(f.t("indicator_changes"), expanded=False):
    st.caption(f.t("indicator_changes_help"))
    st.dataframe(
        changes.assign(field=[f.t(CHANGE_FIELDS[c]) for c in changes["field"]]),
        hide_index=True,
        column_order=["imported_at", "imported_by", "level3", "period_end", "field", "old", "new", "batch_id"],
        column_config={
            "imported_at": st.column_config.DatetimeColumn(f.t("col_at"), format="YYYY-MM-DD HH:mm"),
            "imported_by": f.t("col_by"),
            "level3": f.t("col_level3"),
            "period_end": st.column_config.DateColumn(f.t("col_period")),
            "field": f.t("col_field"),
            "old": f.t("col_old"),
            "new": f.t("col_new"),
            "batch_id": f.t("col_batch"),
        },
    )

st.subheader(f.t("payments_of", as_of=f.as_of.isoformat()))
payments = query("project_payments", year=f.year, project=code, as_of=f.as_of)
if payments.empty:
    st.info(f.t("no_payments"))
else:
    payments_table(f, payments, "project-payments", chosen)

left, right = st.columns([2, 3])
with left:
    st.subheader(f.t("score_breakdown"), help=f.t("scores_help"))
    parts = [
        ("col_score_exec", "execution_points", 10),
        ("col_score_output", "output_points", 50),
        ("col_score_effect", "effect_points", 30),
        ("col_score_satisfaction", "satisfaction_points", 10),
    ]
    show_table(
        pd.DataFrame(
            [{"part": f.t(key), "points": row[col], "lost": full - (row[col] if pd.notna(row[col]) else 0)} for key, col, full in parts]
        ),
        {
            "part": f.t("score_part"),
            "points": st.column_config.NumberColumn(f.t("score_points"), format="%.1f"),
            "lost": st.column_config.NumberColumn(f.t("score_lost"), format="%.1f"),
        },
    )
with right:
    st.subheader(f.t("notes"))
    notes = query("project_notes", year=f.year, project=code)
    for n in notes.itertuples():
        st.caption(f"{f.t('quarter_' + str(n.quarter))} · {plain(n.author)} · {n.created_at:%Y-%m-%d %H:%M}")
        st.text(n.note)
    if notes.empty:
        st.caption(f.t("no_notes"))
    user = require_role("editor")
    if user and within_scope(user, f.year, projects=[code]):
        with st.form("note_form", clear_on_submit=True):
            quarter = st.selectbox(
                f.t("note_quarter"),
                [1, 2, 3, 4],
                index=(f.as_of.month - 1) // 3 if f.as_of.year == f.year else 3,
                format_func=lambda q: f.t(f"quarter_{q}"),
            )
            text = st.text_area(f.t("note_text"), max_chars=MAX_LENGTH)
            if st.form_submit_button(f.t("note_save"), key="note_save"):
                try:
                    with writing_as(user, f.year, projects=[code]) as con:
                        add_note(con, f.year, code, quarter, text, user.name)
                    st.rerun()
                except InputError as error:
                    show_error(error, f.lang)
