"""Planned cumulative disbursement: the interpolation rule against hand-computed values."""

from decimal import Decimal

import pytest

from monitor.store.db import connect, query_rows

KEPU = "13052923P00584011181P"  # 科普专项经费: 217500 / 430000 / 652500 / 870000 at 3-31, 6-30, 10-31, 12-31


@pytest.fixture(scope="module")
def planned(demo_db):
    con = connect(demo_db, read_only=True)
    yield lambda day: dict(query_rows(con, "planned_cumulative", year=2023, as_of=day))[KEPU]
    con.close()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2022-12-31", 0),  # before the year
        ("2023-01-01", 0),  # 0 on 1 January
        ("2023-02-15", 217500 * 45 / 89),  # 45 of the 89 days from 1 Jan to 31 Mar
        ("2023-03-31", 217500),
        ("2023-06-30", 430000),
        ("2023-09-30", 430000 + 222500 * 92 / 123),  # 9月底 is interpolated between 6月底 and 10月底
        ("2023-12-31", 870000),
        ("2024-03-01", 870000),  # flat after the last checkpoint
    ],
)
def test_planned_cumulative(planned, day, expected):
    assert planned(day) == Decimal(str(round(expected, 2)))
