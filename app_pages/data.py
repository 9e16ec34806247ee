"""数据管理: imports with a validation report or preview, the import history and undo."""

import streamlit as st

from monitor.ui.filters import filters
from monitor.ui.import_forecasts import forecasts_section
from monitor.ui.import_form import form_section
from monitor.ui.import_payments import history_section, payments_section
from monitor.ui.import_targets import actuals_section, targets_section

f = filters()
st.header(f.t("page_data"))
targets_tab, payments_tab, actuals_tab, forecasts_tab, form_tab, history_tab = st.tabs(
    [f.t("tab_targets"), f.t("tab_payments"), f.t("tab_actuals"), f.t("tab_forecasts"), f.t("tab_form"), f.t("tab_history")]
)
with targets_tab:
    targets_section(f)
with payments_tab:
    payments_section(f)
with actuals_tab:
    actuals_section(f)
with forecasts_tab:
    forecasts_section(f)
with form_tab:
    form_section(f)
with history_tab:
    history_section(f)
