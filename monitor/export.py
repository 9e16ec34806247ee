"""Files people download: CSV in UTF-8 with BOM (Excel opens it with the right encoding), with
text cells that a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text starting like a formula gets a leading apostrophe, so it stays text in a spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(table: pd.DataFrame) -> bytes:
    return table.map(neutralise).to_csv(index=False).encode("utf-8-sig")
