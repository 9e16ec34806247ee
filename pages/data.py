"""数据管理: imports with a validation report, the import history and undo."""

import streamlit as st

from monitor.import_ui import history_section, payments_section
from monitor.ui import filters

f = filters()
st.header(f.t("page_data"))
# One tab per kind of import, then the history; a 绩效目标 tab joins the first ones.
payments_tab, history_tab = st.tabs([f.t("tab_payments"), f.t("tab_history")])
with payments_tab:
    payments_section(f)
with history_tab:
    history_section(f)
