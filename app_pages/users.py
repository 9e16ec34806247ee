"""用户管理 (admins): the users and their roles, adding one, resetting a password, changing a role,
unlocking a name, and the history of every change."""

import streamlit as st

from monitor.ui import users as users_ui
from monitor.ui.filters import filters
from monitor.ui.signin import require_role

f = filters()
st.header(f.t("page_users"))
admin = require_role("admin")
if admin is None:
    st.stop()
st.caption(f.t("users_intro"))
st.subheader(f.t("users_list"))
listing = users_ui.users_table(f)
users_ui.add_form(f, admin)
users_ui.manage_forms(f, admin, listing)
users_ui.history(f)
