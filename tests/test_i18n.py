"""The translation files: both languages hold the same keys with the same fields, every key the code
uses exists (keys built at run time included), and every key is used."""

from __future__ import annotations

import ast
import re
import string

import pytest

from monitor.auth import ROLES
from monitor.i18n import LANGUAGES, strings
from monitor.ingest.blank import KINDS as TEMPLATE_KINDS
from monitor.rounds.tasks import INDICATOR_DIFF, PROJECT_DIFF
from monitor.rules.headline import GRADES
from monitor.rules.words import KIND_KEYS
from monitor.store.db import REPO_ROOT
from monitor.store.vocabulary import DISBURSEMENT_REASONS, DISBURSEMENT_STATUSES
from monitor.ui.filters import AS_OF_REASONS
from monitor.ui.rounds import ATTACHMENT_COLUMNS, ATTACHMENT_KINDS, DIFF_COLUMNS, ENTRY_COLUMNS, RECT_COLUMNS
from monitor.ui.users import ACTIONS, CHANGE_COLUMNS, USER_COLUMNS

SOURCES = [*(REPO_ROOT / "monitor").rglob("*.py"), *(REPO_ROOT / "app_pages").glob("*.py"), REPO_ROOT / "dashboard.py"]
KEY_CALLS = {  # a callable taking a key → the position of the key among its arguments
    **dict.fromkeys(["t", "_", "say", "note", "msg", "Msg"], 0),
    **dict.fromkeys(["MonitorError", "NotAllowed", "NotFound", "Refused", "SettingsError", "DatabaseBusy", "UndoRefused"], 0),
    "problem": 4,  # monitor.errors.problem(file, row, column, value, key, …)
    "Field": 1,  # 即席查询's fields, measures and subjects (monitor.explore.builder)
    "Measure": 2,
    "Subject": 1,
}
# Keys built at run time: the prefix, and every value the code can append to it.
DYNAMIC = {
    "role_": ROLES,
    "reason_": DISBURSEMENT_REASONS,
    "status_": DISBURSEMENT_STATUSES,
    "quarter_": ("1", "2", "3", "4"),
    "att_kind_": ATTACHMENT_KINDS,
    "level_": ("error", "duplicate"),
    "col_": ("file", "row", "column", "value", "expected", "level"),
    "rect_col_": RECT_COLUMNS,
    "round_col_": ENTRY_COLUMNS,
    "att_col_": ATTACHMENT_COLUMNS,
    "diff_col_": DIFF_COLUMNS,
    "diff_kind_": ("project", "indicator"),
    "diff_field_": (*PROJECT_DIFF, *INDICATOR_DIFF),
    "explore_chart_": ("bar", "heatmap"),
    "grade_": GRADES.values(),
    "origin_": ("app", "cli", "watch", "demo"),  # queries/pages/import_history.sql
    "as_of_why_": AS_OF_REASONS,
    "as_of_q": ("1", "2", "3", "4"),
    "kind_": KIND_KEYS,
    "user_col_": USER_COLUMNS,
    "change_col_": CHANGE_COLUMNS,
    "user_action_": ACTIONS,
    "tpl_sheet_": TEMPLATE_KINDS,
    "tpl_title_": TEMPLATE_KINDS,
    "tpl_extra_": TEMPLATE_KINDS,
    "file_template_": TEMPLATE_KINDS,
    "make_report_": ("html", "pdf"),  # monitor/ui/exports.py
    "download_report_": ("html", "pdf"),
}


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_fields():
    zh, en = (strings(lang) for lang in LANGUAGES)
    assert set(zh) == set(en), {"only zh": set(zh) - set(en), "only en": set(en) - set(zh)}
    assert [k for k in zh if _fields(zh[k]) != _fields(en[k])] == []


def _key_arguments() -> tuple[list[tuple[str, str]], set[str]]:
    """(file:line, key) of every constant key the code passes, and the prefixes of keys it builds."""
    constants, prefixes = [], set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            args = node.args[KEY_CALLS[name] : KEY_CALLS[name] + 1] if name in KEY_CALLS else []
            for arg in args:
                options = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
                for option in options:
                    where = f"{path.relative_to(REPO_ROOT)}:{node.lineno}"
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        constants.append((where, option.value))
                    elif isinstance(option, ast.JoinedStr) and isinstance(option.values[0], ast.Constant):
                        prefixes.add(option.values[0].value)
                    elif isinstance(option, ast.BinOp) and isinstance(option.left, ast.Constant):
                        prefixes.add(option.left.value)
    return constants, prefixes


def test_every_key_the_code_uses_exists():
    keys = strings("zh")
    constants, prefixes = _key_arguments()
    assert len(constants) > 300
    assert [(where, key) for where, key in constants if key not in keys] == []
    assert prefixes - set(DYNAMIC) == set(), "a key built at run time: list its values in DYNAMIC"
    built = [prefix + str(value) for prefix, values in DYNAMIC.items() for value in values]
    assert [key for key in built if key not in keys] == []


def test_every_value_of_a_key_table_is_a_key():
    """Tables of keys in the code (e.g. STATE_KEYS, KIND_KEYS, STATUS_KEYS) name existing keys."""
    keys = strings("zh")
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_KEYS") for t in node.targets):
                found += [v.value for v in getattr(node.value, "values", []) if isinstance(v, ast.Constant)]
    assert found and [key for key in found if key not in keys] == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_key_is_used(lang):
    code = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)
    quoted = set(re.findall(r"""["']([a-z][a-z0-9_]*)["']""", code))
    unused = [k for k in strings(lang) if k not in quoted and not any(k.startswith(p) for p in DYNAMIC)]
    assert unused == []
