"""The SQL box of 即席查询: one SELECT statement from a power user, run where it can neither
write nor touch files.

Guarantees, in layers:
1. `check` parses the text with DuckDB's own parser: exactly one statement, of type SELECT,
   starting with SELECT or WITH, and no function that reads files or runs other SQL
   (read_csv, glob, query, …) anywhere in its syntax tree.
2. `run` executes it on a fresh in-memory DuckDB that ATTACHes a snapshot of the database
   READ_ONLY and then sets enable_external_access = false and locks the configuration, so
   even a pattern missed by (1) cannot read or write files, attach, install or load.
3. A row limit and a time limit (the query is interrupted after `seconds`).

Why a snapshot: the app process holds the database file open read-write, and DuckDB refuses a
second open of the same file in one process, read-only or ATTACHed ("Unique file handle
conflict"); another process cannot open it either while it is locked for writing. So the app's
own connection copies the database (COPY FROM DATABASE, a consistent read) into a snapshot
file per data version, which any number of locked-down connections may attach read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from monitor import errors
from monitor.settings import settings
from monitor.store import db

SECRET_TABLE = "users"
MAX_CHARS = 10_000
# Functions that read or write files, reach the network or run SQL given as text.
_FORBIDDEN = re.compile(r"^(read_\w+|parquet_\w+|iceberg_\w+|delta_scan|glob|sniff_csv|query|query_table|getenv|duckdb_secrets|\w*_scan)$")
_FIRST_WORD = re.compile(r"^\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*(\w+)", re.DOTALL | re.IGNORECASE)


class Refused(errors.Refused):
    """A statement the SQL box will not run; `key` names the message, `detail` fills it."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(key, detail=detail)
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    truncated: bool  # more rows matched than the limit


def check(text: str) -> str:
    """The statement to run, or Refused with the reason."""
    if not text.strip():
        raise Refused("sql_empty")
    if len(text) > MAX_CHARS:
        raise Refused("sql_too_long", str(MAX_CHARS))
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as e:
        raise Refused("sql_syntax", _first_line(e)) from None
    if len(statements) != 1:
        raise Refused("sql_one_statement", str(len(statements)))
    statement = statements[0]
    first = _FIRST_WORD.match(text)
    word = first.group(1).upper() if first else ""
    if statement.type != duckdb.StatementType.SELECT or word not in ("SELECT", "WITH"):
        raise Refused("sql_select_only", word or statement.type.name)
    forbidden = sorted(n for n in _function_names(statement.query) if _FORBIDDEN.match(n))
    if forbidden:
        raise Refused("sql_function", ", ".join(forbidden))
    return statement.query.strip().rstrip(";")


def _function_names(statement: str) -> set[str]:
    """Every function named in the statement's syntax tree (scalar, aggregate and table functions)."""
    with duckdb.connect(":memory:") as con:
        tree = json.loads(con.execute("SELECT json_serialize_sql($q)", {"q": statement}).fetchone()[0])
    if tree.get("error"):
        raise Refused("sql_syntax", str(tree.get("error_message", "")))
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("function_name"), str):
                names.add(node["function_name"].lower())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return names


def snapshot(con: duckdb.DuckDBPyConnection, path: Path, version: int) -> Path:
    """A copy of the published data (`con`: a reader of monitor.store.service) for this version,
    made once, without the password hashes."""
    folder = Path(tempfile.gettempdir()) / "monitor-sqlbox"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o700)  # it holds copies of the data: this account only
    stem = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    target = folder / f"{stem}-{version}.duckdb"
    if not target.exists():
        part = target.with_suffix(f".part{threading.get_ident()}")
        part.unlink(missing_ok=True)
        alias = f"sqlbox_snapshot_{threading.get_ident()}"  # our own name, one per thread: sessions copy at once
        tables = con.execute("SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal").fetchall()
        con.execute(f"ATTACH $path AS {alias}", {"path": str(part)})
        try:
            for (table,) in tables:  # the snapshot's own table names
                if table != SECRET_TABLE:  # password hashes never reach the SQL box
                    con.execute(f'CREATE TABLE {alias}."{table}" AS SELECT * FROM "{table}"')
        finally:
            con.execute(f"DETACH {alias}")
        os.replace(part, target)
        for old in folder.glob(f"{stem}-*.duckdb"):  # earlier versions of the same database
            if old != target:
                old.unlink(missing_ok=True)
    return target


def locked_down(snapshot_path: Path) -> duckdb.DuckDBPyConnection:
    """A connection that sees the snapshot read-only and nothing else on the machine."""
    con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": "1GB"})
    con.execute("ATTACH $path AS monitor (READ_ONLY)", {"path": str(snapshot_path)})
    con.execute("USE monitor")
    con.execute(db.rules_sql())  # the rule macros, so power users can call indicator_latest(…) etc.
    con.execute("SET python_enable_replacements = false")  # no reading Python variables of this process
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def run(snapshot_path: Path, text: str, limit: int | None = None, seconds: float | None = None) -> Result:
    """Run one checked SELECT with a row and a time limit (default: the settings' sql_rows and
    sql_seconds); Refused with DuckDB's message on error."""
    limit = settings().limits.sql_rows if limit is None else limit
    seconds = settings().limits.sql_seconds if seconds is None else seconds
    statement = check(text)
    con = locked_down(snapshot_path)
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        frame = con.execute(f"SELECT * FROM (\n{statement}\n) AS q LIMIT $limit", {"limit": limit + 1}).df()
    except duckdb.InterruptException:
        raise Refused("sql_timeout", str(seconds)) from None
    except duckdb.Error as e:
        raise Refused("sql_error", _first_line(e)) from None
    finally:
        timer.cancel()
        con.close()
    return Result(frame.head(limit), len(frame) > limit)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:300]
