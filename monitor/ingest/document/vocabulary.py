"""The words of the published 绩效目标 indicator tables: the two indicator schemes (level-1 names and
the level-2s under each), the header row, typical 指标值确定依据 phrases and qualitative target words.
The readers use them to find cells; the checks use them to doubt what was read."""

from __future__ import annotations

import re
import unicodedata

from monitor.store.vocabulary import SCORE_GROUPS

# The older scheme: 成本指标 is a level-2 under 产出指标. The newer one makes 成本指标 a level-1 beside
# 产出/效益/满意度, with its own level-2s. Both are read; a project follows one or the other.
OLDER_SCHEME: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
NEWER_SCHEME: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1: tuple[str, ...] = tuple(SCORE_GROUPS)  # the level-1 names the score knows, both schemes
LEVEL2: tuple[str, ...] = tuple(dict.fromkeys(w for scheme in (OLDER_SCHEME, NEWER_SCHEME) for ws in scheme.values() for w in ws))
NEWER_LEVEL1 = "成本指标"  # a project with this level-1 follows the newer scheme


def scheme_of(level1s: set[str]) -> dict[str, tuple[str, ...]]:
    return NEWER_SCHEME if NEWER_LEVEL1 in level1s else OLDER_SCHEME


def belongs(level1: str, level2: str) -> bool:
    """Whether a level-2 sits under that level-1 in either scheme."""
    return level2 in OLDER_SCHEME.get(level1, ()) or level2 in NEWER_SCHEME.get(level1, ())


# The header row, and its cells as some documents word them.
HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
_HEADER_CELLS = (("一级指标",), ("二级指标",), ("三级指标",), ("绩效指标描述", "指标描述", "指标内容"), ("指标值", "目标值"))
_BASIS_HEADERS = ("指标值确定依据", "指标值设定依据", "确定依据", "依据")
HEADER_PATTERN = re.compile("".join(f"(?:{'|'.join(c)})" for c in _HEADER_CELLS) + f"(?:{'|'.join(_BASIS_HEADERS)})?")
HEADER_WORDS = frozenset(w for cell in _HEADER_CELLS for w in cell) | frozenset(_BASIS_HEADERS) | {"指标值确定"}

# 指标值确定依据 as the tables usually give it: a 三级指标 or description reading like one was misplaced.
BASIS_PHRASES = frozenset(
    (
        *("问卷调查", "预算安排", "工作台账", "统计年报", "验收标准", "抽样调查", "实际情况", "历史数据", "行业标准"),
        *("年度计划", "年度工作计划", "工作计划", "工作总结", "财务数据", "相关文件", "政策文件", "上年度数据", "实施方案"),
        *("满意度调查", "统计数据", "财务账目", "会计凭证", "验收报告", "项目计划", "工作记录", "会议记录", "考核结果"),
    )
)

# Qualitative targets the tables use. The text reader takes one of these for a 指标值 without doubt;
# another word in that place is read too, but flagged for the user to check.
QUALITATIVE = frozenset(
    (
        *("优", "良", "中", "差", "优秀", "良好", "合格", "达标", "是", "否", "有", "无", "好", "较好", "显著"),
        *("长期", "长期有效", "持续", "持续有效", "稳定", "保持稳定", "有效", "有效保障", "及时", "按时", "按期"),
        *("完成", "按时完成", "按期完成", "全部完成", "全面完成", "符合要求", "符合标准", "达到标准", "达到要求"),
        *("提升", "提高", "改善", "增加", "增强", "降低", "减少", "规范", "明显", "正常运行", "逐年提高"),
        *("显著提升", "明显提升", "逐步提升", "有所提升", "稳步提升", "持续提升", "进一步提升", "大幅提升", "不断提升"),
        *("显著提高", "明显提高", "逐步提高", "有所提高", "稳步提高", "持续提高", "进一步提高", "大幅提高", "不断提高"),
        *("显著改善", "明显改善", "逐步改善", "有所改善", "持续改善", "进一步改善", "有效改善"),
        *("有所增加", "明显增加", "逐步增加", "有所降低", "明显降低", "逐步降低", "有所减少", "明显减少", "逐步减少"),
        *("明显增强", "逐步增强", "有所增强", "进一步增强", "效果显著", "成效显著", "群众满意", "满意"),
    )
)


def compact(text: str) -> str:
    """Text for comparing with the vocabularies: NFKC (full-width forms, look-alike radicals), no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_header_row(cells: list[str]) -> bool:
    """Whether a table row (or the lines of one) is the header row printed again."""
    joined = compact("".join(cells))
    return bool(joined) and HEADER_PATTERN.fullmatch(joined) is not None
