"""Planned cumulative disbursement: the interpolation rule against hand-computed values. Every segment counts
days the same way, the first one too: the plan is 0 at the end of 31 December of the previous year."""

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
        ("2023-01-01", 217500 * 1 / 90),  # the end of 1 January: one of the quarter's 90 days
        ("2023-02-15", 217500 * 46 / 90),  # 46 of the 90 days from the end of 31 Dec to the end of 31 Mar: 111,166.67
        ("2023-03-31", 217500),
        ("2023-05-17", 217500 + 212500 * 47 / 91),  # the second segment counts days the same way
        ("2023-06-30", 430000),
        ("2023-09-30", 430000 + 222500 * 92 / 123),  # 9月底 is interpolated between 6月底 and 10月底
        ("2023-12-31", 870000),
        ("2024-03-01", 870000),  # flat after the last checkpoint
    ],
)
def test_planned_cumulative(planned, day, expected):
    assert planned(day) == Decimal(str(round(expected, 2)))
