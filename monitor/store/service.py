"""Many processes on one database: one writer at a time, readers on published snapshots.

DuckDB lets one process write a database file and forbids readers in other processes meanwhile.
So nobody keeps the file open: a write takes a cross-process lock (`<db>.lock`, filelock), opens the
file for its transaction only, and publishes what readers see as read-only snapshot files in
`<db>.snapshots/`, named by a `current.json` pointer that is replaced atomically (a reader sees the
old or the new version, never half of one). Every reader (app processes, `status`, `report`, the SQL
box) opens the snapshots the pointer names, read-only, and opens them again when the version changes.

Two kinds of publish keep small writes cheap. Every change of the figures belongs to an import batch
(payments, actuals, targets, forecasts, undo, demo), so a write that changed `import_batches` copies
the whole file (`data-<v>.duckdb`); any other write (a sign-in counter, a note, a saved view, a step
of a monitoring round, an attachment) copies only the small tables of STATE_TABLES into
`state-<v>.duckdb`, which readers put ahead of the data snapshot on their search path. Both are
measured in the README (time and disk per import at province scale).

A writer killed at any moment leaves the pointer as it was (a copy is renamed into place only when
whole): readers stay on the old version, and the next write, or the next reader that finds the lock
free, sees that the file changed since the last publish (its size and modification time) and
publishes it. The pointer names the schema (queries/schema.sql) its snapshots have: after an
upgrade that changed it, the first reader or writer brings the file up to date and publishes it
again, so a new version of the app never reads an older database's snapshots.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from monitor.errors import DatabaseBusy, Refused
from monitor.settings import settings
from monitor.store import parquet
from monitor.store.db import connect, open_snapshots, schema_fingerprint

# The tables written without an import batch; a write that leaves import_batches alone publishes only these.
STATE_TABLES = (
    "users",
    "user_changes",
    "saved_views",
    "project_notes",
    "round_tasks",
    "round_units",
    "round_transitions",
    "round_snapshots",
    "rectifications",
    "attachments",
)
POINTER = "current.json"
PARTIAL = ".partial"  # a snapshot being written; renamed into place when whole


@dataclass(frozen=True)
class Published:
    """What the pointer names: the version, the data snapshot, the state snapshot (None when the
    data snapshot holds the latest state tables too), and the source file's (size, mtime) then."""

    version: int
    data: Path
    state: Path | None
    source: tuple[int, int]
    schema: str | None  # the fingerprint of the schema the snapshots have (None: published before it was recorded)

    def current(self, db: Path) -> bool:
        """Whether the snapshots hold the file as it is, in the schema of this version of the app."""
        return _stat(db) == self.source and self.schema == schema_fingerprint()


def snapshot_dir(db: Path) -> Path:
    return db.with_name(db.name + ".snapshots")


def lock_file(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def published(db: Path) -> Published | None:
    """The current pointer, or None before the first publish."""
    folder = snapshot_dir(db)
    try:
        pointer = json.loads((folder / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    state = folder / pointer["state"] if pointer["state"] else None
    return Published(pointer["version"], folder / pointer["data"], state, tuple(pointer["source"]), pointer.get("schema"))


def version(db: Path) -> int:
    """The published version (0 before any publish): changes whenever a write is published. Over an
    exported Parquet folder (MONITOR_SOURCE=parquet:DIR), the folder's modification time."""
    folder = settings().parquet
    if folder is not None:
        return folder.stat().st_mtime_ns
    current = published(db)
    return current.version if current else 0


@contextmanager
def writing(db: Path, on_wait: Callable[[], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to write `db` in, held only for the `with` block, under the cross-process write
    lock; what it wrote is published when the block ends. `on_wait` is called once when another
    process holds the lock (the CLI says it waits); after `lock_wait_seconds` DatabaseBusy is raised.
    Over an exported Parquet folder nothing can be written."""
    if settings().parquet is not None:
        raise Refused("err_read_only_source", folder=str(settings().parquet))
    with _locked(db, on_wait):
        current = published(db)
        stale = current is None or not current.current(db)  # a write that died before its publish, a direct write, an upgrade
        con = connect(db)
        before = _batches(con)
        try:
            yield con
        finally:
            changed = _batches(con) != before
            if stale or changed:
                con.close()
                _publish_data(db)
            else:
                _publish_state(db, con)
                con.close()
                _record_source(db)


def replace(db: Path, build: Callable[[Path], None], on_wait: Callable[[], None] | None = None) -> None:
    """Build `db` anew with `build(db)` (which moves a complete file into place) under the write lock,
    and publish it."""
    with _locked(db, on_wait):
        build(db)
        _publish_data(db)


def fresh_version(db: Path) -> int:
    """The published version, published again first if `db` is stale (`refresh_if_stale`): one read
    of the pointer when nothing changed."""
    if settings().parquet is not None:
        return version(db)
    current = _fresh(db)
    return current.version if current else 0


def figures_version(db: Path) -> str:
    """What changes when the figures may have, published again first like `fresh_version`: the data
    snapshot's name, new with every import batch published, the same across small state writes (a
    sign-in counter, a note, a saved view)."""
    if settings().parquet is not None:
        return str(version(db))
    current = _fresh(db)
    return current.data.name if current else ""


def data_snapshot(con: duckdb.DuckDBPyConnection) -> str | None:
    """The name of the data snapshot a reader's connection holds (None over a Parquet folder)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'data'").fetchone()
    return Path(row[0]).name if row else None


def _fresh(db: Path) -> Published | None:
    current = published(db)
    if current is None or not current.current(db):
        refresh_if_stale(db)
        current = published(db)
    return current


def refresh_if_stale(db: Path) -> None:
    """Publish `db` when it changed since its last publish and nobody is writing it (the lock is
    free): a writer that died between its commit and its publish, a file written directly, or a
    file of an older schema."""
    if settings().parquet is not None:
        return  # an exported folder is not published
    current = published(db)
    if current is not None and current.current(db):
        return
    try:
        with FileLock(lock_file(db), timeout=0):
            current = published(db)
            if current is None or not current.current(db):
                _publish_data(db)
    except Timeout:
        pass  # a writer holds it and publishes when done
    except DatabaseBusy:
        if published(db) is None:
            raise
        # a program that bypasses the lock holds the file: read what was published until it lets go


def reader(db: Path) -> tuple[duckdb.DuckDBPyConnection, int]:
    """A read-only connection on the published snapshots of `db` and their version; publishes first
    when nothing is published yet. A snapshot replaced while it was being opened is retried. Over an
    exported Parquet folder (MONITOR_SOURCE=parquet:DIR), a view of it."""
    folder = settings().parquet
    if folder is not None:
        return parquet.open_folder(folder), version(db)
    refresh_if_stale(db)
    for attempt in range(5):
        current = published(db)
        try:
            return open_snapshots(current.data, current.state), current.version
        except duckdb.IOException:
            if attempt == 4:
                raise
            time.sleep(0.05)  # garbage-collected between reading the pointer and opening: read it again
    raise AssertionError("unreachable")


@contextmanager
def _locked(db: Path, on_wait: Callable[[], None] | None) -> Iterator[None]:
    lock = FileLock(lock_file(db))
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=settings().limits.lock_wait_seconds)
        except Timeout:
            raise DatabaseBusy("err_database_locked", path=str(db), seconds=settings().limits.lock_wait_seconds) from None
    try:
        yield
    finally:
        lock.release()


def _batches(con: duckdb.DuckDBPyConnection) -> tuple:
    return tuple(con.execute("SELECT count(*), coalesce(max(batch_id), 0), count(undone_by) FROM import_batches").fetchone())


def _stat(db: Path) -> tuple[int, int]:
    st = db.stat()
    return st.st_size, st.st_mtime_ns


def _publish_data(db: Path) -> None:
    """Copy the whole file (its WAL checkpointed first, its schema brought up to date) as the next data snapshot."""
    checkpoint = connect(db)  # replays and folds in a WAL a killed writer may have left
    checkpoint.execute("CHECKPOINT")
    checkpoint.close()
    folder = snapshot_dir(db)
    folder.mkdir(exist_ok=True)
    next_version = version(db) + 1
    target = folder / f"data-{next_version}.duckdb"
    _whole(target, lambda partial: shutil.copyfile(db, partial))
    _point(db, next_version, target.name, None)


def _publish_state(db: Path, con: duckdb.DuckDBPyConnection) -> None:
    """Copy the small tables of STATE_TABLES as the next state snapshot; the data snapshot stays."""
    current = published(db)
    folder = snapshot_dir(db)
    next_version = current.version + 1
    target = folder / f"state-{next_version}.duckdb"

    def write(partial: Path) -> None:
        con.execute("ATTACH $path AS state_snapshot", {"path": str(partial)})
        try:
            for table in STATE_TABLES:  # our own names
                con.execute(f"CREATE TABLE state_snapshot.{table} AS SELECT * FROM main.{table}")
        finally:
            con.execute("DETACH state_snapshot")

    _whole(target, write)
    _point(db, next_version, current.data.name, target.name)


def _whole(target: Path, write: Callable[[Path], None]) -> None:
    """Write `target` through a partial file, synced and renamed into place only when whole."""
    partial = target.with_name(target.name + PARTIAL)
    partial.unlink(missing_ok=True)
    write(partial)
    with partial.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(partial, target)


def _point(db: Path, next_version: int, data: str, state: str | None) -> None:
    """Replace the pointer atomically, then remove the snapshots neither it nor the one before names."""
    folder = snapshot_dir(db)
    previous = published(db)
    pointer = {
        "version": next_version,
        "data": data,
        "state": state,
        "source": list(_stat(db)),
        "schema": schema_fingerprint(),
        "published_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    partial = folder / (POINTER + PARTIAL)
    partial.write_text(json.dumps(pointer), encoding="utf-8")
    with partial.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(partial, folder / POINTER)
    keep = {POINTER, data, state} | ({previous.data.name, previous.state.name if previous.state else None} if previous else set())
    for path in folder.iterdir():
        if path.name not in keep and (not path.name.endswith(PARTIAL) or time.time() - path.stat().st_mtime > 600):
            path.unlink(missing_ok=True)  # a reader that has one open keeps reading it (POSIX)


def _record_source(db: Path) -> None:
    """After a state publish the source file changed too (the state tables live in it): note its new stat."""
    folder = snapshot_dir(db)
    pointer = json.loads((folder / POINTER).read_text(encoding="utf-8"))
    pointer["source"] = list(_stat(db))
    partial = folder / (POINTER + PARTIAL)
    partial.write_text(json.dumps(pointer), encoding="utf-8")
    os.replace(partial, folder / POINTER)
