"""Keeping plan_segments (each project's plan between checkpoints, queries/schema.sql) in step with
plan_checkpoints.

Every write of plan checkpoints calls `rebuild` for its year inside the same transaction, so the
segments never disagree with the checkpoints a reader sees. Storing them, rather than finding each
checkpoint's successor by a window at every query, saves a sort of all checkpoints per rule pass: a
tenth of a second per pass over 10^5 projects, and several passes make a page."""

from __future__ import annotations

import duckdb

from monitor.store.db import sql


def rebuild(con: duckdb.DuckDBPyConnection, year: int | None) -> None:
    """Build the segments of fiscal year `year` (None: every year) afresh from its checkpoints."""
    con.execute("DELETE FROM plan_segments WHERE $year::INTEGER IS NULL OR year = $year::INTEGER", {"year": year})
    con.execute(sql("plan_segments_fill"), {"year": year})
