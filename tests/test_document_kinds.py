"""The eight kinds of misreading seen on documents of the seed's family (issue #17), each on a
document of that layout written for its test: 三级指标 and 依据 wrap at 10 display columns (a CJK
character counts two) as in the seed, 绩效指标描述 at 24, or at 20 where the issue's example does."""

from __future__ import annotations

import pytest
from browser_helpers import needs_chromium

from monitor.ingest.targets import preview

HEAD = """ 1.{name}绩效目标表
731009 巨鹿县某某局本级 单位：万元

项目编码
13052924P0058401121

9A
项目名称 {name}

预算规模及

资金用途

预算数 10.00
其中：财政

资金
10.00 其他资金

用于{name}支出

资金支出计

划（%）

6 月底 12 月底

5.00 10.00

绩效目标

1.完成年度工作任务

一级指标 二级指标 三级指标 绩效指标描述 指标值
指标值确定

依据
"""

# The rows every test document ends with: each level-1 group has an indicator, and a wrapped
# 三级指标 followed by the same description, wrapped too, fixes both columns' widths.
TAIL = """效益指标

社会效益指

标

区域性重大

动物疫情发

生次数

{description}
0 次 防疫台账

满意度指标
服务对象满

意度指标
满意度 满意度 ≥95% 问卷调查
"""
WIDE = "区域性重大动物疫情发生次\n\n数"  # 绩效指标描述 24 columns wide
NARROW = "区域性重大动物疫情发\n\n生次数"  # 20


def _read(table: str, name: str = "动物防疫专项经费", description: str = WIDE):
    text = "第二部分\n\n预算项目绩效目标\n" + HEAD.format(name=name) + table + TAIL.format(description=description)
    result = preview(text.encode("utf-8"), "kind.txt", 2024)
    (project,) = result.targets.projects
    return project.indicators, result


def _fields(indicator) -> tuple:
    return (indicator.level2, indicator.level3, indicator.description, indicator.target_text, indicator.basis)


def test_1_page_break_with_page_number_and_the_header_printed_again():
    """The header words are not an indicator, and the 依据 printed after the break is the 依据 of
    the row before it, not an indicator named 问卷调查."""
    indicators, result = _read(
        """产出指标

数量指标
培训场次 培训场次 ≥4 场 培训记录

质量指标
活动参与率 活动参与率 ≥95%

- 3 -
 一级指标 二级指标 三级指标 绩效指标描述 指标值
指标值确定

依据
问卷调查

时效指标
任务完成及

时率
任务完成及时率 ≥90% 工作台账
"""
    )
    assert [i.level3 for i in indicators] == ["培训场次", "活动参与率", "任务完成及时率", "区域性重大动物疫情发生次数", "满意度"]
    assert _fields(indicators[1]) == ("质量指标", "活动参与率", "活动参与率", "≥95%", "问卷调查")
    assert not result.doubts


@needs_chromium
def test_2_pdf_header_row_is_not_an_indicator(browser, tmp_path):
    """In a PDF the indicator table's own header row, first and printed again on the next page,
    is dropped wherever it is."""
    cells = [f"<td>数量指标</td><td>培训场次{n}</td><td>培训场次{n}</td><td>≥{n} 场</td><td>培训记录</td>" for n in range(1, 40)]
    rows = f'<tr><td rowspan="39">产出指标</td>{cells[0]}</tr>' + "".join(f"<tr>{c}</tr>" for c in cells[1:])
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
    body {{ font-family: "Noto Sans CJK SC"; font-size: 13px; }} table {{ border-collapse: collapse; width: 100%; }}
    td {{ border: 1px solid #000; padding: 4px; }} thead {{ display: table-header-group; }}</style></head><body>
    <p>第二部分</p><p>预算项目绩效目标</p><p>1.动物防疫专项经费绩效目标表</p><p>731009 巨鹿县某某局本级 单位：万元</p>
    <table><tr><td>项目编码</td><td>13052924P00584011219A</td><td>项目名称</td><td>动物防疫专项经费</td></tr>
    <tr><td>预算数</td><td>10.00</td><td>其中：财政资金</td><td>10.00</td><td>其他资金</td><td></td></tr>
    <tr><td>资金支出计划（%）</td><td>6 月底</td><td>12 月底</td></tr><tr><td></td><td>5.00</td><td>10.00</td></tr>
    <tr><td>绩效目标</td><td>1.完成年度工作任务</td></tr></table>
    <table><thead><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>绩效指标描述</td><td>指标值</td><td>指标值确定依据</td></tr></thead>
    <tbody>{rows}
    <tr><td>效益指标</td><td>社会效益指标</td><td>疫情发生次数</td><td>疫情发生次数</td><td>0 次</td><td>防疫台账</td></tr>
    <tr><td>满意度指标</td><td>服务对象满意度指标</td><td>满意度</td><td>满意度</td><td>≥95%</td><td>问卷调查</td></tr>
    </tbody></table></body></html>"""
    page = browser.new_page()
    try:
        page.set_content(html)
        data = page.pdf(format="A4")
    finally:
        page.close()
    result = preview(data, "kind2.pdf", 2024)
    (project,) = result.targets.projects
    assert len(project.indicators) == 41
    assert not [i for i in project.indicators if i.level1 == "一级指标" or i.target_text == "指标值" or i.level3 == "三级指标"]
    assert {i.level1 for i in project.indicators[:39]} == {"产出指标"}
    assert (project.indicators[38].level3, project.indicators[38].target_text) == ("培训场次39", "≥39 场")
    assert len(result.sources[0].pages) >= 2  # the header was printed again on a second page


@pytest.mark.parametrize("glued", [False, True], ids=["tail alone", "tail beside the description"])
def test_3_a_wrapped_level3_with_a_short_tail(glued):
    """`资助学生人` / `数` is the 三级指标 资助学生人数; the description is not `数资助…`."""
    tail = "数 " if glued else "数\n"
    indicators, _ = _read(
        f"""产出指标

数量指标

资助学生人

{tail}资助家庭经济困难学生人数 ≥100 人 资助台账
安全培训次

{tail}全年开展安全培训次数 ≥4 次 培训记录
"""
    )
    assert _fields(indicators[0]) == ("数量指标", "资助学生人数", "资助家庭经济困难学生人数", "≥100 人", "资助台账")
    assert _fields(indicators[1]) == ("数量指标", "安全培训次数", "全年开展安全培训次数", "≥4 次", "培训记录")


def test_4_a_qualitative_value_alone_on_its_line():
    """After a wrapped description, `长期 问卷调查` is a value and its 依据; `显著提升 工作总结` too."""
    indicators, result = _read(
        """产出指标

数量指标
文化活动场

次
全年组织群众文化活动

场次
≥12 场 活动记录

效益指标

可持续影响

指标
长效机制
建立公共文化服务长效

机制

长期 问卷调查
服务水平
群众文化服务水平逐步

提高
显著提升 工作总结
""",
        description=NARROW,
    )
    by_name = {i.level3: i for i in indicators}
    assert _fields(by_name["长效机制"]) == ("可持续影响指标", "长效机制", "建立公共文化服务长效机制", "长期", "问卷调查")
    assert _fields(by_name["服务水平"]) == ("可持续影响指标", "服务水平", "群众文化服务水平逐步提高", "显著提升", "工作总结")
    assert (by_name["长效机制"].op, by_name["服务水平"].op) == ("qual", "qual")
    assert not result.doubts


def test_5_units_with_a_slash_or_brackets():
    indicators, result = _read(
        """产出指标

数量指标
免疫畜禽数

量
免疫畜禽数量 ≥20 万头（只） 防疫台账

成本指标
人均补助标

准
人均补助标准 ≤2500 元/人 省资助标准
"""
    )
    by_name = {i.level3: i for i in indicators}
    assert (by_name["免疫畜禽数量"].op, by_name["免疫畜禽数量"].target_value, by_name["免疫畜禽数量"].unit) == (">=", 20.0, "万头（只）")
    assert by_name["免疫畜禽数量"].basis == "防疫台账"
    assert (by_name["人均补助标准"].op, by_name["人均补助标准"].target_value, by_name["人均补助标准"].unit) == ("<=", 2500.0, "元/人")
    assert by_name["人均补助标准"].basis == "省资助标准"
    assert not result.doubts


def test_a_unit_outside_the_vocabulary_is_read_and_doubted():
    indicators, result = _read(
        """产出指标

数量指标
新打机井 新打机井 ≥5 眼 年度计划
"""
    )
    assert (indicators[0].target_text, indicators[0].op, indicators[0].target_value, indicators[0].unit) == ("≥5 眼", ">=", 5.0, "眼")
    assert ["单位「眼」不在常用单位中" in str(d.problem) for d in result.doubts] == [True]


def test_6_the_unit_of_a_bare_value():
    """`0 起` is the value with its unit; the 依据 is 安全台账, not `起安全台账`."""
    indicators, _ = _read(
        """产出指标

质量指标
安全责任事

故
安全责任事故 0 起 安全台账
"""
    )
    assert (indicators[0].target_text, indicators[0].unit, indicators[0].basis) == ("0 起", "起", "安全台账")


def test_7_a_zero_event_target_is_at_most_zero():
    indicators, _ = _read(
        """产出指标

质量指标
安全责任事

故
安全责任事故 0 起 安全台账
"""
    )
    zero = {i.level3: (i.op, i.target_value, i.unit) for i in indicators}
    assert zero["安全责任事故"] == ("<=", 0.0, "起")
    assert zero["区域性重大动物疫情发生次数"] == ("<=", 0.0, "次")  # 0 次 under a 效益 level-2, where a bare value is >=


def test_8_running_page_header_and_page_number_between_rows():
    indicators, result = _read(
        """产出指标

数量指标
培训场次 培训场次 ≥4 场 培训记录
第 2 页
 巨鹿县某某局2024年部门预算公开
质量指标
活动参与率 活动参与率 ≥95% 问卷调查
第 3 页
 巨鹿县某某局2024年部门预算公开
"""
    )
    assert [i.level3 for i in indicators] == ["培训场次", "活动参与率", "区域性重大动物疫情发生次数", "满意度"]
    assert not [i for i in indicators if "预算公开" in i.basis + i.level3 + i.description]
    assert not result.doubts


def test_each_indicator_keeps_the_lines_it_was_read_from():
    """For the preview beside the document: the project's lines, and each indicator's."""
    _, result = _read("产出指标\n\n数量指标\n培训场次 培训场次 ≥4 场 培训记录\n")
    (source,) = result.sources
    head = ("第二部分\n\n预算项目绩效目标\n" + HEAD.format(name="动物防疫专项经费")).splitlines()
    assert source.lines[0] == (head.index("项目编码") + 1, "项目编码")
    assert source.indicator_lines[0] == [len(head) + 1, len(head) + 3, len(head) + 4]  # 产出指标, 数量指标, its row
    assert source.lines[-1] == (source.indicator_lines[-1][-1], "满意度 满意度 ≥95% 问卷调查")
