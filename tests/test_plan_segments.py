"""plan_segments (each project's plan between checkpoints, stored) stays equal to the segments
computed here from plan_checkpoints, through the demo build, the scale generator, a targets
import replacing a department's year, and the opening of a database from before the table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from monitor.demo.build import DEMO_DIR
from monitor.ingest.targets import commit, preview
from monitor.store.db import connect

DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"


def stored(con) -> list[tuple]:
    return con.execute("SELECT year, project_code, d0, v0, d1, v1 FROM plan_segments ORDER BY year, project_code, d0").fetchall()


def recomputed(con) -> list[tuple]:
    """Each project's checkpoints in date order after (31 December of the year before, 0), each to the next."""
    points: dict[tuple, list] = {
        key: [(dt.date(key[0] - 1, 12, 31), Decimal("0.00"))] for key in con.execute("SELECT year, project_code FROM projects").fetchall()
    }
    for year, code, day, value in con.execute(
        "SELECT year, project_code, checkpoint_date, planned_cumulative FROM plan_checkpoints"
    ).fetchall():
        points[(year, code)].append((day, value))
    segments = []
    for (year, code), line in sorted(points.items()):
        line.sort()
        segments += [(year, code, d0, v0, *after) for (d0, v0), after in zip(line, [*line[1:], (None, None)])]
    return segments


def test_the_demo_build_and_the_generator_fill_it(demo_db, small_county):
    for path in (demo_db, small_county):
        with connect(path, read_only=True) as con:
            segments = stored(con)
            assert segments == recomputed(con)
            assert (
                len(segments)
                == con.execute("SELECT count(*) FROM plan_checkpoints").fetchone()[0]
                + con.execute("SELECT count(*) FROM projects").fetchone()[0]
            )


def test_a_targets_import_rebuilds_its_year(tmp_path):
    con = connect(tmp_path / "m.duckdb")
    try:
        commit(con, preview(DEMO_DIR, "demo", None), "tester")
        demo_year = [s for s in stored(con) if s[0] == 2023]
        for year in (2024, 2024, 2025):  # the same department's year twice: replaced, not doubled
            commit(con, preview(DOCUMENTS / "county_a.txt", "a.txt", year), "tester")
            assert stored(con) == recomputed(con)
        assert [s for s in stored(con) if s[0] == 2023] == demo_year
        assert {s[0] for s in stored(con)} == {2023, 2024, 2025}
    finally:
        con.close()


def test_a_database_without_it_gets_it_filled_on_open(demo_copy):
    con = connect(demo_copy)
    before = stored(con)
    con.execute("DELETE FROM plan_segments")  # as a database from before the table
    con.close()
    con = connect(demo_copy)
    assert stored(con) == before == recomputed(con)
    con.close()


@pytest.mark.parametrize("day", ["2023-01-01", "2023-02-15", "2023-03-31", "2023-04-01", "2023-12-31", "2024-02-01"])
def test_planned_cumulative_reads_the_segment_of_the_day(demo_db, day):
    """disbursement_at reads the plan through the stored segments: linear between checkpoints by calendar day."""
    as_of = dt.date.fromisoformat(day)
    with connect(demo_db, read_only=True) as con:
        planned = dict(con.execute("SELECT project_code, planned_cumulative FROM disbursement_at(2023, ?)", [as_of]).fetchall())
        for year, code, d0, v0, d1, v1 in recomputed(con):
            if year == 2023 and d0 <= as_of and (d1 is None or as_of < d1):
                expected = v0 if d1 is None else v0 + (v1 - v0) * (as_of - d0).days / (d1 - d0).days
                assert planned[code] == round(Decimal(expected), 2), code
