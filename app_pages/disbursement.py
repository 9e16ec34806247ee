"""预算执行: planned vs actual disbursement by quarter and project, S-curve, payments."""

import streamlit as st

from monitor.fmt import money, money_format, money_frame
from monitor.review.charts import quarterly_chart, s_curve
from monitor.rules.bulletin import last_year
from monitor.rules.disbursement import STATUS_BACKGROUND, needing_attention, reason_text, status_counts, status_label, threshold_params
from monitor.rules.headline import chart_scope
from monitor.settings import settings
from monitor.ui.data import query
from monitor.ui.filters import filters
from monitor.ui.links import keep_in_url, url_param
from monitor.ui.outlook import project_outlook, project_outlook_line
from monitor.ui.widgets import download_buttons, execution_metrics, payments_table, project_choices, show_table

f = filters()
st.header(f.t("page_disbursement"))
if f.year is None:
    st.info(f.t("no_data"))
    st.stop()
st.caption(f.as_of_text())

limits = threshold_params()
TABLE_ROWS = settings().limits.table_rows  # a province has ~10^5 projects: the table and the picker show the first (worst first)
# the total row, then one more project than shown, to tell whether the table is capped
rows = query("project_status", year=f.year, dept=f.dept, as_of=f.as_of, limit=TABLE_ROWS + 2, **limits)
total = rows[rows["project_code"].isna()].iloc[0]
projects = rows[rows["project_code"].notna()]
capped = len(projects) > TABLE_ROWS
projects = projects.head(TABLE_ROWS)

c = st.columns(3) + st.columns(3)
c[0].metric(f.t("total_budget", unit=f.unit_word), money(total["budget"], f.unit), border=True)
c[1].metric(f.t("planned_to_date", unit=f.unit_word), money(total["planned_cumulative"], f.unit), border=True)
c[2].metric(f.t("actual_to_date", unit=f.unit_word), money(total["actual_cumulative"], f.unit), border=True)
execution_metrics(c[3:5], f, total)
# the counts per status below the card: on one line in the card's large type they were cut off
c[5].metric(f.t("projects_behind"), needing_attention(total), help=f.t("projects_behind_help"), border=True)
c[5].caption(f.t("projects_by_status", counts=status_counts(total, f.lang)))
if (earlier := last_year(query, f.year, f.dept, f.as_of)) is not None:
    st.caption(earlier.text(float(total["execution_rate"]), f.lang))

quarters = query("quarterly_totals", year=f.year, dept=f.dept, as_of=f.as_of)
st.plotly_chart(quarterly_chart(quarters, f.unit, f.lang, f.t("chart_quarterly", scope=chart_scope(query, f.dept, f.lang))))

st.subheader(f.t("projects_status"))
if capped:
    st.caption(f.t("table_capped_projects", rows=TABLE_ROWS))
money_cols = ["budget", "planned_cumulative", "actual_cumulative", "gap", "forecast"]
table = money_frame(projects, money_cols, f.unit).assign(
    status=[status_label(s, r, f.lang) for s, r in zip(projects["status"], projects["status_reason"])],
    reason=[
        reason_text(r, g, a - b, f.lang)
        for r, g, a, b in zip(projects["status_reason"], projects["gap_pp"], projects["actual_cumulative"], projects["budget"])
    ],
    execution_rate=projects["execution_rate"] * 100,
)
# Sized to fit 1400 px with the sidebar in 万元, 说明 and the 差距（百分点） heading whole; in 元 a county's
# 12,345,678.00 needs wider money columns and the table scrolls. The project code is in the picker below
# and in the downloads.
money_width = 74 if f.unit == "万元" else 100
order = ["status", "name", "budget", "planned_cumulative", "actual_cumulative", "execution_rate", "gap", "gap_pp", "forecast", "reason"]
config = {
    "status": st.column_config.TextColumn(f.t("col_status"), width=76),
    "name": st.column_config.TextColumn(f.t("col_project"), width=170),
    "project_code": f.t("col_project_code"),
    "budget": st.column_config.NumberColumn(f.t("th_budget"), format=money_format(projects["budget"], f.unit), width=money_width),
    "planned_cumulative": st.column_config.NumberColumn(
        f.t("th_planned"), format=money_format(projects["planned_cumulative"], f.unit), width=money_width
    ),
    "actual_cumulative": st.column_config.NumberColumn(
        f.t("th_actual"), format=money_format(projects["actual_cumulative"], f.unit), width=money_width
    ),
    "execution_rate": st.column_config.NumberColumn(f.t("col_rate"), format="%.2f%%", width=66),
    "gap": st.column_config.NumberColumn(f.t("th_gap"), format=money_format(projects["gap"], f.unit, sign=True), width=money_width),
    "gap_pp": st.column_config.NumberColumn(f.t("col_gap_pp"), format="%+.1f", help=f.t("gap_pp_help"), width=100),
    "forecast": st.column_config.NumberColumn(f.t("th_forecast"), format=money_format(projects["forecast"], f.unit), width=money_width),
    "reason": st.column_config.TextColumn(f.t("col_reason"), width=150),
}
st.caption(f.t("money_unit_note", unit=f.unit_word))
show_table(table, config, order, ("status", projects["status"], STATUS_BACKGROUND))
download_buttons(table, "projects", columns=["status", "name", "project_code", *order[2:]], labels=config)
st.caption(f.t("status_rule", amber=limits["amber_pp"], red=limits["red_pp"]))

# Any project of the unit can be picked (a shared link to one not among the listed rows included);
# the default is the one furthest behind.
names = project_choices(f, "project")
if not names:
    st.info(f.t("explore_empty"))
    st.stop()
worst = projects["project_code"].iloc[0] if not projects.empty else None
url_param("project", str, names, worst if worst in names else next(iter(names)))
code = st.selectbox(f.t("pick_project"), list(names), key="project", format_func=lambda c: names[c] + f.t("in_brackets", text=c))
keep_in_url("project")

days = query("s_curve", year=f.year, dept=f.dept, project=code, as_of=f.as_of)
ahead = project_outlook(f, code)  # the year-end forecast with its band, as on 项目详情
st.plotly_chart(s_curve(days, f.unit, f.lang, f.t("chart_s_curve", scope=names[code]), ahead))
project_outlook_line(f, ahead)
st.markdown(f"**{f.t('payments_of', as_of=f.as_of.isoformat())}**")
payments = query("project_payments", year=f.year, project=code, as_of=f.as_of)
if payments.empty:
    st.info(f.t("no_payments"))
else:
    payments_table(f, payments, "payments", [(f.t("pick_project"), names[code] + f.t("in_brackets", text=code))])
