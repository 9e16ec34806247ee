"""总览: headline figures, the quarterly picture and what needs attention, for leadership."""

import streamlit as st

from monitor.charts import quarterly_chart
from monitor.disbursement import reason_text, status_badge, threshold_params
from monitor.fmt import money, plain
from monitor.ui import execution_rate_metric, filters, query

f = filters()
st.header(f.t("page_overview"))
if f.year is None:
    st.info(f.t("no_data"))
    st.stop()
st.caption(f.t("as_of_caption", as_of=f.as_of.isoformat()))

rows = query("project_status", year=f.year, dept=f.dept, as_of=f.as_of, **threshold_params())
total = rows[rows["project_code"].isna()].iloc[0]
projects = rows[rows["project_code"].notna()]
lagging = projects[projects["status"] != "green"]

c = st.columns(4)
c[0].metric(f.t("total_budget", unit=f.unit), money(total["budget"], f.unit), border=True)
c[1].metric(f.t("actual_to_date", unit=f.unit), money(total["actual_cumulative"], f.unit), border=True)
execution_rate_metric(c[2], f, total)
c[3].metric(f.t("projects_behind"), f"{len(lagging)} / {len(projects)}", help=f.t("projects_behind_help"), border=True)

quarters = query("quarterly_disbursement", year=f.year, dept=f.dept, as_of=f.as_of)
st.plotly_chart(quarterly_chart(quarters[quarters["project_code"].isna()], f.unit, f.lang, f.t("chart_quarterly", scope=f.t("scope_all"))))

st.subheader(f.t("attention"))
if lagging.empty:
    st.success(f.t("all_on_track"))
for p in lagging.itertuples():
    st.markdown(
        f"{status_badge(p.status, p.status_reason, f.lang)} **{plain(p.name)}** — "
        f"{reason_text(p.status_reason, p.gap_pp, p.actual_cumulative - p.budget, f.lang)}"
    )
