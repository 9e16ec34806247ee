"""绩效运行监控 — entry point: page config, navigation and the shared sidebar filters."""

import streamlit as st

from monitor.i18n import t
from monitor.ui.data import follow_new_data, pin_version
from monitor.ui.filters import sidebar_filters
from monitor.ui.signin import account_box, current_user
from monitor.ui.widgets import print_style

st.set_page_config(page_title="绩效运行监控", page_icon="📊", layout="wide")
pin_version()  # this run reads one published version, whatever another process publishes meanwhile
print_style()  # printing a page from the browser leaves out the sidebar and keeps charts whole

PAGES = [  # (file, url path, title key); the first is the home page
    ("app_pages/overview.py", "overview", "page_overview"),
    ("app_pages/disbursement.py", "disbursement", "page_disbursement"),
    ("app_pages/bulletin.py", "bulletin", "page_bulletin"),
    ("app_pages/indicators.py", "indicators", "page_indicators"),
    ("app_pages/project.py", "project", "page_project"),
    ("app_pages/explore.py", "explore", "page_explore"),
    ("app_pages/rounds.py", "rounds", "page_rounds"),
    ("app_pages/data.py", "data", "page_data"),
]
ADMIN_PAGES = [("app_pages/users.py", "users", "page_users")]  # listed for admins only; the page checks the role too

nav_box = st.sidebar.container()  # above the filters
account_box()  # sign-in; stops the run here when viewing needs sign-in and nobody is signed in
filters = sidebar_filters()
user = current_user()
listed = PAGES + (ADMIN_PAGES if user and user.can("admin") else [])
pages = [st.Page(file, title=t(key, filters.lang), url_path=url, default=(i == 0)) for i, (file, url, key) in enumerate(listed)]
# The built-in sidebar navigation is hidden (client.showSidebarNavigation = false) and drawn
# here instead, so that the title and the page links stand above the sign-in box and filters.
current = st.navigation(pages, position="hidden")
with nav_box:
    st.title(t("app_title", filters.lang))
    for page in pages:
        st.page_link(page)
follow_new_data()  # before the page, which may stop the run: it keeps looking for new data while the page is open
current.run()
