"""The enumerated values of the data model in the reader's language, one function per enumeration.

The stored values stay as they are (完成可能性, 偏差原因 and the indicator levels are Chinese data
codes, statuses and kinds are codes); pages, exports and the command line show these words instead.
A value outside the known list (a level of another indicator scheme) is shown as written.
"""

from __future__ import annotations

from monitor.i18n import t
from monitor.store.vocabulary import LIKELIHOOD_KEYS, REASON_KEYS

# 一级指标 (score groups and the department-wide heading) and the 二级指标 of the official schemes.
LEVEL_KEYS = {
    "产出指标": "indlevel_output",
    "成本指标": "indlevel_cost",
    "效益指标": "indlevel_effect",
    "满意度指标": "indlevel_satisfaction",
    "部门整体指标": "indlevel_dept_wide",
    "数量指标": "indlevel_quantity",
    "质量指标": "indlevel_quality",
    "时效指标": "indlevel_timeliness",
    "经济成本指标": "indlevel_economic_cost",
    "社会成本指标": "indlevel_social_cost",
    "生态环境成本指标": "indlevel_ecological_cost",
    "经济效益指标": "indlevel_economic",
    "社会效益指标": "indlevel_social",
    "生态效益指标": "indlevel_ecological",
    "可持续影响指标": "indlevel_sustainable",
    "服务对象满意度指标": "indlevel_clients",
}
GRADE_KEYS = {"优": "grade_excellent", "良": "grade_good", "中": "grade_fair", "差": "grade_poor"}
KIND_KEYS = {
    "payments": "kind_payments",
    "indicator_actuals": "kind_indicator_actuals",
    "forecasts": "kind_forecasts",
    "monitor_form": "kind_monitor_form",
    "targets": "kind_targets",
    "undo": "kind_undo",
    "users": "kind_users",
}
# A disbursement status alone (即席查询's category), without the reason that words one project's.
STATUS_CLASS_KEYS = {"green": "status_class_green", "amber": "status_class_amber", "red": "status_class_red"}


def _word(keys: dict[str, str], value: object, lang: str) -> str:
    if not isinstance(value, str):
        return ""  # missing: an empty cell, never "None"
    return t(keys[value], lang) if value in keys else value


def likelihood_word(value: object, lang: str = "zh") -> str:
    """完成目标可能性: 确定能 / 有可能 / 完全不可能."""
    return _word(LIKELIHOOD_KEYS, value, lang)


def reason_word(value: object, lang: str = "zh") -> str:
    """偏差原因: 经费保障, 制度保障, 人员保障, 硬件条件保障, 其他."""
    return _word(REASON_KEYS, value, lang)


def level_word(value: object, lang: str = "zh") -> str:
    """An indicator level (一级/二级指标) of the official schemes; another is shown as written."""
    return _word(LEVEL_KEYS, value, lang)


def grade_word(value: object, lang: str = "zh") -> str:
    """A self-evaluation grade: 优, 良, 中, 差."""
    return _word(GRADE_KEYS, value, lang)


def kind_word(value: object, lang: str = "zh") -> str:
    """The kind of an import batch (targets, payments, …) or of a recorded change."""
    return _word(KIND_KEYS, value, lang)


def role_word(value: object, lang: str = "zh") -> str:
    """A user's role: viewer, editor, admin."""
    return t(f"role_{value}", lang) if isinstance(value, str) else ""


def status_class_word(value: object, lang: str = "zh") -> str:
    """A disbursement status code (green, amber, red) in words."""
    return _word(STATUS_CLASS_KEYS, value, lang)
