"""The SQL box: only one SELECT gets through, and even a statement that got through could not
write, read files or run past its limits."""

from __future__ import annotations

from contextlib import closing

import duckdb
import pytest

from monitor.explore import sqlbox
from monitor.store import service
from monitor.store.undo import undo_batch


@pytest.fixture
def snapshot(demo_copy):
    con, version = service.reader(demo_copy)  # as the app reads: the published snapshot
    with closing(con):
        yield sqlbox.snapshot(con.cursor(), demo_copy, version)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "sql_empty"),
        ("SELECT 1; SELECT 2", "sql_one_statement"),
        ("SELECT 1; DROP TABLE projects", "sql_one_statement"),
        ("COPY projects TO '/tmp/out.csv'", "sql_select_only"),
        ("ATTACH '/tmp/other.duckdb' AS other", "sql_select_only"),
        ("INSTALL httpfs", "sql_select_only"),
        ("LOAD httpfs", "sql_select_only"),
        ("PRAGMA version", "sql_select_only"),
        ("SET enable_external_access = true", "sql_select_only"),
        ("CREATE TABLE x AS SELECT 1", "sql_select_only"),
        ("INSERT INTO projects SELECT * FROM projects", "sql_select_only"),
        ("UPDATE projects SET budget = 0", "sql_select_only"),
        ("DELETE FROM payments", "sql_select_only"),
        ("DROP TABLE projects", "sql_select_only"),
        ("ALTER TABLE projects ADD COLUMN x INT", "sql_select_only"),
        ("EXPORT DATABASE '/tmp/dump'", "sql_select_only"),
        ("CALL pragma_version()", "sql_select_only"),
        ("FROM projects", "sql_select_only"),
        ("SELECT * FROM read_csv('/etc/passwd')", "sql_function"),
        ("select * from READ_TEXT('/etc/hostname')", "sql_function"),
        ("WITH f AS (SELECT * FROM glob('/etc/*')) SELECT * FROM f", "sql_function"),
        ("SELECT (SELECT count(*) FROM read_parquet('x.parquet'))", "sql_function"),
        ("SELECT * FROM query('SELECT 1')", "sql_function"),
        ("SELECT getenv('HOME')", "sql_function"),
        ("SELECT 'unterminated", "sql_syntax"),
        ("SELECT 1 " + "x" * 20_000, "sql_too_long"),
    ],
)
def test_refused(text, key):
    with pytest.raises(sqlbox.Refused) as refused:
        sqlbox.check(text)
    assert refused.value.key == key


def test_a_select_gives_the_same_rows_as_the_database(snapshot, demo_db):
    text = "-- budgets\nWITH b AS (SELECT name, budget FROM projects) SELECT * FROM b ORDER BY budget DESC, name;"
    result = sqlbox.run(snapshot, text)
    with closing(duckdb.connect(str(demo_db), read_only=True)) as con:
        expected = con.execute("SELECT name, budget FROM projects ORDER BY budget DESC, name").fetchall()
    assert [(n, float(b)) for n, b in expected] == list(result.frame.itertuples(index=False, name=None))
    assert not result.truncated


def test_the_rule_macros_are_available(snapshot):
    result = sqlbox.run(snapshot, "SELECT count(*) AS n FROM indicator_latest(2023, DATE '2023-09-30')")
    assert result.frame["n"][0] == 35 + 7


def test_row_and_time_limits(snapshot):
    result = sqlbox.run(snapshot, "SELECT * FROM range(5000)", limit=100)
    assert len(result.frame) == 100 and result.truncated
    with pytest.raises(sqlbox.Refused) as refused:
        sqlbox.run(snapshot, "SELECT count(*) FROM range(1000000000000) a, range(100) b", seconds=1)
    assert refused.value.key == "sql_timeout"


def test_errors_are_reported_not_raised(snapshot):
    with pytest.raises(sqlbox.Refused) as refused:
        sqlbox.run(snapshot, "SELECT * FROM no_such_table")
    assert refused.value.key == "sql_error" and "no_such_table" in refused.value.detail


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "COPY projects TO '{tmp}/out.csv'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "INSERT INTO projects SELECT * FROM projects",
        "SET enable_external_access = true",
        "INSTALL httpfs",
    ],
)
def test_the_connection_itself_refuses_files_and_writes(snapshot, tmp_path, statement):
    """Layer two on its own: statements that skip `check` still cannot touch files or data."""
    folder = tmp_path / "out"
    folder.mkdir()
    with closing(sqlbox.locked_down(snapshot)) as con:
        with pytest.raises(duckdb.Error):
            con.execute(statement.format(tmp=folder))
        assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 5
    assert list(folder.iterdir()) == []


def test_snapshot_is_made_once_per_version_and_leaves_the_database_writable(demo_copy):
    con, version = service.reader(demo_copy)
    first = sqlbox.snapshot(con.cursor(), demo_copy, version)
    assert sqlbox.snapshot(con.cursor(), demo_copy, version) == first
    with service.writing(demo_copy) as writer:  # a new version: the next snapshot sees it, the old one is removed
        undo_batch(writer, writer.execute("SELECT min(batch_id) FROM import_batches WHERE kind = 'payments'").fetchone()[0], "test")
    con, version = service.reader(demo_copy)
    second = sqlbox.snapshot(con.cursor(), demo_copy, version)
    assert not first.exists()
    assert sqlbox.run(second, "SELECT count(*) AS n FROM payments").frame["n"][0] == 0


def test_password_hashes_never_reach_the_sql_box(demo_copy):
    from monitor import auth

    with service.writing(demo_copy) as con:
        auth.add_user(con, "admin1", "admin", "a-long-enough-password")
    reader, version = service.reader(demo_copy)
    path = sqlbox.snapshot(reader.cursor(), demo_copy, version)
    with pytest.raises(sqlbox.Refused) as refused:
        sqlbox.run(path, "SELECT password_hash FROM users")
    assert refused.value.key == "sql_error" and "users" in refused.value.detail
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
