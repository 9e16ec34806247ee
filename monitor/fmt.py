"""Number formatting for the UI: money in 万元 (default, the unit of the published tables) or 元."""

from __future__ import annotations

import re
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


def money_frame(frame, columns: list[str], unit: str):
    """A copy of `frame` with the money `columns` (in 元) converted to `unit` as floats."""
    divisor = float(MONEY_UNITS[unit])
    return frame.assign(**{c: frame[c].astype(float) / divisor for c in columns})


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
