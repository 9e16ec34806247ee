"""The app's database access: reads from the published snapshots (monitor.store.service), one
read-only connection per process and published version, the version read once per script run,
cached named queries keyed on what they read of it; writes through `writing()`, which holds the
file only for the write and publishes it. The app never keeps the database file open, so the
command line, a scheduled import and other app processes write while it serves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from monitor.demo.build import ensure_database
from monitor.errors import DatabaseBusy, NotAllowed, Refused
from monitor.fmt import plain
from monitor.i18n import DEFAULT_LANG, t
from monitor.settings import settings
from monitor.store import db, service

T = TypeVar("T")


@st.cache_resource(max_entries=4)  # the current version and the few before, still read by running scripts
def _reader(path: str, version: int) -> tuple[duckdb.DuckDBPyConnection, str]:
    """The read-only connection for the published `version`, and the name of the data snapshot it
    holds: the one published since, when a write was published between reading the pointer and
    opening it, so results are keyed on what the connection really reads."""
    con, _ = service.reader(Path(path))
    return con, service.data_snapshot(con) or str(version)


RUN_VERSION = "run_version"  # session state: (version, data snapshot) this script run reads


def pin_version() -> None:
    """Read the published version once, at the start of a script run (dashboard.py): every figure the
    run draws comes from that one version, however many queries it takes and whatever another
    process publishes meanwhile, and the next run reads the pointer again. A fragment's own run (an
    export) keeps the version of the page it belongs to."""
    st.session_state[RUN_VERSION] = _current()


def _current() -> tuple[int, str]:
    path = _database()
    version = service.fresh_version(path)
    return version, _reader(str(path), version)[1]


def _versions() -> tuple[int, str]:
    """(version, data snapshot) of this run: pinned by pin_version, or read now when a script runs
    without dashboard.py."""
    pinned = st.session_state.get(RUN_VERSION)
    return _current() if pinned is None else pinned


def data_version() -> int:
    """The version this run reads."""
    return _versions()[0]


def _result_key(text: str) -> str:
    """What a cached result of SQL `text` depends on: the data snapshot, and the version too when the
    text reads a state table (whether a score is an estimate depends on a round's 终审). So a sign-in,
    a note or a saved view, which publish a new version of the state tables only, leave every
    computed figure cached for every session."""
    version, data = _versions()
    return f"{data}#{version}" if db.tables_read(text) & set(service.STATE_TABLES) else data


def _database() -> Path:
    """The database file, the demo built first when there is none yet (not over a Parquet folder)."""
    path = db.db_path()
    if settings().parquet is None:
        ensure_database(path)
    return path


def cursor() -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the current published version, for named queries; rules and views are
    part of the snapshot connection, so nothing is defined again."""
    return _reader(str(db.db_path()), data_version())[0].cursor()


@contextmanager
def writing() -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to write in (imports, undo, sign-in, notes, rounds), published when the block
    ends. While another process writes, the page waits for it (bounded) and then says so."""
    try:
        with service.writing(db.db_path()) as con:
            yield con
        pin_version()  # the page goes on to draw its own write
    except (DatabaseBusy, Refused, NotAllowed) as refused:  # another process writes too long; a read-only source; not the user's units
        st.error(plain(refused.message(st.session_state.get("lang", DEFAULT_LANG))))
        st.stop()


REFRESH_SECONDS = 5  # how often an open page looks for a newly published version (each look is a short run on the server)


def follow_new_data() -> None:
    """Say on an open page, within seconds, that a write of any process (an import on the command
    line, a scheduled feed, another app process) has been published; its next run (any click, or the
    notice's button) shows the new figures, as every run reads the current version (pin_version).

    Not a rerun of its own: a fragment that calls st.rerun() while a click is waiting to be run
    replaces the click's page by its own (Streamlit merges the two requests and keeps the page the
    fragment was started on), so a viewer who clicked a page link would get a blank page; and with
    every session rerunning its page on every import, a review with dozens of open sessions spends
    the server's cores redrawing pages nobody looks at. Small state writes (sign-ins, notes, saved
    views) are not new data to a viewer: only a published import batch is."""
    _look_for_new_data()


@st.fragment(run_every=REFRESH_SECONDS)
def _look_for_new_data() -> None:
    # the data snapshot published now against the one the page was drawn from (pinned by its last full run)
    if service.figures_version(_database()) != _versions()[1]:
        lang = st.session_state.get("lang", DEFAULT_LANG)
        notice, button = st.columns([5, 1], vertical_alignment="center")
        notice.info(t("new_data_published", lang), icon=":material/update:")
        if button.button(t("new_data_show", lang), key="new_data_show"):
            st.rerun()  # the viewer's own click: nothing else waits to run


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_sql(path: str, key: str, text: str, params: tuple, _version: int) -> pd.DataFrame:
    # `key` (_result_key) is what the result depends on; `_version` only says which connection runs it
    return _reader(path, _version)[0].cursor().execute(text, dict(params)).df()


def query(name: str, **params: Any) -> pd.DataFrame:
    """A named query's result, cached until a write of what it reads is published (_result_key)."""
    return run_sql(db.sql(name), params)


def cached_rule(rule: Callable[..., T], *args: Any) -> T:
    """`rule(query, *args)`: a rule function over the named queries whose own work is worth keeping
    (the outlook's model over every project), its result cached like theirs until a write is published."""
    return _cached_rule(str(db.db_path()), data_version(), f"{rule.__module__}.{rule.__qualname__}", rule, args)


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_rule(path: str, version: int, name: str, _rule: Callable[..., Any], args: tuple) -> Any:
    return _rule(query, *args)


def run_sql(text: str, params: dict[str, Any]) -> pd.DataFrame:
    """SQL composed by our own code (monitor.explore.builder) with bound `params`, cached like `query`."""
    return _cached_sql(str(db.db_path()), _result_key(text), text, tuple(sorted(params.items())), data_version())
