"""The enumerations are defined once (queries/rules/vocabulary.sql): Python reads them from there,
and the schema's CHECK constraints and the SQL rules use no other values."""

from __future__ import annotations

import re

from monitor.store import vocabulary
from monitor.store.db import QUERIES_DIR, sql


def _check_values(column: str) -> tuple[str, ...]:
    match = re.search(rf"{column}\s+TEXT CHECK \({column} IN \(([^)]*)\)\)", sql("schema"))
    assert match, column
    return tuple(re.findall(r"'([^']*)'", match.group(1)))


def test_the_schema_checks_the_vocabulary():
    assert _check_values("likelihood") == vocabulary.LIKELIHOODS
    assert _check_values("reason") == vocabulary.REASONS


def test_python_reads_the_values_the_sql_defines():
    assert vocabulary.LIKELIHOODS == ("确定能", "有可能", "完全不可能")
    assert vocabulary.AT_RISK_LIKELIHOODS == ("有可能", "完全不可能")
    assert vocabulary.INDICATOR_STATUSES == ("达标", "未达标", "未填报", "定性待评")
    assert vocabulary.DISBURSEMENT_STATUSES == ("green", "amber", "red")
    assert vocabulary.SCORE_GROUPS == {"产出指标": "output", "成本指标": "output", "效益指标": "effect", "满意度指标": "satisfaction"}


def test_status_literals_in_the_queries_are_known():
    """Every quoted status, reason code or grade in the rule and page queries is one of the vocabulary's."""
    known = {*vocabulary.INDICATOR_STATUSES, *vocabulary.DISBURSEMENT_STATUSES, *vocabulary.DISBURSEMENT_REASONS, "优", "良", "中", "差"}
    known |= {"app", "cli", "watch", "demo"}  # the origins of a batch (import_history.sql), not statuses
    pattern = re.compile(r"status\s*(?:=|<>|IN\s*\(|WHEN)\s*'([^']+)'|THEN '([^']+)'")
    for path in [*(QUERIES_DIR / "rules").glob("*.sql"), *(QUERIES_DIR / "pages").glob("*.sql")]:
        for found in pattern.findall(path.read_text(encoding="utf-8")):
            value = found[0] or found[1]
            assert value in known, (path.name, value)
