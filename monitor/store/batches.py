"""Import batches: every write to the database belongs to one, recorded with file and user."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from monitor.i18n import Msg

# One write at a time in this process. Each import checks the stored data inside its transaction
# (file already imported? voucher taken? batch already undone?), and under snapshot isolation two
# concurrent transactions would both pass those checks and both write. Other processes cannot
# open the file for writing while this one holds it (DuckDB's file lock), so a process lock suffices.
WRITE_LOCK = threading.Lock()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One write transaction, after any other write of this process has finished; rolled back on any error."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def sha256_of(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sha256_of_bytes(data: bytes) -> str:
    """The content hash of one uploaded or named file: the same bytes under another name are the same file."""
    return hashlib.sha256(data).hexdigest()


def already_imported(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> int | None:
    """The batch that imported this exact content before and still holds it (not undone), if any."""
    rows = con.execute(  # fetched to the end: an unfinished result would keep the connection from registering tables
        "SELECT max(batch_id) FROM import_batches WHERE kind = ? AND sha256 = ? AND undone_by IS NULL", [kind, sha256]
    ).fetchall()
    return rows[0][0]


def new_batch(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    file_name: str,
    sha256: str,
    row_count: int,
    user: str,
    *,
    is_demo: bool = False,
    note: Msg | None = None,
) -> int:
    """Record a batch; its `note` is kept as a message (key and values) and worded when shown (`note_text`)."""
    stored = None if note is None else json.dumps(_packed(note), ensure_ascii=False, default=str)
    row = con.execute(
        "INSERT INTO import_batches (kind, file_name, sha256, row_count, imported_at, imported_by, is_demo, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING batch_id",
        [kind, file_name, sha256, row_count, dt.datetime.now().replace(microsecond=0), user, is_demo, stored],
    ).fetchone()
    return row[0]


def _packed(message: Msg) -> dict:
    return {"key": message.key, "values": {k: _packed(v) if isinstance(v, Msg) else v for k, v in message.values.items()}}


def note_text(stored: object, lang: str) -> str:
    """A batch's note in the reader's language; a note written as text by an older version as it is."""
    if not isinstance(stored, str) or not stored:
        return ""
    try:
        found = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(found, dict) or "key" not in found:
        return stored
    values = {k: Msg(v["key"], v.get("values", {})) if isinstance(v, dict) and "key" in v else v for k, v in found["values"].items()}
    return Msg(found["key"], values).text(lang)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert rows with bound values; `table` and `columns` are names from our own code."""
    if rows:
        placeholders = ", ".join("?" for _ in columns)
        con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", list(rows))
