"""The enumerations of the data model, read from queries/rules/vocabulary.sql, where the SQL rules
use them: 完成目标可能性, 偏差原因, the indicator and disbursement statuses and the score groups of
the level-1 indicators. Defined there once, for the SQL and for Python alike."""

from __future__ import annotations

from functools import cache

import duckdb

from monitor.i18n import LANGUAGES, Choices, t
from monitor.store.db import sql


@cache
def _rows(macro: str, scalar: bool = False) -> tuple[tuple, ...]:
    with duckdb.connect() as con:  # the macros need no data: an in-memory database defines and reads them
        con.execute(sql("vocabulary"))
        query = f"SELECT {macro}()" if scalar else f"SELECT * EXCLUDE (seq) FROM {macro}() ORDER BY seq"  # macro: our own names
        return tuple(con.execute(query).fetchall())


LIKELIHOODS: tuple[str, ...] = tuple(r[0] for r in _rows("likelihoods"))
AT_RISK_LIKELIHOODS: tuple[str, ...] = tuple(r[0] for r in _rows("likelihoods") if r[1])
REASONS: tuple[str, ...] = tuple(r[0] for r in _rows("deviation_reasons"))
INDICATOR_STATUSES: tuple[str, ...] = tuple(r[0] for r in _rows("indicator_statuses"))
DISBURSEMENT_STATUSES: tuple[str, ...] = tuple(r[0] for r in _rows("disbursement_statuses"))
DISBURSEMENT_REASONS: tuple[str, ...] = tuple(r[0] for r in _rows("disbursement_reasons"))
SCORE_GROUPS: dict[str, str] = {level1: group for level1, group, _ in _rows("score_levels")}  # level-1 name → score group
DEPT_WIDE_LEVEL1: str = _rows("dept_wide_level1", scalar=True)[0][0]  # the level-1 of department-wide indicators
# A unit's states of a monitoring round (queries/rounds/round_status.sql) in which it may still fill it:
# nothing submitted yet, or returned.
OPEN_ROUND_STATES: tuple[str, ...] = ("none", "return")
# Their message keys (the words a reader sees: monitor.rules.words; the drop-downs of the 填报版 and
# its import accept the words of every language).
LIKELIHOOD_KEYS: dict[str, str] = {"确定能": "likelihood_sure", "有可能": "likelihood_maybe", "完全不可能": "likelihood_impossible"}
REASON_KEYS: dict[str, str] = {
    "经费保障": "deviation_funds",
    "制度保障": "deviation_rules",
    "人员保障": "deviation_staff",
    "硬件条件保障": "deviation_hardware",
    "其他": "deviation_other",
}


def stored_value(entered: str, keys: dict[str, str]) -> str:
    """A cell's word for one of the values of `keys` (stored value → message key), in any language, as
    the stored value; anything else as entered, for the check to refuse. Asked for every row of an
    import: the words are looked up once per vocabulary."""
    return _words(tuple(keys.items())).get(entered, entered)


@cache
def _words(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {t(key, lang): value for value, key in items for lang in LANGUAGES}


def choices(values: tuple[str, ...], keys: dict[str, str]) -> Choices:
    """The stored `values` as a refusal lists them, in the reader's language (their words: `keys`)."""
    return Choices(tuple((value, keys[value]) for value in values))
