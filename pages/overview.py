"""总览: headline figures for leadership."""

import streamlit as st

from monitor.fmt import in_unit, money, percent
from monitor.ui import filters, query

f = filters()
st.header(f.t("page_overview"))
if f.year is None:
    st.info(f.t("no_data"))
    st.stop()
st.caption(f.t("as_of_caption", as_of=f.as_of.isoformat()))

head = query("overview_headline", year=f.year, dept=f.dept, as_of=f.as_of).iloc[0]
c1, c2, c3, c4 = st.columns(4)
c1.metric(f.t("total_budget", unit=f.unit), money(head["budget"], f.unit), border=True)
c2.metric(f.t("actual_to_date", unit=f.unit), money(head["actual"], f.unit), border=True)
c3.metric(f.t("execution_rate"), percent(head["execution_rate"]), help=f.t("execution_rate_help"), border=True)
c4.metric(f.t("projects_count"), int(head["projects"]), border=True)

st.subheader(f.t("projects_table"))
table = query("project_spending", year=f.year, dept=f.dept, as_of=f.as_of)
st.dataframe(
    table.assign(
        budget=table["budget"].map(lambda v: float(in_unit(v, f.unit))),
        actual=table["actual"].map(lambda v: float(in_unit(v, f.unit))),
        execution_rate=table["execution_rate"] * 100,
    ),
    hide_index=True,
    column_config={
        "project_code": f.t("col_project_code"),
        "name": f.t("col_project"),
        "budget": st.column_config.NumberColumn(f.t("col_budget", unit=f.unit), format="%.2f"),
        "actual": st.column_config.NumberColumn(f.t("col_actual", unit=f.unit), format="%.2f"),
        "execution_rate": st.column_config.ProgressColumn(f.t("col_rate"), format="%.2f%%", min_value=0, max_value=100, color="blue"),
    },
)
