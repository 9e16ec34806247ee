"""即席查询: filter any subject on any of its fields, group and chart it, download, save and share."""

import streamlit as st

from monitor.explore.builder import Query
from monitor.ui.explore import conditions, context, grouping, pick_subject, saved_views, show_result, sql_box
from monitor.ui.filters import filters

f = filters()
st.header(f.t("page_explore"))
if f.year is None:
    st.info(f.t("no_data"))
    st.stop()
st.caption(f.as_of_text())

ctx = context(f)
subject = pick_subject(f)
found, words = conditions(f, subject, ctx)
groups, measure, _ = grouping(f, subject)
show_result(f, subject, Query(st.session_state["subject"], found, groups, measure), ctx, words)
saved_views(f)
sql_box(f)
