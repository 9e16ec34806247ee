"""Number formatting for the UI: money in 万元 (default, the unit of the published tables) or 元."""

from __future__ import annotations

from decimal import Decimal

MONEY_UNITS = {"万元": Decimal(10000), "元": Decimal(1)}
DEFAULT_UNIT = "万元"


def in_unit(value: Decimal | float | int | None, unit: str) -> Decimal | None:
    """A value in 元 converted to `unit`, rounded to the fen of that unit."""
    if value is None:
        return None
    return (Decimal(str(value)) / MONEY_UNITS[unit]).quantize(Decimal("0.01"))


def money(value: Decimal | float | int | None, unit: str) -> str:
    converted = in_unit(value, unit)
    return "—" if converted is None else f"{converted:,.2f}"


def percent(rate: float | Decimal | None, digits: int = 2) -> str:
    return "—" if rate is None else f"{float(rate) * 100:.{digits}f}%"
