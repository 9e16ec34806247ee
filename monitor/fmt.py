"""Number formatting for the UI and the exports: money in 万元 (default, the unit of the published
tables) or 元, with one rule for how many decimals; indicator values; empty cells; markdown-inert text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

from monitor.i18n import t

MONEY_UNITS = {"万元": Decimal(10000), "元": Decimal(1)}
DEFAULT_UNIT = "万元"
UNIT_KEYS = {"万元": "unit_wan", "元": "unit_yuan"}  # the unit's word in each language
# The money rule: the fewest decimals, at least two, that show every non-zero amount with at least
# SIGNIFICANT significant digits, and never more than the unit's own fen (万元: 6, 元: 2), so a
# payment of 300 元 reads 0.0300 万元, not 0.03.
SIGNIFICANT = 3
FEN_DECIMALS = {"万元": 6, "元": 2}


def unit_word(unit: str, lang: str) -> str:
    """万元 / 元 in the reader's language (the stored code stays the Chinese one)."""
    return t(UNIT_KEYS[unit], lang)


def _amount(value: object) -> Decimal | None:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    return None if amount.is_nan() else amount


def money_decimals(values: Iterable[object], unit: str) -> int:
    """How many decimals the money rule gives amounts `values` (in 元) shown in `unit`."""
    nonzero = [abs(a) for a in map(_amount, values) if a]
    if not nonzero:
        return 2
    smallest = min(nonzero) / MONEY_UNITS[unit]
    return max(2, min(FEN_DECIMALS[unit], SIGNIFICANT - 1 - smallest.adjusted()))


def in_unit(value: Decimal | float | int | None, unit: str) -> Decimal | None:
    """A value in 元 converted to `unit`, exact to the fen."""
    amount = _amount(value)
    return None if amount is None else (amount / MONEY_UNITS[unit]).quantize(Decimal(1).scaleb(-FEN_DECIMALS[unit]))


def money(value: Decimal | float | int | None, unit: str, decimals: int | None = None) -> str:
    """An amount in 元 shown in `unit` with thousands separators; `decimals` by the money rule unless
    given (a column shares the decimals of its smallest amount)."""
    converted = in_unit(value, unit)
    if converted is None:
        return "—"
    places = money_decimals([value], unit) if decimals is None else decimals
    return f"{converted:,.{places}f}"


def money_format(values: Iterable[object], unit: str, sign: bool = False) -> str:
    """The printf format of a money column (st.column_config.NumberColumn) by the money rule."""
    return f"%{'+' if sign else ''},.{money_decimals(values, unit)}f"


def excel_money_format(values: Iterable[object], unit: str) -> str:
    """The Excel number format of a money column by the money rule."""
    return "#,##0." + "0" * money_decimals(values, unit)


def percent(rate: float | Decimal | None, digits: int = 2) -> str:
    return "—" if rate is None or rate != rate else f"{float(rate) * 100:.{digits}f}%"


def money_frame(frame, columns: list[str], unit: str):
    """A copy of `frame` with the money `columns` (in 元) converted to `unit` as floats."""
    divisor = float(MONEY_UNITS[unit])
    return frame.assign(**{c: frame[c].astype(float) / divisor for c in columns})


def shown_text(value: object) -> str:
    """A text cell as shown: empty for a missing value (never "None" or "nan")."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")
# GFM turns bare addresses into links after parsing, so escapes do not stop it; an invisible word
# joiner (U+2060) inside "https://", "www." and "x@y" does.
_AUTOLINK = re.compile(r"(?i)(?<=http)(?=s?://)|(?<=\bwww)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Data text made inert inside st.markdown: every markup character is escaped and bare
    addresses are kept from becoming links, so names containing `**`, links, HTML or `$…$` show literally."""
    unlinked = _AUTOLINK.sub(WORD_JOINER, str(text))
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in unlinked)


def number(value: object) -> str:
    """An indicator value as people write it: 96, 97.5, 1.79 (at most two decimals)."""
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")
