"""监控任务: monitoring rounds — tasks and their state per unit, one unit's round (fill, submit,
review, frozen snapshot and its export), rectification tracking and evidence files."""

import streamlit as st

from monitor.ui import rounds as rounds_ui
from monitor.ui.filters import filters

f = filters()
st.header(f.t("page_rounds"))
if not f.year:
    st.info(f.t("no_data"))
    st.stop()
rounds_ui.notice()
listing = rounds_ui.task_list(f)
rounds_ui.create_form(f)
if not listing.empty:
    rounds_ui.unit_round(f, listing)
rounds_ui.rectifications(f)
rounds_ui.evidence(f, listing)
