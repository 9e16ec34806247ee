"""Quarterly notes on a project: written by staff (editor or admin), read by leadership."""

from __future__ import annotations

import datetime as dt

import duckdb

from monitor.errors import InputError, problem
from monitor.i18n import msg
from monitor.store.batches import insert_rows

MAX_LENGTH = 2000


def add_note(con: duckdb.DuckDBPyConnection, year: int, project_code: str, quarter: int, text: str, author: str) -> None:
    """Store one note, kept with its author and time; refuses empty or overlong text."""
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        raise InputError([problem(msg("form_note"), None, msg("field_note"), None, "err_note_text", chars=MAX_LENGTH)])
    if quarter not in (1, 2, 3, 4):
        raise InputError([problem(msg("form_note"), None, msg("field_quarter"), str(quarter), "err_quarter")])
    known = con.execute("SELECT count(*) FROM projects WHERE year = ? AND project_code = ?", [year, project_code]).fetchone()[0]
    if not known:
        raise InputError([problem(msg("form_note"), None, msg("field_project"), project_code, "err_no_project", year=year)])
    insert_rows(
        con,
        "project_notes",
        ("year", "project_code", "quarter", "note", "author", "created_at"),
        [(year, project_code, quarter, text, author, dt.datetime.now().replace(microsecond=0))],
    )
