"""All Streamlit code the pages share: the app's database access and query cache, the sidebar
filters and the URL state, the sign-in box, and the widgets of the import, editor, explore and
rounds sections. Nothing outside this package (and `app_pages/`, `dashboard.py`) imports streamlit.

May import: anything in `monitor` except `monitor.cli`.
"""
