"""即席查询's builder: each subject, filtered and grouped, against SQL written here on the raw
tables; hostile input is refused or inert."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from decimal import Decimal

import pytest

from monitor.explore.builder import MAX_TEXT, SUBJECTS, Condition, ExploreError, Query, build, run
from monitor.store.db import connect

AS_OF = dt.date(2023, 9, 30)
CONTEXT = {"year": 2023, "dept": None, "as_of": AS_OF, "last_year_as_of": dt.date(2022, 9, 30), "amber_pp": 5.0, "red_pp": 15.0}
RESEARCH, SCIENCE = "13052923P00584011183Y", "13052923P00584011181P"


@pytest.fixture(scope="module")
def con(demo_db):
    with closing(connect(demo_db, read_only=True)) as c:
        yield c


def rows(con, sql: str, **params) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def test_projects_over_50_wan_below_time_progress(con):
    q = Query("projects", (Condition("budget", "min", Decimal(500000)), Condition("below_time_progress", "is", True)))
    found = sorted(run(con, q, CONTEXT)["project_code"])
    elapsed = (AS_OF - dt.date(2023, 1, 1)).days + 1
    expected = rows(
        con,
        """SELECT p.project_code FROM projects p
           LEFT JOIN (SELECT project_code, sum(amount) AS paid FROM payments WHERE paid_on <= $d GROUP BY 1) a USING (project_code)
           WHERE p.budget >= 500000 AND coalesce(a.paid, 0) / p.budget < $elapsed / 365.0 ORDER BY 1""",
        d=AS_OF,
        elapsed=elapsed,
    )
    assert found == [r[0] for r in expected] == [SCIENCE]


def test_projects_grouped_by_unit_with_total_execution_rate(con):
    q = Query("projects", (Condition("project_code", "in", (RESEARCH, SCIENCE)),), ("dept_code",), "rate:execution")
    result = run(con, q, CONTEXT)
    [(paid, budget)] = rows(
        con,
        """SELECT (SELECT sum(amount) FROM payments WHERE paid_on <= $d AND project_code IN ($a, $b)),
                  (SELECT sum(budget) FROM projects WHERE project_code IN ($a, $b))""",
        d=AS_OF,
        a=RESEARCH,
        b=SCIENCE,
    )
    assert list(result["dept_code"]) == ["731001"]
    assert result["value"][0] == pytest.approx(float(paid / budget))


def test_quarters_actual_by_quarter_for_two_projects(con):
    q = Query("quarters", (Condition("project_code", "in", (RESEARCH, SCIENCE)),), ("quarter",), "sum:actual")
    result = run(con, q, CONTEXT).dropna()
    expected = rows(
        con,
        """SELECT quarter(paid_on), sum(amount) FROM payments
           WHERE paid_on <= $d AND project_code IN ($a, $b) GROUP BY 1 ORDER BY 1""",
        d=AS_OF,
        a=RESEARCH,
        b=SCIENCE,
    )
    assert [(int(q), round(v, 2)) for q, v in zip(result["quarter"], result["value"])] == [(q, float(v)) for q, v in expected]


def test_indicators_satisfaction_reported_in_q3_below_a_bound(con):
    q = Query(
        "indicators",
        (
            Condition("level1", "in", ("满意度指标",)),
            Condition("period_quarter", "in", (3,)),
            Condition("actual_value", "max", 99.0),
        ),
    )
    found = sorted(run(con, q, CONTEXT)["indicator_id"])
    expected = rows(
        con,
        """WITH latest AS (
               SELECT indicator_id, arg_max(actual_value, (period_end, batch_id)) AS v, max(period_end) AS period
               FROM indicator_actuals WHERE period_end <= $d GROUP BY 1)
           SELECT i.indicator_id FROM indicators i JOIN latest l USING (indicator_id)
           WHERE i.level1 = '满意度指标' AND l.period BETWEEN DATE '2023-07-01' AND DATE '2023-09-30' AND l.v <= 99
           ORDER BY 1""",
        d=AS_OF,
    )
    assert found == [r[0] for r in expected] and found


def test_indicators_counted_by_level1_include_department_wide(con):
    result = run(con, Query("indicators", groups=("level1",)), CONTEXT)
    expected = dict(rows(con, "SELECT level1, count(*) FROM indicators GROUP BY 1"))
    expected["部门整体指标"] = rows(con, "SELECT count(*) FROM dept_indicators")[0][0]
    assert dict(zip(result["level1"], result["value"])) == expected


def test_payments_in_june_by_fund_source(con):
    q = Query("payments", (Condition("month", "in", (6,)),), ("fund_source",), "sum:amount")
    result = run(con, q, CONTEXT)
    expected = rows(con, "SELECT fund_source, sum(amount) FROM payments WHERE month(paid_on) = 6 GROUP BY 1 ORDER BY 1")
    assert [(s, round(v, 2)) for s, v in zip(result["fund_source"], result["value"])] == [(s, float(v)) for s, v in expected]


def test_payments_name_search_date_and_amount_range_two_groups(con):
    q = Query(
        "payments",
        (
            Condition("name", "contains", "科普"),
            Condition("paid_on", "min", dt.date(2023, 4, 1)),
            Condition("paid_on", "max", dt.date(2023, 8, 31)),
            Condition("amount", "min", Decimal(1000)),
        ),
        ("name", "quarter"),
        "count",
    )
    result = run(con, q, CONTEXT)
    expected = rows(
        con,
        """SELECT p.name, quarter(pay.paid_on), count(*) FROM payments pay JOIN projects p USING (year, project_code)
           WHERE strpos(p.name, '科普') > 0 AND pay.paid_on BETWEEN DATE '2023-04-01' AND DATE '2023-08-31' AND pay.amount >= 1000
           GROUP BY 1, 2 ORDER BY 1, 2""",
    )
    assert list(result.itertuples(index=False, name=None)) == expected and len(expected) > 1


def test_rows_without_grouping_respect_the_unit_filter(con):
    assert len(run(con, Query("payments"), CONTEXT)) == rows(con, "SELECT count(*) FROM payments WHERE paid_on <= $d", d=AS_OF)[0][0]
    assert run(con, Query("payments"), CONTEXT | {"dept": "no-such-unit"}).empty


def test_every_measure_and_groupable_field_runs(con):
    for name, subject in SUBJECTS.items():
        for measure in subject.measures():
            for group in subject.groupable():
                run(con, Query(name, groups=(group,), measure=measure), CONTEXT)


@pytest.mark.parametrize(
    "q",
    [
        Query("projects; DROP TABLE projects"),
        Query("projects", (Condition('name" FROM projects; --', "contains", "x"),)),
        Query("projects", (Condition("budget", "contains", "1"),)),  # an op that does not fit the field
        Query("projects", groups=("budget",)),  # not groupable
        Query("projects", groups=("name", "status", "dept_code")),
        Query("projects", groups=("name",), measure="sum(budget)); DROP TABLE projects; --"),
        Query("projects", (Condition("name", "contains", "x" * (MAX_TEXT + 1)),)),
    ],
)
def test_names_outside_the_whitelist_are_refused(q):
    with pytest.raises(ExploreError):
        build(q, CONTEXT)


@pytest.mark.parametrize(
    "value", ["'; DROP TABLE projects; --", "' OR '1'='1", "\"; COPY projects TO '/tmp/x.csv'; --", "read_csv('/etc/passwd')", "%", "_"]
)
def test_hostile_values_are_bound_and_inert(con, value):
    assert run(con, Query("projects", (Condition("name", "contains", value),)), CONTEXT).empty
    assert run(con, Query("projects", (Condition("project_code", "in", (value,)),)), CONTEXT).empty
    assert rows(con, "SELECT count(*) FROM projects")[0][0] == 5


def test_values_appear_only_as_placeholders():
    q = Query("payments", (Condition("payee", "contains", "x'y"), Condition("month", "in", (6, 7))), ("fund_source",), "sum:amount")
    sql, params = build(q, CONTEXT)
    assert "x'y" not in sql and params["p0"] == "x'y" and params["p1"] == [6, 7]
