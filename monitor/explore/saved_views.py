"""Saved views: a named page address (its URL query string), to reopen a set of filters.

Saving is a data change: the page lets only an editor or admin save, recorded as `created_by`.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

MAX_NAME = 100


def save_view(con: duckdb.DuckDBPyConnection, name: str, page: str, query_string: str, user: str) -> None:
    """Store the view; saving a name again on the same page replaces its query string."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a view name has 1 to {MAX_NAME} characters")
    con.execute(
        """INSERT INTO saved_views (name, page, query_string, created_by, created_at)
           VALUES ($name, $page, $query, $user, $at)
           ON CONFLICT (page, name) DO UPDATE SET query_string = excluded.query_string,
               created_by = excluded.created_by, created_at = excluded.created_at""",
        {"name": name, "page": page, "query": query_string, "user": user, "at": dt.datetime.now()},
    )


def list_views(con: duckdb.DuckDBPyConnection, page: str) -> pd.DataFrame:
    return con.execute(
        "SELECT view_id, name, query_string, created_by, created_at FROM saved_views WHERE page = $page ORDER BY name",
        {"page": page},
    ).df()


def delete_view(con: duckdb.DuckDBPyConnection, view_id: int) -> None:
    con.execute("DELETE FROM saved_views WHERE view_id = $id", {"id": view_id})
