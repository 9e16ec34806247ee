"""The quarterly review: headline figures at the as-of date and at the previous quarter end.

Used by 总览 and by the exported review report, so both show the same numbers. Figures come
from one named query (queries/pages/overview_summary.sql);
`run` is any function that runs a named query with bound parameters and returns a DataFrame
(monitor.ui.data.query in the app, a connection-bound db.query_df in reports and tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitor.fmt import money, number, unit_word
from monitor.i18n import t
from monitor.rules.disbursement import reason_text, status_label, threshold_params
from monitor.rules.indicators import reporting_due, status_word
from monitor.rules.words import grade_word, likelihood_word, reason_word
from monitor.store.db import Run

SCORE_LABELS = {  # (one project's?, an estimate?) → the label of a score
    (False, False): "dept_score",
    (False, True): "dept_score_estimate",
    (True, False): "project_score",
    (True, True): "project_score_estimate",
}
MISSING_NAMED = 3  # 需要关注 names this many of a project's unreported indicators, and counts the rest
GRADES = {"优": "excellent", "良": "good", "中": "fair", "差": "poor"}  # grade → its column in queries/pages/overview_summary.sql


@dataclass(frozen=True)
class Score:
    """A department's self-evaluation score with what it hides (the department row of scores_at)."""

    value: float | None  # budget-weighted mean of the projects' scores; None before any indicator is reported
    grade: str | None
    estimate: bool  # 预估: before the year-end 终审
    reporting_rate: float | None  # 填报率
    mean: float | None  # the plain mean of the projects' scores
    grades: dict[str, int]  # projects per grade, 优 to 差
    lowest_project: str | None
    lowest_score: float | None
    project: bool = False  # one project's score rather than a department's

    @classmethod
    def of(cls, row: pd.Series) -> Score:
        return cls(
            value=_number(row["score"]),
            grade=row["grade"] if isinstance(row["grade"], str) else None,
            estimate=bool(row["estimate"]),
            reporting_rate=_number(row["reporting_rate"]),
            mean=_number(row["mean_score"]),
            grades={grade: int(row[f"grade_{name}"]) for grade, name in GRADES.items()},
            lowest_project=row["lowest_project"] if isinstance(row["lowest_project"], str) else None,
            lowest_score=_number(row["lowest_score"]),
        )

    @classmethod
    def of_project(cls, row: pd.Series) -> Score:
        """One project's score (a row of scores_at with a project_code)."""
        grade = row["grade"] if isinstance(row["grade"], str) else None
        return cls(_number(row["score"]), grade, bool(row["estimate"]), _number(row["reporting_rate"]), None, {}, None, None, project=True)

    def label(self, lang: str) -> str:
        """部门自评得分 (or 项目自评得分), marked 预估 while it is an estimate."""
        return t(SCORE_LABELS[self.project, self.estimate], lang)

    def shown(self, lang: str) -> str:
        """The score and grade, or why there is none."""
        if self.value is None:
            return t("score_none", lang)
        return f"{self.value:.1f} {grade_word(self.grade, lang)}"

    def details(self, lang: str) -> str:
        """What the one figure hides: 填报率, projects per grade, the lowest project and the plain mean."""
        parts = [t("score_none_why", lang)] if self.value is None else []
        if self.reporting_rate is not None:
            parts.append(t("score_reporting_rate", lang, rate=f"{self.reporting_rate:.0%}"))
        if self.grades:
            parts.append(" · ".join(f"{grade_word(g, lang)} {n}" for g, n in self.grades.items()))
        if self.lowest_project is not None:
            parts.append(t("score_lowest", lang, name=self.lowest_project, score=f"{self.lowest_score:.1f}"))
        if self.mean is not None:
            parts.append(t("score_mean", lang, score=f"{self.mean:.1f}"))
        return t("list_sep", lang).join(parts)


@dataclass(frozen=True)
class Headline:
    as_of: dt.date
    projects: int
    budget: float
    actual: float
    planned: float
    execution_rate: float
    time_progress: float
    gap_pp: float
    behind: int  # projects amber or red
    indicators: int
    off_target: int
    missing: int  # indicators not reported
    score: Score  # the department's self-evaluation score


def default_as_of(year: int, today: dt.date, latest: dt.date | None) -> tuple[dt.date, str]:
    """The as-of date when nobody chose one, and why: today when it lies in the fiscal year, else
    the last day with data, else the year's first or last day, whichever is nearer today."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if first <= today <= last:
        return today, "today"
    if latest is not None:
        return latest, "latest"
    return (first if today < first else last), "year_bound"


def quarter_ends(year: int) -> list[dt.date]:
    return [dt.date(year, 3, 31), dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31)]


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last quarter end strictly before the quarter holding `day` (2023-09-24 → 2023-06-30)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    return dt.date(day.year, first_month, 1) - dt.timedelta(days=1)


def headline(run: Run, year: int, dept: str | None, as_of: dt.date) -> Headline | None:
    """The 总览 figures for `dept` (None = all units) at the end of `as_of`; None without projects.

    One one-row query, so the cost does not grow with what would be pulled out of the database."""
    summary = run("overview_summary", year=year, dept=dept, as_of=as_of, **threshold_params()).iloc[0]
    if not summary["projects"]:
        return None
    return Headline(
        as_of=as_of,
        projects=int(summary["projects"]),
        budget=float(summary["budget"]),
        actual=float(summary["actual"]),
        planned=float(summary["planned"]),
        execution_rate=float(summary["execution_rate"]),
        time_progress=float(summary["time_progress"]),
        gap_pp=float(summary["gap_pp"]),
        behind=int(summary["behind"]),
        indicators=int(summary["indicators"]),
        off_target=int(summary["off_target"]),
        missing=int(summary["missing"]),
        score=Score.of(summary),
    )


def unit_name(run: Run, dept: str | None) -> str | None:
    """The name of unit, department or region `dept` as written; None for all units or an unknown code."""
    names = run("dept_name", dept=dept)["name"] if dept is not None else []
    return names.iloc[0] if len(names) else None


def chart_scope(run: Run, dept: str | None, lang: str) -> str:
    """What a chart of `dept`'s figures is titled by: its name, or 全部项目 for all units."""
    return unit_name(run, dept) or t("scope_all", lang)


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


@dataclass(frozen=True)
class Figure:
    """One headline figure as 总览 and the review report show it."""

    label: str
    value: str
    delta: str | None  # the change since the previous quarter end
    help: str | None  # its formula in one line
    detail: str | None = None  # what the one figure hides, in words


def review_figures(now: Headline, before: Headline, unit: str, lang: str) -> list[Figure]:
    """The six headline figures with their change since `before` (the previous quarter end). The
    status is judged against the plan; 序时进度 is named as a reference line beside it."""
    score = now.score
    score_delta = None
    if score.value is not None and before.score.value is not None:
        score_delta = f"{score.value - before.score.value:+.1f}"
    yardsticks = t("yardsticks", lang, plan=f"{now.gap_pp:+.1f}", time=f"{now.time_progress:.1%}")
    return [
        Figure(t("total_budget", lang, unit=unit_word(unit, lang)), money(now.budget, unit), None, None),
        Figure(
            t("actual_to_date", lang, unit=unit_word(unit, lang)),
            money(now.actual, unit),
            f"+{money(now.actual - before.actual, unit)}",
            None,
        ),
        Figure(
            t("execution_rate", lang),
            f"{now.execution_rate * 100:.2f}%",
            f"{(now.execution_rate - before.execution_rate) * 100:+.1f} pp",
            t("execution_rate_help", lang),
            yardsticks,
        ),
        Figure(
            t("projects_behind", lang),
            f"{now.behind:,} / {now.projects:,}",
            f"{now.behind - before.behind:+d}",
            t("projects_behind_help", lang),
        ),
        Figure(
            t("ind_off", lang),
            f"{now.off_target:,} / {now.indicators:,}",
            f"{now.off_target - before.off_target:+d}",
            t("ind_off_help", lang),
        ),
        Figure(score.label(lang), score.shown(lang), score_delta, t("dept_score_help", lang), score.details(lang)),
    ]


@dataclass(frozen=True)
class Attention:
    """One item of 需要关注, worded; data (names, targets, reasons) as written."""

    severity: str  # red | amber | grey: the colour of its badge
    badge: str  # the status in words
    project_code: str | None  # the project to open, None for a department-wide indicator
    scope: str  # the project's name, or 部门整体指标
    text: str  # what is wrong and why


def attention(run: Run, year: int, dept: str | None, as_of: dt.date, limit: int, lang: str) -> list[Attention]:
    """需要关注, in this order: projects 严重滞后 or 超预算 (then 滞后, 超预算风险), off-target indicators
    (未达标 before those only at risk), and indicators past their reporting date with no value,
    grouped per project; at most `limit` of each (one query: queries/pages/attention.sql)."""
    due = reporting_due(run, year, as_of)
    rows = run("attention", year=year, dept=dept, as_of=as_of, due=due, limit=limit, **threshold_params())
    items = []
    for p in rows[rows["kind"] == "project"].itertuples():
        over = (p.forecast if p.status_reason == "forecast_over_budget" else p.actual_cumulative) - p.budget
        items.append(
            Attention(
                p.status,
                status_label(p.status, p.status_reason, lang),
                p.project_code,
                p.name,
                reason_text(p.status_reason, p.gap_pp, over, lang),
            )
        )
    for i in rows[rows["kind"] == "indicator"].itertuples():
        unmet = i.status == "未达标"
        actual = _actual_text(i.latest_actual, i.actual_text, lang)
        why = t("list_sep", lang).join(
            x for x in (likelihood_word(i.likelihood, lang), reason_word(i.reason, lang), i.reason_detail) if isinstance(x, str) and x
        )
        text = f"{i.level3} — {t('target_vs_actual', lang, target=i.target_text, actual=actual)}" + (
            t("in_brackets", lang, text=why) if why else ""
        )
        project = i.project_code if isinstance(i.project_code, str) else None
        scope = i.name if project else t("dept_wide", lang)
        items.append(
            Attention("red" if unmet else "amber", status_word(i.status, lang) if unmet else t("ind_at_risk", lang), project, scope, text)
        )
    for m in rows[rows["kind"] == "missing"].itertuples():
        project = m.project_code if isinstance(m.project_code, str) else None
        names = list(m.names)
        shown = t("enum_sep", lang).join(names[:MISSING_NAMED]) + (t("and_more", lang, n=len(names)) if len(names) > MISSING_NAMED else "")
        text = t("missing_since", lang, n=int(m.missing), due=due.isoformat(), indicators=shown)
        items.append(Attention("grey", t("ind_missing", lang), project, m.name if project else t("dept_wide", lang), text))
    return items


def _actual_text(value: float | None, text: str | None, lang: str) -> str:
    if value is not None and not pd.isna(value):
        return number(value)
    return text if isinstance(text, str) else t("ind_missing", lang)
