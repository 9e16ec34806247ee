"""The target-notation rule: explicit comparisons, bare values by indicator kind, free text."""

import pytest

from monitor.ingest.notation import Target, is_notation, known_unit, parse_target


@pytest.mark.parametrize(
    ("text", "level2", "expected"),
    [
        ("≥95%", "质量指标", Target(">=", 95.0, "%")),
        ("1 家", "数量指标", Target(">=", 1.0, "家")),
        ("2 万元", "成本指标", Target("<=", 2.0, "万元")),
        ("87 万元", "成本指标", Target("<=", 87.0, "万元")),
        ("≥2 万元", "成本指标", Target(">=", 2.0, "万元")),  # an explicit comparison wins over the kind
        ("≤5万元", "成本指标", Target("<=", 5.0, "万元")),
        ("≥10人", "数量指标", Target(">=", 10.0, "人")),
        ("100%", "质量指标", Target(">=", 100.0, "%")),
        ("一年一次", "数量指标", Target(">=", 1.0, "次")),
        ("每季度一次", "数量指标", Target(">=", 4.0, "次")),
        ("不低于一种", "", Target(">=", 1.0, "种")),
        ("达到 10%", "", Target(">=", 10.0, "%")),
        ("控制在5万元以内", "成本指标", Target("<=", 5.0, "万元")),
        ("10%以上", "效益指标", Target(">=", 10.0, "%")),
        ("优", "质量指标", Target("qual", None, None)),
        ("能够长期较好的利用研究院", "可持续影响指标", Target("qual", None, None)),
        ("", "数量指标", Target("qual", None, None)),
        ("二十 人", "数量指标", Target(">=", 20.0, "人")),
        ("二二 家", "数量指标", Target("qual", None, None)),  # not a numeral: kept verbatim (was a KeyError)
        ("十十次", "数量指标", Target("qual", None, None)),  # was read as 20
        ("每季度二二次", "数量指标", Target("qual", None, None)),
        # units with / and brackets, kept whole
        ("≤2500 元/人", "成本指标", Target("<=", 2500.0, "元/人")),
        ("≥20 万头（只）", "数量指标", Target(">=", 20.0, "万头（只）")),
        ("1.5 元/人·年", "经济成本指标", Target("<=", 1.5, "元/人·年")),  # the newer scheme's 成本 level-2s are ceilings too
        # a bare 0 counts incidents: at most 0, whatever the kind
        ("0 次", "社会效益指标", Target("<=", 0.0, "次")),
        ("0 起", "质量指标", Target("<=", 0.0, "起")),
        ("≥0 次", "数量指标", Target(">=", 0.0, "次")),  # explicit still wins
        # frequency words, per year
        ("每学期一次", "数量指标", Target(">=", 2.0, "次")),
        ("每月一次", "数量指标", Target(">=", 12.0, "次")),
        ("一年两次", "数量指标", Target(">=", 2.0, "次")),
        ("≧95%", "质量指标", Target(">=", 95.0, "%")),
        ("≥1,000 人", "数量指标", Target(">=", 1000.0, "人")),  # thousands separators
        ("≤3 个工作日", "时效指标", Target("<=", 3.0, "个工作日")),
    ],
)
def test_parse_target(text, level2, expected):
    assert parse_target(text, level2) == expected


@pytest.mark.parametrize(
    ("unit", "known"), [("元/人", True), ("万头（只）", True), ("人次", True), ("%", True), ("元/只鸡", False), ("套餐", False)]
)
def test_known_units(unit, known):
    assert known_unit(unit) is known


@pytest.mark.parametrize(
    ("text", "whole", "whole_any_unit"),
    [("≥95%", True, True), ("5万元以内", True, True), ("一年一次", True, True), ("≥5 眼", False, True), ("研究院利用率≥95%", False, False)],
)
def test_is_notation(text, whole, whole_any_unit):
    """A table cell that is a value is all notation; a unit outside the vocabulary is told apart."""
    assert (is_notation(text), is_notation(text, known_units=False)) == (whole, whole_any_unit)
