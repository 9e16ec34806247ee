"""Opening the database and running the named queries of `queries/`.

A query is named by its file's stem, wherever it lies in the folders by layer (`queries/pages/
project_status.sql` is "project_status"); names are unique across the folders. Queries are
parameterised with DuckDB's `$name` placeholders and always run with bound values; nothing here
formats a value into SQL text.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

REPO_ROOT = Path(__file__).resolve().parents[2]
QUERIES_DIR = REPO_ROOT / "queries"
DEFAULT_DB = REPO_ROOT / "data" / "monitor.duckdb"


def db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """The database file: `--db` wins over `MONITOR_DB`, which wins over the default."""
    chosen = cli_value or os.environ.get("MONITOR_DB") or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


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


class DatabaseBusy(Exception):
    """Another process has the database file open; DuckDB lets only one process open it for writing."""


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database: a writable one gets any missing tables of queries/schema.sql, and
    every connection gets the rule macros of queries/rules/. Raises `DatabaseBusy` while
    another process (the running dashboard, an import) holds the file."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "Could not set lock" not in str(error):
            raise
        holder = re.search(r"\(PID (\d+)\)", str(error))
        pid = f"PID {holder.group(1)}" if holder else "另一进程"
        raise DatabaseBusy(
            f"数据库 {path} 正被另一个进程（{pid}，例如正在运行的看板或另一次导入）打开，一个数据库同一时间只能由一个进程使用。"
            "看板运行时请在「数据管理」页导入，或等该进程结束后再运行此命令。未写入任何数据。"
        ) from None
    con.execute(f"SET memory_limit = '{memory_limit()}'")  # a checked size, see memory_limit()
    if not read_only:
        con.execute(sql("schema"))
    con.execute(rules_sql())
    return con


def memory_limit() -> str:
    """DuckDB's memory budget for this process: MONITOR_MEMORY_LIMIT (e.g. 4GB), default 2GB.
    DuckDB's own default (80% of RAM) let one app process reach 8 GB at province scale; beyond
    the budget DuckDB spills to disk beside the database file."""
    value = os.environ.get("MONITOR_MEMORY_LIMIT", "2GB").strip().upper()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB)", value):
        raise ValueError(f"MONITOR_MEMORY_LIMIT: expected a size such as 2GB, got {value!r}")
    return value


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
