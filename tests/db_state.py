"""The content of a database as one comparable value, to show that a refused or interrupted
write left it exactly as it was (or exactly as a completed write leaves it)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import duckdb

Fingerprint = dict[str, tuple[int, int]]  # table → (rows, content checksum)

# When a write happened differs between two runs of the same import; everything else must match.
VOLATILE_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE")


def fingerprint(source: duckdb.DuckDBPyConnection | Path) -> Fingerprint:
    """Every table's row count and an order-independent checksum of its rows (the sum of the
    rows' hashes), leaving out columns that record the time of a write."""
    if isinstance(source, Path):
        # The default configuration, so that it shares the instance when this process already has the file open.
        with closing(duckdb.connect(str(source))) as con:
            return fingerprint(con)
    tables = source.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()
    found = {}
    for (table,) in tables:
        columns = [
            name
            for name, kind in source.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if kind not in VOLATILE_TYPES
        ]
        quoted = ", ".join(f'"{c}"' for c in columns)  # names from the catalog, not from input
        rows, checksum = source.execute(f'SELECT count(*), coalesce(sum(hash({quoted})::HUGEINT), 0) FROM "{table}"').fetchone()
        found[table] = (rows, int(checksum))
    return found
