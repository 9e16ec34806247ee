"""What every command shares: its words in the language of MONITOR_LANG, what it prints, the
--db option and the database opened for reading (the published snapshots) or for a write."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from monitor.errors import NotFound, SettingsError
from monitor.i18n import DEFAULT_LANG, t
from monitor.settings import settings
from monitor.store import service
from monitor.store.db import db_path


def cli_lang() -> str:
    try:
        return settings().lang
    except SettingsError:
        return DEFAULT_LANG  # the setting's own error is reported when it is needed


def _(key: str, **values: Any) -> str:
    return t(key, cli_lang(), **values)


def say(key: str, **values: Any) -> None:
    """A result, on standard output."""
    print(_(key, **values))


def note(key: str, **values: Any) -> None:
    """A warning or a summary next to the result, on standard error."""
    print(_(key, **values), file=sys.stderr)


def db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=_("cli_help_db"))


@contextmanager
def writing(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database named by --db / MONITOR_DB, to write in under the cross-process lock (waiting for
    another process's write, with a message) and published when the block ends."""
    with service.writing(db_path(args.db), on_wait=waiting) as con:
        yield con


def waiting() -> None:
    note("cli_waiting_for_lock")


def open_for_reading(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the published snapshots of the database named by --db /
    MONITOR_DB (reading never waits for a writer); NotFound when it does not exist."""
    path = db_path(args.db)
    if not path.is_file() and settings().parquet is None:
        raise NotFound("cli_no_database", path=path)
    return service.reader(path)[0]


def cli_user() -> str:
    # Whoever can run this can write the database file directly, so a password here would
    # protect nothing; the batch records the operating-system account instead.
    return f"cli:{getpass.getuser()}"
