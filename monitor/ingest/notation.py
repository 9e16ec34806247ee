"""Target notation of 绩效指标 values: `≥95%`, `1 家`, `87 万元`, `≤2500 元/人`, `≥20 万头（只）`,
`一年一次`, `每学期一次`, free text.

One rule, used by every importer: an explicit comparison wins; a bare value means `>=`,
except for 成本指标 where it means `<=` (a cost is a ceiling) and for a bare 0 (`0 次`, `0 起`:
incidents), which means at most 0; text that does not read as a measurable target is kept
verbatim as qualitative (`op = 'qual'`). Units come from a vocabulary of unit words, combined
with `/` (`元/人`) and followed by a bracketed alternative (`万头（只）`); a unit outside it is
still read (the document reader flags it for the user to check, `known_unit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPS = (">=", "<=", "=", ">", "<", "qual")

_OP_WORDS = [
    (">=", ("≥", "≧", ">=", "＞=", "不低于", "不少于", "不小于", "至少", "达到", "大于等于", "以上")),
    ("<=", ("≤", "≦", "<=", "＜=", "不高于", "不超过", "不多于", "不大于", "小于等于", "以内", "以下", "控制在")),
    (">", (">", "＞", "大于", "高于", "超过")),
    ("<", ("<", "＜", "小于", "低于")),
    ("=", ("=", "＝", "等于")),
]
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# Frequencies are counted per year: `每季度一次` is 4 次 a year, `每学期一次` 2 (two terms a year).
_PER_YEAR = {"一年": 1, "每年": 1, "全年": 1, "每半年": 2, "半年": 2, "每学期": 2, "每季度": 4, "每季": 4, "每月": 12, "每周": 52}
FREQUENCY_WORDS = tuple(_PER_YEAR)
_FREQUENCY = "|".join(sorted(_PER_YEAR, key=len, reverse=True))
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)"  # 1,000 with its separators
_UNIT = r"(%|％|‰|[^\d\s≥≤≧≦<>=＞＜＝%％.。，,；;]{1,4})?"

# Unit words of the published tables, longest first where one is the start of another (万元 before 万).
UNIT_WORDS = (
    *("%", "％", "‰", "万元", "亿元", "千元", "元", "万人次", "人次", "万人", "人", "万户", "户", "万亩", "亩", "公顷"),
    *("平方公里", "平方米", "立方米", "公里", "千米", "米", "万吨", "吨", "千克", "公斤", "万头", "头", "万只", "只"),
    *("万株", "株", "棵", "匹", "家", "所", "个", "项", "次", "起", "件", "名", "位", "天", "日", "小时", "分钟", "学时"),
    *("课时", "周", "月", "年", "台", "套", "份", "本", "册", "万册", "场", "期", "篇", "批", "座", "处", "条", "辆"),
    *("间", "张", "部", "种", "类", "门", "节", "分", "级", "星", "层", "所次", "班", "队", "支", "个月", "户次", "床"),
    *("个工作日", "工作日", "个百分点", "百分点", "宗", "例", "头次", "只次", "车次", "架次", "万次"),
)
_UNIT_WORD = "|".join(sorted(map(re.escape, UNIT_WORDS), key=len, reverse=True))
# `元/人`, `元/人·年`, `万头（只）`: unit words joined by / or ·, with an optional bracketed alternative.
_COMPOUND_UNIT = rf"(?:{_UNIT_WORD})(?:[/／·](?:{_UNIT_WORD}))*(?:[（(](?:{_UNIT_WORD})(?:[/／、](?:{_UNIT_WORD}))*[）)])?"


@dataclass(frozen=True)
class Target:
    op: str
    value: float | None
    unit: str | None


_CN_FORM = re.compile(r"(?:([一二两三四五六七八九]?)十)?([零一二两三四五六七八九]?)")


def cn_number(token: str) -> float | None:
    """`12.5` → 12.5, `-5` → -5.0; Chinese numerals up to 九十九 (`十二` → 12, `一` → 1); None for
    what is not a number written either way (`二二`, `十十`)."""
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", token):
        return float(token)
    match = _CN_FORM.fullmatch(token)
    if not token or match is None:
        return None
    tens, ones = match.groups()
    value = _CN_DIGITS[ones] if ones else 0
    return float(value + ((_CN_DIGITS[tens] if tens else 1) * 10 if "十" in token else 0))


def default_op(level2: str) -> str:
    return "<=" if "成本" in (level2 or "") else ">="


def parse_target(text: str, level2: str = "") -> Target:
    """Read a target value as printed in the published tables."""
    compact = re.sub(r"\s+", "", text or "")
    if not compact:
        return Target("qual", None, None)
    freq = re.fullmatch(f"({_FREQUENCY})" + _NUMBER + r"次", compact)
    if freq and cn_number(freq.group(2)) is not None:
        return Target(">=", _PER_YEAR[freq.group(1)] * cn_number(freq.group(2)), "次")
    match = re.fullmatch(r"(\D*?)" + _NUMBER + f"({_COMPOUND_UNIT})" + r"(\D*)", compact) or re.fullmatch(
        r"(\D*?)" + _NUMBER + _UNIT + r"(\D*)", compact
    )
    if not match:
        return Target("qual", None, None)
    before, number, unit, after = match.groups()
    unit, after = _split_suffix(unit or "", after)
    value = cn_number(number.replace(",", ""))
    op = _op_from_words(before + after)
    if op is None:
        if before or (after and after != "目标"):
            return Target("qual", None, None)
        op = "<=" if value == 0 else default_op(level2)  # a bare 0 (0 次, 0 起) is a ceiling
    unit = {"％": "%"}.get(unit, unit or None)
    return Target("qual", None, None) if value is None else Target(op, value, unit)


def known_unit(unit: str | None) -> bool:
    """Whether a unit is one of the vocabulary's words or a combination of them (`元/人`, `万头（只）`)."""
    return unit is None or re.fullmatch(_COMPOUND_UNIT, unit) is not None


_SUFFIXES = ("及以上", "及以下", "以上", "以内", "以下", "目标")


def _split_suffix(unit: str, after: str) -> tuple[str, str]:
    """`万元以内` → (`万元`, `以内`): the unit regex is greedy, comparison words are not units."""
    tail = unit + after
    cuts = [tail.find(word) for word in _SUFFIXES if 0 <= tail.find(word) < len(unit)]
    if cuts:
        return tail[: min(cuts)], tail[min(cuts) :]
    return unit, after


def _op_from_words(words: str) -> str | None:
    if not words:
        return None
    for op, tokens in _OP_WORDS:
        if any(tok in words for tok in tokens):
            return op
    return None


_COMPARISON_WORDS = "|".join(
    sorted({re.escape(w) for _, words in _OP_WORDS for w in words} - {"以上", "以内", "以下"}, key=len, reverse=True)
)
_STRICT = {
    known: re.compile(f"(?:{_FREQUENCY}){_NUMBER}次|(?:{_COMPARISON_WORDS})?{_NUMBER}{unit}(?:{'|'.join(_SUFFIXES)})?")
    for known, unit in ((True, f"(?:{_COMPOUND_UNIT})?"), (False, _UNIT))
}


def is_notation(text: str, known_units: bool = True) -> bool:
    """Whether `text` is all notation: a frequency, or a comparison, a number, a unit (of the
    vocabulary, or any short word when not `known_units`) and a suffix (`以上`), each but the
    number optional. `parse_target` reads more (a measurable fragment inside a sentence); a table
    cell that is a value is this."""
    compact = re.sub(r"\s+", "", text or "")
    return _STRICT[known_units].fullmatch(compact) is not None and parse_target(compact).op != "qual"
