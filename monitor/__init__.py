"""绩效运行监控: budget-project performance monitoring (targets vs actuals) on DuckDB.

Layers, each a subpackage whose `__init__` says what lives there and what it may import (enforced by
tests/test_layers.py): `store` (the database) ← `ingest` (input files), `rules` (monitoring rules) ←
`review` (exports), `rounds` (monitoring rounds), `explore` (ad hoc queries), `demo` (synthetic data) ←
`ui` (Streamlit) ← `app_pages/` and `dashboard.py`; `cli` drives the core without the UI. At the bottom,
imported by all: `errors`, `settings`, `i18n`, `fmt`; `auth` (users and roles) sits on `store`.
"""
