"""The rules against an independent reference on generated fiscal years.

Hypothesis draws small years the seed does not hold: plans of one to six checkpoints that may stop
short of the budget, payments with refunds (on checkpoint days and 29 February too), indicators of
every operator and score group (成本指标 as a level-1 of the newer scheme included) with and
without weights and with zero targets, reports over several periods and batches with blanks and
likelihoods, department-wide indicators, entered year-end forecasts, and an as-of date (31
December among them), with the projects in two units under one department. Each year is written
to a database in one transaction, read through the rule macros the pages use (project_status_at,
quarterly_at, indicator_latest, scores_at, under every 单位 filter) and 通报's bulletin_units.sql,
compared with the plain Python below, which follows the README's statement of the rules and
nothing of the SQL, and rolled back. The seed-based tests pin the rules to worked examples; this
one looks for the cases between them."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reference_rules import attainment, planned_at, target_met

from monitor.rules.bulletin import previous_month_end, same_day_last_year
from monitor.rules.disbursement import threshold_params
from monitor.store import payment_months, plan_segments
from monitor.store.batches import insert_rows, new_batch
from monitor.store.db import connect, sql

YEAR = 2024  # a leap year: 29 February is a day of the plan like any other
START = dt.date(YEAR - 1, 12, 31)  # the plan is 0 at the end of 31 December before the year
YEAR_END = dt.date(YEAR, 12, 31)
DEPARTMENT, UNITS = "900000", ("900001", "900002")  # a 部门 with two 单位: the 单位 filter's scopes
PERIODS = [dt.date(YEAR, 3, 31), dt.date(YEAR, 6, 30), dt.date(YEAR, 9, 30), YEAR_END]
POINTS = {"产出指标": ("output", 50.0), "成本指标": ("output", 50.0), "效益指标": ("effect", 30.0), "满意度指标": ("satisfaction", 10.0)}
AT_RISK = ("有可能", "完全不可能")


@dataclass
class Report:
    period: dt.date
    value: float | None
    text: str | None
    likelihood: str | None


@dataclass
class Indicator:
    level1: str
    op: str
    target: float | None
    weight: float | None
    reports: list[Report]  # in batch order: a later one of the same period corrects an earlier


@dataclass
class Project:
    unit: str
    budget: int  # 元
    plan: list[tuple[dt.date, int]]  # checkpoints, cumulative 元
    payments: list[tuple[dt.date, int]]
    forecasts: list[tuple[dt.date, int]]  # entered year-end forecasts (date it is as of, 元), in entry order
    indicators: list[Indicator]


def day_of_year(n: int) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=n - 1)


days = st.integers(1, 366).map(day_of_year)
reports = st.builds(
    Report,
    st.sampled_from(PERIODS),
    st.one_of(
        st.none(), st.sampled_from([0.0, 1.0, 2.0, 9.5, 10.0, 95.0, 100.0]), st.floats(0, 200, allow_nan=False).map(lambda v: round(v, 2))
    ),
    st.sampled_from([None, None, "已完成"]),
    st.sampled_from([None, "确定能", *AT_RISK]),
)
indicators = st.builds(
    Indicator,
    st.sampled_from(list(POINTS)),
    st.sampled_from([">=", ">", "<=", "<", "=", "qual"]),
    st.sampled_from([0.0, 1.0, 2.0, 10.0, 95.0, 100.0]),
    st.sampled_from([None, None, 1.0, 2.0, 3.5]),
    st.lists(reports, max_size=3),
)


@st.composite
def projects(draw) -> Project:
    budget = draw(st.integers(1, 500)) * 1000
    checkpoint_days = sorted(draw(st.sets(days, min_size=1, max_size=6)))
    shares = sorted(draw(st.lists(st.integers(0, 100), min_size=len(checkpoint_days), max_size=len(checkpoint_days))))
    if draw(st.booleans()):
        shares[-1] = 100  # most plans end at the budget; some stop short of it
    plan = [(d, budget * s // 100) for d, s in zip(checkpoint_days, shares)]
    on_a_checkpoint = st.sampled_from(checkpoint_days)
    payment = st.tuples(st.one_of(days, on_a_checkpoint), st.integers(-budget // 4, budget // 2).filter(bool))
    return Project(
        draw(st.sampled_from(UNITS)),
        budget,
        plan,
        draw(st.lists(payment, max_size=8)),
        draw(st.lists(st.tuples(days, st.integers(0, 2 * budget)), max_size=2)),
        draw(st.lists(indicators, max_size=6)),
    )


years = st.tuples(st.lists(projects(), min_size=1, max_size=3), st.lists(indicators, max_size=2), st.one_of(days, st.just(YEAR_END)))


# --- the reference: the rules as the README states them ---------------------------------------


def disbursement(p: Project, day: dt.date, amber: float, red: float) -> dict:
    planned = planned_at(day, p.plan)
    actual = float(sum(a for d, a in p.payments if d <= day))
    entered = sorted((d, n, f) for n, (d, f) in enumerate(p.forecasts) if d <= day)  # the latest date, then the latest entry
    if entered:
        forecast = float(entered[-1][2])
    elif actual > p.budget:
        forecast = actual
    else:
        forecast = min(p.budget, actual + max(p.plan[-1][1] - planned, 0))
    return {"planned": planned, "actual": actual, "forecast": forecast, **judge(actual, planned, p.budget, forecast, amber, red)}


def judge(actual: float, planned: float, budget: float, forecast: float, amber: float, red: float) -> dict:
    """The status rule over a project's figures, or a unit's summed ones: status, reason, and whether
    the figures lie within a fen of a boundary (where the two sides' rounding of the plan, half away
    from zero in SQL and to the nearest binary float here, may fall either way)."""
    gap_pp = (actual - planned) / budget * 100
    if actual > budget:
        reason = "over_budget"
    elif gap_pp < -red:
        reason = "far_behind"
    elif actual <= 0 and planned > 0:
        reason = "not_started"
    elif gap_pp < -amber:
        reason = "behind"
    elif forecast > budget:
        reason = "forecast_over_budget"
    else:
        reason = "ahead" if actual > planned else "on_plan"
    status = {"over_budget": "red", "far_behind": "red", "not_started": "amber", "behind": "amber", "forecast_over_budget": "amber"}
    near = min(abs(gap_pp + amber), abs(gap_pp + red)) < 0.01 or abs(actual - planned) < 0.02 or 0 < planned < 0.02
    return {"status": status.get(reason, "green"), "reason": reason, "near": near}


def by_quarter(p: Project, day: dt.date) -> list[tuple[float, float | None]]:
    """Planned (the difference of planned cumulative at the quarter ends) and actual (payments of the
    quarter up to `day`; None for a quarter not begun) of each quarter."""
    found = []
    for begin, end in itertools.pairwise([START, *PERIODS]):  # the reporting periods are the quarter ends
        planned = planned_at(end, p.plan) - planned_at(begin, p.plan)
        started = begin + dt.timedelta(days=1) <= day
        found.append((planned, float(sum(a for d, a in p.payments if begin < d <= min(end, day))) if started else None))
    return found


def judged(i: Indicator, day: dt.date) -> dict:
    """Status, off-target flag and attainment (the share of the target reached, for the score) at `day`."""
    latest = None
    for r in i.reports:  # the latest period wins; within a period, the latest batch
        if r.period <= day and (latest is None or r.period >= latest.period):
            latest = r
    value = latest.value if latest else None
    if i.op == "qual" and latest and (latest.text is not None or value is not None):
        status, share = "定性待评", 1.0
    elif value is None:
        status, share = "未填报", 0.0
    elif target_met(i.op, value, i.target):
        status, share = "达标", 1.0
    else:
        status, share = "未达标", attainment(i.op, value, i.target)
    off = status == "未达标" or (latest is not None and latest.likelihood in AT_RISK)
    return {"status": status, "off_target": off, "attainment": share}


def score(p: Project, day: dt.date, figures: dict) -> float | None:
    """预算执行 10 points (actual / planned, within 0..1; full when nothing is planned yet) and the
    indicators' 90: each score group's points shared by weight over its indicators, a group without
    any counted indicator left out and the others scaled up to 90; before the year end (an estimate)
    the unreported ones are not counted, and nothing reported at all leaves no score."""
    estimate = day < YEAR_END
    execution = 10 * (max(0.0, min(1.0, figures["actual"] / figures["planned"])) if figures["planned"] > 0 else 1.0)
    groups: dict[str, tuple[float, list[tuple[float, float]]]] = {}
    for i in p.indicators:
        j = judged(i, day)
        if estimate and j["status"] == "未填报":
            continue
        group, points = POINTS[i.level1]
        groups.setdefault(group, (points, []))[1].append((j["attainment"], 1.0 if i.weight is None else i.weight))
    if not groups:
        return None if estimate else execution
    earned = sum(points * sum(a * w for a, w in shares) / sum(w for _, w in shares) for points, shares in groups.values())
    return execution + earned * 90 / sum(points for points, _ in groups.values())


# --- writing a drawn year ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("generated") / "rules.duckdb")
    insert_rows(
        con,
        "departments",
        ("dept_code", "name", "parent_code", "level"),
        [(DEPARTMENT, "生成部门", None, "部门"), *((u, f"生成单位{u}", DEPARTMENT, "单位") for u in UNITS)],
    )
    yield con
    con.close()


def write(con, drawn: list[Project], dept_wide: list[Indicator]) -> None:
    def insert(table: str, columns: str, rows: list[tuple]) -> None:
        insert_rows(con, table, columns.split(), rows)

    def batch(kind: str, name: str) -> int:
        return new_batch(con, kind, "generated", name, 1, "test")

    targets = batch("targets", "targets")
    codes = [f"P{n}" for n in range(len(drawn))]
    insert(
        "projects",
        "year dept_code project_code name budget fiscal_funds batch_id",
        [(YEAR, p.unit, code, f"项目{code}", p.budget, p.budget, targets) for code, p in zip(codes, drawn)],
    )
    insert(
        "plan_checkpoints",
        "year project_code checkpoint_date planned_cumulative",
        [(YEAR, code, d, v) for code, p in zip(codes, drawn) for d, v in p.plan],
    )
    insert(
        "indicators",
        "year project_code indicator_id seq level1 level2 level3 description target_text op target_value weight",
        [
            (YEAR, code, f"{code}-{k}", k, i.level1, "二级", f"指标{k}", "", "", i.op, i.target, i.weight)
            for code, p in zip(codes, drawn)
            for k, i in enumerate(p.indicators)
        ],
    )
    insert(
        "dept_indicators",
        "year dept_code indicator_id seq description target_text op target_value",
        [(YEAR, UNITS[k % 2], f"D-{k}", k, f"整体{k}", "", i.op, i.target) for k, i in enumerate(dept_wide)],
    )
    plan_segments.rebuild(con, YEAR)
    paid = batch("payments", "payments")
    payment_months.insert(
        con,
        ("year", "project_code", "paid_on", "amount", "batch_id"),
        [(YEAR, code, d, a, paid) for code, p in zip(codes, drawn) for d, a in p.payments],
        paid,
    )
    for code, p in zip(codes, drawn):
        for n, (d, f) in enumerate(p.forecasts):  # a batch each, in order
            insert("forecasts", "year project_code entered_on forecast batch_id", [(YEAR, code, d, f, batch("forecasts", f"{code}-{n}"))])
    reported = [(code, f"{code}-{k}", i) for code, p in zip(codes, drawn) for k, i in enumerate(p.indicators)]
    for project, iid, i in reported + [(None, f"D-{k}", i) for k, i in enumerate(dept_wide)]:
        for n, r in enumerate(i.reports):  # a batch each, in order
            insert(
                "indicator_actuals",
                "year project_code indicator_id period_end actual_value actual_text likelihood batch_id",
                [(YEAR, project, iid, r.period, r.value, r.text, r.likelihood, batch("indicator_actuals", f"{iid}-{n}"))],
            )


TOTAL = "coalesce(project_code, 'total')"  # the key of a rule's rows: the project, or 'total' for its total row


def rows(con, key: str, rule: str, day: dt.date, **params) -> dict:
    """The rows of table macro call `rule` by `key` (an expression of its columns)."""
    found = con.execute(f"SELECT {key} AS key, * FROM {rule}", {"year": YEAR, "day": day, **params}).df()
    return {r["key"]: r for r in found.to_dict("records")}


def close(a: float | None, b: float | None, tolerance: float = 1e-6) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or a != a) and (b is None or b != b)
    return math.isclose(float(a), float(b), rel_tol=tolerance, abs_tol=0.011)


# Found by this test: an unmet > 0 target reported as 0 had no share (0 / 0), and least() and
# greatest() skip a NULL, so it earned full credit: 100 points where 10 are due.
ZERO_TARGET_MISSED = (
    [
        Project(
            UNITS[0], 1000, [(day_of_year(1), 0)], [], [], [Indicator("产出指标", ">", 0.0, None, [Report(PERIODS[0], 0.0, None, None)])]
        )
    ],
    [],
    YEAR_END,
)


# derandomized: the same 120 years in every run, so a CI run fails only on a change (1,500 random ones passed when written)
@settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(years)
@example(ZERO_TARGET_MISSED)
def test_the_rules_agree_with_the_reference_on_generated_years(con, year):
    drawn, dept_wide, day = year
    limits = threshold_params()
    con.execute("BEGIN TRANSACTION")
    try:
        write(con, drawn, dept_wide)
        scopes = (None, DEPARTMENT, *UNITS)  # None first: its rows hold every project
        statuses = {u: rows(con, TOTAL, "project_status_at($year, $day, $unit, $amber_pp, $red_pp)", day, unit=u, **limits) for u in scopes}
        scores = {u: rows(con, TOTAL, "scores_at($year, $day, $unit)", day, unit=u) for u in scopes}
        latest = rows(con, "indicator_id", "indicator_latest($year, $day)", day)
        quarters = rows(con, "project_code || '-' || quarter", "quarterly_at($year, $day, NULL)", day)
        units = con.execute(
            sql("bulletin_units"), {"year": YEAR, "dept": None, "as_of": day, "prev_as_of": previous_month_end(day),
                                    "last_year_as_of": same_day_last_year(day), **limits},
        ).df()  # fmt: skip
    finally:
        con.execute("ROLLBACK")

    expected_scores = {}
    for n, p in enumerate(drawn):
        code, want = f"P{n}", disbursement(p, day, limits["amber_pp"], limits["red_pp"])
        got = statuses[None][code]
        for name, column in (("planned", "planned_cumulative"), ("actual", "actual_cumulative"), ("forecast", "forecast")):
            assert close(got[column], want[name]), (code, name, got[column], want[name], p, day)
        if not want["near"]:
            assert (got["status"], got["status_reason"]) == (want["status"], want["reason"]), (code, got["status_reason"], want, p, day)
        for q, (planned, actual) in enumerate(by_quarter(p, day), start=1):
            g = quarters[f"{code}-{q}"]
            assert close(g["planned"], planned) and close(g["actual"], actual), (
                code,
                q,
                g["planned"],
                planned,
                g["actual"],
                actual,
                p,
                day,
            )
        for k, i in enumerate(p.indicators):
            j, g = judged(i, day), latest[f"{code}-{k}"]
            assert (g["status"], bool(g["off_target"])) == (j["status"], j["off_target"]), (code, k, g["status"], j, i, day)
        expected_scores[code] = score(p, day, want)
        assert close(scores[None][code]["score"], expected_scores[code]), (code, scores[None][code]["score"], expected_scores[code], p, day)
        assert bool(scores[None][code]["estimate"]) == (day < YEAR_END)
    for k, i in enumerate(dept_wide):
        j, g = judged(i, day), latest[f"D-{k}"]
        assert (g["status"], bool(g["off_target"])) == (j["status"], j["off_target"]), ("dept", k, g["status"], j, i, day)

    check_bulletin(units, drawn, day, limits)
    for scope in scopes:  # the 单位 filter: all, the 部门 (both units below it), each unit
        check_department_row(scope, scores[scope].get("total"), statuses[scope].get("total"), drawn, dept_wide, expected_scores, day)


def check_department_row(scope, row, total, drawn: list[Project], dept_wide: list[Indicator], expected: dict, day: dt.date) -> None:
    """The department row of scores_at and the total row of project_status_at under the 单位 filter `scope`."""
    mine = {f"P{n}": p for n, p in enumerate(drawn) if scope in (None, DEPARTMENT, p.unit)}
    if not mine:
        assert row is None and total is None, (scope, row, total)
        return
    scored = {code: expected[code] for code in mine if expected[code] is not None}
    weighted = sum(s * mine[c].budget for c, s in scored.items()) / sum(mine[c].budget for c in scored) if scored else None
    assert close(row["score"], weighted), (scope, row["score"], weighted)
    assert close(row["mean_score"], sum(scored.values()) / len(scored) if scored else None), scope
    assert close(row["lowest_score"], min(scored.values()) if scored else None), scope
    wide = [i for k, i in enumerate(dept_wide) if scope in (None, DEPARTMENT, UNITS[k % 2])]
    every = [judged(i, day) for p in mine.values() for i in p.indicators] + [judged(i, day) for i in wide]
    assert (row["indicators"], row["off_target"], row["missing"]) == (
        len(every), sum(j["off_target"] for j in every), sum(j["status"] == "未填报" for j in every)
    ), scope  # fmt: skip
    assert close(total["budget"], sum(p.budget for p in mine.values())), scope
    assert close(total["actual_cumulative"], sum(a for p in mine.values() for d, a in p.payments if d <= day)), scope


def check_bulletin(table, drawn: list[Project], day: dt.date, limits: dict) -> None:
    """支出进度通报: each unit's summed figures, its 执行率 and rank (equal rates share one), its status by
    the rule over its sums, its red and amber projects, its rate at the previous month end; and the
    total row's counts of units by status."""
    found = {r["dept_code"]: r for r in table.to_dict("records") if isinstance(r["dept_code"], str)}
    figures = {u: [(p, disbursement(p, day, limits["amber_pp"], limits["red_pp"])) for p in drawn if p.unit == u] for u in UNITS}
    figures = {u: f for u, f in figures.items() if f}
    assert set(found) == set(figures)
    rates = {u: sum(f["actual"] for _, f in mine) / sum(p.budget for p, _ in mine) for u, mine in figures.items()}
    prev = previous_month_end(day)
    statuses, near = [], False
    for u, mine in figures.items():
        got, budget = found[u], sum(p.budget for p, _ in mine)
        planned, actual, forecast = (sum(f[k] for _, f in mine) for k in ("planned", "actual", "forecast"))
        assert close(got["budget"], budget) and close(got["actual"], actual) and close(got["planned"], planned), (u, got, mine)
        assert close(got["execution_rate"], rates[u]), u
        if not any(abs(rates[u] - r) < 1e-9 for v, r in rates.items() if v != u):  # a tie within rounding may rank either way
            assert got["rank"] == 1 + sum(r > rates[u] for r in rates.values()), (u, got["rank"], rates)
        assert any(f["near"] for _, f in mine) or (got["red_projects"], got["amber_projects"]) == (
            sum(f["status"] == "red" for _, f in mine), sum(f["status"] == "amber" for _, f in mine)
        ), u  # fmt: skip
        want = judge(actual, planned, budget, forecast, limits["amber_pp"], limits["red_pp"])
        if not want["near"]:
            assert (got["status"], got["status_reason"]) == (want["status"], want["reason"]), (u, got["status_reason"], want)
        statuses.append(want["status"])
        near = near or want["near"]
        prev_rate = sum(a for p, _ in mine for d, a in p.payments if d <= prev) / budget if prev.year == YEAR else None
        assert close(got["prev_rate"], prev_rate, 1e-9), (u, got["prev_rate"], prev_rate)
        assert got["last_year_rate"] is None or got["last_year_rate"] != got["last_year_rate"]  # no earlier year is held
    total = table[table["dept_code"].isna()].iloc[0]
    if not near:
        assert (total["red_units"], total["amber_units"], total["green_units"]) == tuple(
            statuses.count(s) for s in ("red", "amber", "green")
        )
