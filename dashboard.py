"""绩效运行监控 — entry point: page config, navigation and the shared sidebar filters."""

import streamlit as st

from monitor.auth_ui import account_box
from monitor.i18n import t
from monitor.ui import sidebar_filters

st.set_page_config(page_title="绩效运行监控", page_icon="📊", layout="wide")

PAGES = [  # (file, url path, title key); the first is the home page
    ("pages/overview.py", "overview", "page_overview"),
    ("pages/disbursement.py", "disbursement", "page_disbursement"),
    ("pages/indicators.py", "indicators", "page_indicators"),
    ("pages/project.py", "project", "page_project"),
    ("pages/explore.py", "explore", "page_explore"),
    ("pages/rounds.py", "rounds", "page_rounds"),
    ("pages/data.py", "data", "page_data"),
]

nav_box = st.sidebar.container()  # above the filters
account_box()  # sign-in; stops the run here when viewing needs sign-in and nobody is signed in
filters = sidebar_filters()
pages = [st.Page(file, title=t(key, filters.lang), url_path=url, default=(i == 0)) for i, (file, url, key) in enumerate(PAGES)]
# The built-in sidebar navigation is hidden (client.showSidebarNavigation = false) and drawn
# here instead: on a fresh server a deep link opened first could otherwise list the files of
# pages/ rather than these pages.
current = st.navigation(pages, position="hidden")
with nav_box:
    st.title(t("app_title", filters.lang))
    for page in pages:
        st.page_link(page)
current.run()
