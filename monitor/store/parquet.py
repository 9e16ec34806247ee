"""Beyond one machine: every table as Hive-partitioned Parquet, and the same named queries and rule
macros read over such a folder.

`export(con, folder)` writes `<folder>/<table>/year=<y>/region=<r>/*.parquet` for the tables of a
fiscal year (the region 财政区划 of the row's unit; `none` where a row has none, such as department-
wide rows without a unit) and `<folder>/<table>/data.parquet` for the others; the password hashes are
never exported. `open_folder(folder)` gives a read-only connection in which every exported table is a
view over its files, with the rule macros, so every page runs unchanged (MONITOR_SOURCE=parquet:DIR).
A national roll-up points any engine that reads Hive-partitioned Parquet (DuckDB, Spark, Trino) at the
folders of many provinces; the year and region partitions let it read only what a question needs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from monitor.settings import settings
from monitor.store.db import rules_sql

NOT_EXPORTED = ("users",)  # password hashes stay in the database
# How a table's rows find their region: through their unit, or their project's unit.
REGION = {
    "dept_code": "(SELECT d.region_code FROM departments d WHERE d.dept_code = t.dept_code)",
    "project_code": "(SELECT d.region_code FROM projects p JOIN departments d USING (dept_code)"
    " WHERE p.year = t.year AND p.project_code = t.project_code)",
}


def export(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Write every table of `con` under `folder` (replacing what was there); rows per table."""
    if _checked(folder).exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = {}
    for table, columns in _tables(con).items():
        if table in NOT_EXPORTED:
            continue
        target = folder / table
        rows = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # names from the catalog
        source = f'SELECT * FROM "{table}"'
        partition = ""
        if "year" in columns:
            link = next((REGION[c] for c in ("dept_code", "project_code") if c in columns), "NULL")
            source = f"SELECT t.*, coalesce({link}, 'none') AS region FROM \"{table}\" t"
            partition = ", PARTITION_BY (year, region), WRITE_PARTITION_COLUMNS"
        if rows and partition:
            con.execute(f"COPY ({source}) TO '{target}' (FORMAT parquet{partition})")
        else:  # one file; without rows it still keeps the table and its columns
            target.mkdir()
            con.execute(f"COPY ({source}) TO '{target / 'data.parquet'}' (FORMAT parquet)")
        written[table] = rows
    return written


def open_folder(folder: Path) -> duckdb.DuckDBPyConnection:
    """A read-only view of an exported folder with the rule macros, as monitor.store.db.open_snapshots
    gives of a database: each table a view over its Parquet files, in the columns and types of the
    database (the partition columns are also written in the files, so they keep their types)."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{settings().memory_limit}'")
    for table_dir in sorted(p for p in _checked(folder).iterdir() if p.is_dir()):
        files = f"read_parquet('{table_dir / '**' / '*.parquet'}', hive_partitioning = false)"
        partitioned = "region" in {c for (c, *_) in con.execute(f"DESCRIBE SELECT * FROM {files}").fetchall()}
        columns = "* EXCLUDE (region)" if partitioned else "*"  # region: the partition key only
        con.execute(f'CREATE VIEW "{table_dir.name}" AS SELECT {columns} FROM {files}')
    con.execute(rules_sql().replace("CREATE OR REPLACE TEMP MACRO", "CREATE OR REPLACE MACRO"))
    return con


def _checked(folder: Path) -> Path:
    """A folder whose path can stand in our SQL text (DuckDB's COPY and views take no bound paths)."""
    if "'" in str(folder):
        raise ValueError(f"a folder without a quote in its path, not {folder}")
    return folder


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns()"
        " WHERE database_name = current_database() AND schema_name = 'main' GROUP BY table_name ORDER BY table_name"
    ).fetchall()
    return dict(rows)
