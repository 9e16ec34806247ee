"""The app's database access: one cached connection per process and file, named queries cached
until the data changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from monitor.demo.build import ensure_database
from monitor.errors import DatabaseBusy
from monitor.fmt import plain
from monitor.i18n import DEFAULT_LANG
from monitor.store import db


@st.cache_resource
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    ensure_database(Path(path))
    return db.connect(Path(path))  # a writable connection brings an older file up to the current schema


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's database, for named queries and for writes (imports, undo, sign-in):
    one connection per process and file, a cursor per script run (thread). While another process
    holds the file (an import from the command line) the page says so and stops."""
    try:
        return db.cursor(_connection(str(db.db_path())))
    except DatabaseBusy as busy:
        st.error(plain(busy.message(st.session_state.get("lang", DEFAULT_LANG))))
        st.stop()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_sql(path: str, version: tuple, text: str, params: tuple) -> pd.DataFrame:
    return db.cursor(_connection(path)).execute(text, dict(params)).df()


def data_version() -> tuple:
    return tuple(db.query_rows(cursor(), "data_version")[0])


def query(name: str, **params: Any) -> pd.DataFrame:
    """A named query's result, cached until the data changes (any new import batch)."""
    return run_sql(db.sql(name), params)


def run_sql(text: str, params: dict[str, Any]) -> pd.DataFrame:
    """SQL composed by our own code (monitor.explore.builder) with bound `params`, cached like `query`."""
    return _cached_sql(str(db.db_path()), data_version(), text, tuple(sorted(params.items())))


def scalar(name: str, **params: Any) -> Any:
    return db.query_rows(cursor(), name, **params)[0][0]
