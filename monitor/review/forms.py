"""The 项目支出绩效目标执行监控表 of each project, as the workbook and the report both lay it out:
budget and execution by source of funds, the year's goals, and every indicator with its target,
the value reached at its period, the judgements and the corrective action.

Built only from the frames a monitoring round's snapshot also holds (project_status, project_funds,
indicator_status, project_goals), so a frozen round prints the same form. Codes are worded in the
reader's language; data stays as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from monitor.fmt import number, shown_text
from monitor.i18n import t
from monitor.rules.disbursement import reason_text, status_label, threshold_params
from monitor.rules.indicators import NO_FILTERS
from monitor.rules.words import level_word, likelihood_word, reason_word
from monitor.store.db import Run

FORECAST_NOTE_KEYS = {"确定能": "forecast_note_sure", "有可能": "forecast_note_maybe", "完全不可能": "forecast_note_impossible"}


@dataclass(frozen=True)
class FundLine:
    label: str  # 年度资金总额, 其中：财政资金, 其他资金
    budget: Decimal
    actual: Decimal
    forecast: float | None  # 全年预计执行数 (the project's, on the total line only)

    @property
    def rate(self) -> float | None:
        return float(self.actual) / float(self.budget) if self.budget else None

    @property
    def forecast_rate(self) -> float | None:
        return self.forecast / float(self.budget) if self.forecast is not None and self.budget else None


@dataclass(frozen=True)
class IndicatorLine:
    level1: str
    level2: str
    level3: str
    target: str
    actual: str  # the value reached with its unit; 未填报 when none; its period appended when older than the form's
    forecast_text: str  # 全年预计完成情况
    reason: str
    likelihood: str
    detail: str  # 原因说明
    action: str  # 纠偏（整改）措施
    off_target: bool
    indicator_id: str = ""
    reported: dt.date | None = None  # the period of the value shown
    entered: str = ""  # that value as a person types it (a bare number in the indicator's unit, or the text)
    written: dict[str, str] | None = None  # what staff wrote with it: forecast_text, reason, likelihood, reason_detail


@dataclass(frozen=True)
class ProjectForm:
    code: str
    name: str
    supervisor: str
    unit_code: str
    unit_name: str
    status: str  # green / amber / red
    status_text: str  # 滞后：落后计划 6.0 个百分点
    funds: list[FundLine]
    goals: list[str]
    period: dt.date | None  # the latest period any of its indicators reports on
    indicators: list[IndicatorLine]
    forecast_entered: dict[str, object] | None = None  # 全年预计执行数 staff entered (forecast in 元, reason, reason_detail)


def project_forms(run: Run, year: int, dept: str | None, as_of: dt.date, lang: str) -> list[ProjectForm]:
    """One form per project of `dept` (None = all units) at the end of `as_of`, largest budget first."""
    status = run("project_status", year=year, dept=dept, as_of=as_of, limit=None, **threshold_params())
    status = status[status["project_code"].notna()].set_index("project_code", drop=False)
    funds = run("project_funds", year=year, dept=dept, as_of=as_of)
    indicators = run("indicator_status", year=year, dept=dept, as_of=as_of, **NO_FILTERS)
    forms = []
    for f in funds.itertuples():
        s = status.loc[f.project_code]
        reason = reason_text(s["status_reason"], s["gap_pp"], s["actual_cumulative"] - s["budget"], lang)
        mine = indicators[indicators["project_code"] == f.project_code].sort_values("seq")
        periods = [pd.Timestamp(p).date() for p in mine["period_end"] if pd.notna(p)]
        period = max(periods, default=None)
        forms.append(
            ProjectForm(
                code=f.project_code,
                name=f.name,
                supervisor=f.supervisor_name,
                unit_code=f.dept_code,
                unit_name=f.dept_name,
                status=s["status"],
                status_text=t("form_status_text", lang, status=status_label(s["status"], s["status_reason"], lang), reason=reason),
                funds=[
                    FundLine(t("fund_total", lang), f.budget, f.actual, float(s["forecast"])),
                    FundLine(t("fund_fiscal", lang), f.fiscal_funds, f.fiscal_actual, None),
                    FundLine(t("fund_other", lang), f.other_funds, f.other_actual, None),
                ],
                goals=[g.goal for g in run("project_goals", year=year, project=f.project_code).itertuples()],
                period=period,
                indicators=[_line(i, period, lang) for i in mine.itertuples()],
                forecast_entered=_entered_forecast(s),
            )
        )
    return forms


def _line(i, period: dt.date | None, lang: str) -> IndicatorLine:
    if pd.notna(i.latest_actual):
        shown, entered = number(i.latest_actual) + shown_text(i.unit), f"{float(i.latest_actual):.6f}".rstrip("0").rstrip(".")
    else:
        shown = entered = shown_text(i.actual_text)
    actual = shown or t("ind_missing", lang)
    reported = pd.Timestamp(i.period_end).date() if pd.notna(i.period_end) else None
    if reported is not None and reported != period:  # an older value says when it was reported
        actual += t("in_brackets", lang, text=reported.isoformat())
    return IndicatorLine(
        level1=level_word(i.level1, lang),
        level2=level_word(i.level2, lang),
        level3=i.level3,
        target=i.target_text,
        actual=actual,
        forecast_text=_forecast_text(i, lang),
        reason=reason_word(i.reason, lang),
        likelihood=likelihood_word(i.likelihood, lang),
        detail=shown_text(i.reason_detail),
        action=shown_text(i.corrective_action),
        off_target=bool(i.off_target),
        indicator_id=i.indicator_id,
        reported=reported,
        entered=entered,
        written={f: shown_text(getattr(i, f, None)) for f in ("forecast_text", "reason", "likelihood", "reason_detail")},
    )


def _entered_forecast(status: pd.Series) -> dict[str, object] | None:
    """The 全年预计执行数 staff entered (the latest up to the form's date), when there is one."""
    if "forecast_entered" not in status or pd.isna(status["forecast_entered"]) or not status["forecast_entered"]:
        return None
    return {
        "forecast": status["forecast"],  # the entered one when there is one (disbursement_at)
        "reason": shown_text(status.get("forecast_reason")),
        "reason_detail": shown_text(status.get("forecast_reason_detail")),
    }


def _forecast_text(indicator, lang: str) -> str:
    """全年预计完成情况: what staff wrote in a monitoring round's snapshot, else worded from 完成目标可能性."""
    written = getattr(indicator, "forecast_text", None)
    if isinstance(written, str) and written:
        return written
    key = FORECAST_NOTE_KEYS.get(indicator.likelihood)
    return t(key, lang) if key else ""


def scope_name(forms: list[ProjectForm], dept: str | None, lang: str) -> str:
    """The 单位名称 of a form's header: the unit asked for, or all units."""
    if dept is None:
        return t("all_depts", lang)
    return next((f.unit_name for f in forms if f.unit_code == dept), dept)


def actual_heading(period: dt.date | None, lang: str) -> str:
    """实际完成值 headed with the period its values belong to (older ones carry their own date)."""
    return t("form_actual_at", lang, period=period.isoformat()) if period else t("col_latest", lang)
