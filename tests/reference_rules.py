"""The monitoring rules written out in plain Python, independently of the SQL, as the README states
them: the tests that check the rule macros against a hand computation share these."""

from __future__ import annotations

import datetime as dt


def planned_at(day: dt.date, plan: list[tuple[dt.date, float]]) -> float:
    """Planned cumulative (元) at the end of `day` by the checkpoints `plan` (date, cumulative value; of
    one fiscal year, in date order): 0 at the end of 31 December before the year, linear by calendar
    day between checkpoints and rounded to the fen, flat after the last."""
    if not plan:
        return 0.0
    previous = (dt.date(plan[0][0].year - 1, 12, 31), 0.0)
    if day < previous[0]:
        return 0.0
    for point in plan:
        if day < point[0]:
            share = (day - previous[0]).days / (point[0] - previous[0]).days
            return round(previous[1] + (point[1] - previous[1]) * share, 2)
        previous = point
    return float(previous[1])


def target_met(op: str, actual: float, target: float) -> bool:
    return {">=": actual >= target, ">": actual > target, "<=": actual <= target, "<": actual < target, "=": actual == target}[op]


def attainment(op: str, actual: float, target: float) -> float:
    """The share of a quantitative target reached, 0..1: 1 when met; else actual / target (>=, >),
    target / actual (<=, <) or 1 - |actual - target| / |target| (=), and 0 where that share has no
    measure (a zero denominator)."""
    if target_met(op, actual, target):
        return 1.0
    if op in (">=", ">"):
        share = actual / target if target else 0.0
    elif op in ("<=", "<"):
        share = target / actual if actual else 0.0
    else:
        share = 1 - abs(actual - target) / abs(target) if target else 0.0
    return max(0.0, min(1.0, share))
