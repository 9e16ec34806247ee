"""Opening the database and running the named queries of `queries/`.

A query is named by its file's stem, wherever it lies in the folders by layer (`queries/pages/
project_status.sql` is "project_status"); names are unique across the folders. Queries are
parameterised with DuckDB's `$name` placeholders and always run with bound values; nothing here
formats a value into SQL text.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from monitor.errors import DatabaseBusy
from monitor.settings import REPO_ROOT, settings

QUERIES_DIR = REPO_ROOT / "queries"
# Any function that runs a named query with bound parameters and returns a DataFrame: monitor.ui.data.query
# in the app, a connection-bound query_df in exports and tests, a frozen snapshot's frames in a round.
Run = Callable[..., pd.DataFrame]


def db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The database file: `--db` wins over `MONITOR_DB`, which wins over the default."""
    return Path(cli_value).expanduser().resolve() if cli_value else settings().db


# The rule macros (queries/rules/), defined on every connection in this order: each file uses only
# the macros of the files before it.
RULE_FILES = ("vocabulary", "scope", "plan", "disbursement", "indicators", "scores")


@cache
def _query_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in sorted(QUERIES_DIR.rglob("*.sql")):
        if path.stem in files:
            raise RuntimeError(f"two queries named {path.stem!r}: {files[path.stem]} and {path}")
        files[path.stem] = path
    return files


@cache
def sql(name: str) -> str:
    """The text of the named query `queries/<folder>/<name>.sql`."""
    path = _query_files().get(name)
    if path is None:
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


@cache
def rules_sql() -> str:
    """Every rule macro of queries/rules/, as one script."""
    return "\n".join(sql(name) for name in RULE_FILES)


@cache
def _tables() -> frozenset[str]:
    return frozenset(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", sql("schema")))


@cache
def _macro_bodies() -> dict[str, str]:
    names_and_bodies = re.split(r"CREATE OR REPLACE TEMP MACRO (\w+)\(", rules_sql())[1:]
    return dict(zip(names_and_bodies[::2], names_and_bodies[1::2]))


@lru_cache(maxsize=1024)
def tables_read(text: str) -> frozenset[str]:
    """The tables of queries/schema.sql that SQL `text` names, itself or through the rule macros it
    calls: a superset (a column sharing a table's name counts too), which is what a cache key needs."""
    macros = _macro_bodies()
    words = _words(text)
    found, seen, calls = words & _tables(), set(), list(words & macros.keys())
    while calls:
        macro = calls.pop()
        if macro not in seen:
            seen.add(macro)
            words = _words(macros[macro])
            found |= words & _tables()
            calls += words & macros.keys()
    return frozenset(found)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", re.sub(r"--[^\n]*", "", text)))  # comments left out


@cache
def schema_fingerprint() -> str:
    """What identifies queries/schema.sql as this version of the app has it."""
    return hashlib.sha256(sql("schema").encode("utf-8")).hexdigest()[:16]


def open_file(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A plain DuckDB connection to the file; DatabaseBusy while a program that does not take our
    write lock (an older version of the app, a DuckDB shell) holds it."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "Could not set lock" not in str(error):
            raise
        holder = re.search(r"\(PID (\d+)\)", str(error))
        raise DatabaseBusy("err_database_busy", path=str(path), pid=holder.group(1) if holder else "?") from None


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database: a writable one gets any missing tables of queries/schema.sql, and
    every connection gets the rule macros of queries/rules/. Writers open it through
    monitor.store.service.writing, under the cross-process write lock."""
    con = open_file(path, read_only)
    # DuckDB's own default (80% of RAM) let one app process reach 8 GB at province scale; beyond the
    # budget DuckDB spills to disk beside the database file. The size is checked by monitor.settings.
    con.execute(f"SET memory_limit = '{settings().memory_limit}'")
    if not read_only:
        con.execute(sql("schema"))
        if con.execute("SELECT NOT EXISTS (FROM plan_segments) AND EXISTS (FROM plan_checkpoints)").fetchone()[0]:
            con.execute(sql("plan_segments_fill"), {"year": None})  # a database written before plan_segments existed
    con.execute(rules_sql())
    return con


def open_snapshots(data: Path, state: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only view of published snapshots (monitor.store.service): an in-memory database that
    attaches the data snapshot, and the state snapshot ahead of it when there is one, and holds a view
    of every table (state tables from the state snapshot) and the rule macros. Views and macros are
    part of the database, not of a connection, so every cursor of it sees them: a page's queries take
    `con.cursor()` without defining the rules again."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{settings().memory_limit}'")
    con.execute("ATTACH $path AS data (READ_ONLY)", {"path": str(data)})
    sources = {table: "data" for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'data'").fetchall()}
    if state is not None:
        con.execute("ATTACH $path AS state (READ_ONLY)", {"path": str(state)})
        sources |= {
            table: "state" for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'state'").fetchall()
        }
    for table, source in sources.items():  # names from the snapshots' own catalogs
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM {source}.main."{table}"')
    con.execute(rules_sql().replace("CREATE OR REPLACE TEMP MACRO", "CREATE OR REPLACE MACRO"))
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor for another thread; temporary macros are per cursor, so the rules are defined again."""
    cur = con.cursor()
    cur.execute(rules_sql())
    return cur


def query_df(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run a named query with bound parameters and return a DataFrame."""
    return con.execute(sql(name), params).df()


def query_rows(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple]:
    return con.execute(sql(name), params).fetchall()


def query_arrow(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pa.Table:
    """Run a named query with bound parameters and return an Arrow table."""
    return con.sql(sql(name), params=params).to_arrow_table()
