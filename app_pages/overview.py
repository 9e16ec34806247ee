"""总览: the quarterly review on one screen — headline figures with their change since the
previous quarter end, the quarterly picture, what needs attention, department-wide goals."""

import streamlit as st

from monitor.fmt import plain
from monitor.review.charts import quarterly_chart
from monitor.rounds.tasks import overdue_rounds
from monitor.rules.bulletin import last_year
from monitor.rules.headline import attention, chart_scope, headline, previous_quarter_end, review_figures
from monitor.rules.indicators import STATUS_BACKGROUND
from monitor.settings import settings
from monitor.ui.data import query
from monitor.ui.exports import review_downloads
from monitor.ui.filters import filters
from monitor.ui.indicator_table import indicator_rows
from monitor.ui.outlook import overview_outlook
from monitor.ui.widgets import show_table

f = filters()
st.header(f.t("page_overview"))
now = headline(query, f.year, f.dept, f.as_of) if f.year else None
if now is None:
    st.info(f.t("no_data"))
    st.stop()
before = headline(query, f.year, f.dept, previous_quarter_end(f.as_of))
since = f.t("since", date=before.as_of.isoformat())
st.caption(f.as_of_text())
for r in overdue_rounds(query, f.year, f.dept).itertuples():
    st.warning(f.t("round_overdue", title=plain(r.title), dept=plain(r.dept_name), deadline=r.deadline.date().isoformat()))
review_downloads(f)


for column, figure in zip([*st.columns(3), *st.columns(3)], review_figures(now, before, f.unit, f.lang)):
    column.metric(
        figure.label,
        figure.value,
        delta=figure.delta,
        delta_description=since if figure.delta else None,
        delta_color="off",
        help=figure.help,
        border=True,
    )
    if figure.detail:
        column.caption(plain(figure.detail))
if (earlier := last_year(query, f.year, f.dept, f.as_of)) is not None:
    st.caption(earlier.text(now.execution_rate, f.lang))

quarters = query("quarterly_totals", year=f.year, dept=f.dept, as_of=f.as_of)
st.plotly_chart(quarterly_chart(quarters, f.unit, f.lang, f.t("chart_quarterly", scope=chart_scope(query, f.dept, f.lang))))

ATTENTION_ROWS = settings().limits.attention_rows  # the worst few of each kind; the counts say how many there are
overview_outlook(f, ATTENTION_ROWS)

st.subheader(f.t("attention"), help=f.t("attention_help"))
items = attention(query, f.year, f.dept, f.as_of, ATTENTION_ROWS, f.lang)
if not items:
    st.success(f.t("all_on_track"))
if now.behind > ATTENTION_ROWS or now.off_target > ATTENTION_ROWS:
    st.caption(f.t("attention_worst", rows=ATTENTION_ROWS, behind=now.behind, off=now.off_target))
BADGE = {"red": "red", "amber": "orange", "grey": "gray"}
for item in items:
    badge, row = st.columns([1, 9], vertical_alignment="center", gap="small")
    badge.markdown(f":{BADGE[item.severity]}-badge[{item.badge}]")
    label = f"**{plain(item.scope)}** — {plain(item.text)}"
    if item.project_code:  # to the project on 项目详情, at the same as-of date (the sidebar keeps it)
        row.page_link("app_pages/project.py", label=label, query_params={"project": item.project_code}, icon=":material/arrow_forward:")
    else:
        row.markdown(f":small[{label}]")  # the size of the links beside it

st.subheader(f.t("dept_goals"))
dept_rows = query(
    "indicator_status", year=f.year, dept=f.dept, as_of=f.as_of, project="", level1=None, status=None, off_only=False, limit=None
)
if not dept_rows.empty:
    show_table(
        indicator_rows(dept_rows, f.lang, f.t("dept_wide")),
        {
            "status_word": st.column_config.TextColumn(f.t("col_status"), width=70),
            "description": st.column_config.TextColumn(f.t("col_dept_indicator"), width=520),
            "target_text": st.column_config.TextColumn(f.t("col_target"), width=150),
            "latest": st.column_config.TextColumn(f.t("col_latest"), width=110),
            "likelihood": st.column_config.TextColumn(f.t("col_likelihood"), width=100),
        },
        ["status_word", "description", "target_text", "latest", "likelihood"],
        ("status_word", dept_rows["status"], STATUS_BACKGROUND),
    )
goals = query("dept_goals", year=f.year, dept=f.dept)
with st.expander(f.t("dept_goals_text")):
    for g in goals.itertuples():
        title = f"{g.section}" + (f" · {g.title}" if isinstance(g.title, str) and g.title else "")
        st.markdown(f"**{plain(title)}**")
        st.text(g.text)
