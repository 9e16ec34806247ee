"""Indicator status and self-evaluation scores: the figures of 绩效指标 and `monitor status`.

The rules are SQL (indicator_latest, target_met, target_gap, attainment and grade in
queries/rules/indicators.sql and scores.sql; queries/pages/indicator_status.sql, project_scores.sql); this module
shapes them for JSON and labels them for the UI.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from monitor.i18n import t
from monitor.rules.words import likelihood_word, reason_word
from monitor.settings import settings
from monitor.store.db import Run, query_df

STATUS_KEYS = {"达标": "ind_met", "未达标": "ind_unmet", "未填报": "ind_missing", "定性待评": "ind_qualitative"}
STATUS_BACKGROUND = {"达标": "#d7f0df", "未达标": "#f8cfca", "未填报": "#ececec", "定性待评": "#dfe8f5"}
NO_FILTERS = {"project": None, "level1": None, "status": None, "off_only": False, "limit": None}
SCORE_PARTS = ("execution_points", "output_points", "effect_points", "satisfaction_points")


def reporting_due(run: Run, year: int, as_of: dt.date) -> dt.date | None:
    """The latest reporting date of `year` on or before `as_of` (settings' reporting_dates and the
    period ends of the year's monitoring rounds), or None while none has passed."""
    rounds = [pd.Timestamp(d).date() for d in run("round_period_ends", year=year)["period_end"]]
    passed = [d for d in [*settings().reporting.dates(year), *rounds] if d <= as_of]
    return max(passed, default=None)


# The fields of an indicator actual that a change record names (queries/pages/actual_changes.sql).
CHANGE_FIELDS = {
    "actual": "col_latest",
    "likelihood": "col_likelihood",
    "reason": "col_reason_cat",
    "reason_detail": "col_reason_detail",
    "corrective_action": "col_action",
}


def change_text(field: str, old: str | None, new: str | None, lang: str = "zh") -> str:
    """One changed cell in words: 实际完成值 70 → 96 (an empty value shown as such; a category in words)."""
    words = {"likelihood": likelihood_word, "reason": reason_word}.get(field, lambda v, _: v)
    empty = t("empty_value", lang)
    before, after = (words(v, lang) if isinstance(v, str) else empty for v in (old, new))
    return f"{t(CHANGE_FIELDS[field], lang)} {before} → {after}"


def status_word(status: str, lang: str = "zh") -> str:
    return t(STATUS_KEYS[status], lang)


def indicator_report(con: duckdb.DuckDBPyConnection, year: int, as_of: dt.date, dept: str | None = None) -> dict[str, Any]:
    """The `indicators` and `scores` parts of `monitor status --json`."""
    rows = query_df(con, "indicator_status", year=year, dept=dept, as_of=as_of, **NO_FILTERS)
    scores = query_df(con, "project_scores", year=year, dept=dept, as_of=as_of)
    return {
        "indicators": [
            {
                "project_code": _text(r.project_code),
                "indicator_id": r.indicator_id,
                "level1": r.level1,
                "level2": r.level2,
                "level3": r.level3,
                "target_text": r.target_text,
                "op": r.op,
                "target_value": _number(r.target_value),
                "unit": _text(r.unit),
                "latest_actual": _number(r.latest_actual) if _number(r.latest_actual) is not None else _text(r.actual_text),
                "period_end": None if pd.isna(r.period_end) else pd.Timestamp(r.period_end).date().isoformat(),
                "status": r.status,
                "off_target": bool(r.off_target),
                "gap": _number(r.gap),
                "likelihood": _text(r.likelihood),
                "reason": _text(r.reason),
                "reason_detail": _text(r.reason_detail),
                "forecast_text": _text(r.forecast_text),
            }
            for r in rows.itertuples()
        ],
        "scores": [
            {
                "project_code": _text(r.project_code),
                "score": _number(r.score),
                "grade": _text(r.grade),
                "estimate": bool(r.estimate),
                "reporting_rate": _number(r.reporting_rate),
                **{part: _number(getattr(r, part)) for part in SCORE_PARTS},
            }
            for r in scores.itertuples()
        ],
    }


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
