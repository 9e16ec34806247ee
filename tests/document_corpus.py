"""Published 绩效目标 documents generated for the round-trip tests.

`documents()` draws random structured targets (hypothesis): a unit with 1 to 4 projects, each
with 2 to 6 checkpoints (cumulative amounts or percentages, 元 or 万元), an older- or newer-scheme
indicator table with 1 to 12 indicators per level-1, values in every notation the reader knows
(comparisons, units with / and brackets, frequency words, a bare 0, qualitative words), and the
layout of one document: the wrap width of every column, where blank lines go, how long a page
is, the page number format, a running page header, whether the table header is printed again
after a page break, how cells share lines. `render_text` prints it as text extraction gives the
published PDF, `render_html` as HTML for Chromium to print (tests/test_document_corpus_pdf.py), and
`expected` is what either must read back as. The renderers are written from the documents'
layout, not from the reader's code, so a reader's mistake is not repeated here.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from monitor.ingest.target_set import Checkpoint, Department, DeptGoal, Indicator, Project, TargetSet

OLDER = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
NEWER = {
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
HEADER = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")

SUBJECTS = (
    *("科普活动", "资助学生", "安全培训", "公共文化服务", "区域性重大动物疫情", "安全责任事故", "高标准农田", "农村公路养护"),
    *("技术推广", "驻会工作人员", "研究院", "项目资金", "办公设备", "档案数字化", "老年人健康体检", "困难群众救助", "河道保洁"),
    *("义务教育学生", "乡村医生培训", "农机购置补贴", "饮水安全工程", "体育健身设施", "志愿服务", "垃圾清运", "森林防火巡查"),
    *("通过科普进校园活动，广大学生", "建立公共文化服务长效机制", "群众文化活动", "非遗保护传承", "便民服务窗口"),
)
MEASURES = (
    *("次数", "人数", "数量", "覆盖率", "完成率", "及时率", "合格率", "知晓率", "满意度", "发生次数", "面积", "参与率"),
    *("达标率", "使用率", "利用率", "完好率", "成本", "补助标准", "资金", "经费", "受益人数", "长效机制", "影响", "运行率"),
)
DESCRIPTION_PREFIXES = ("年度", "全年", "本年度", "确保", "项目实施后", "全县", "有效提高")
DESCRIPTION_SUFFIXES = ("情况", "达到目标要求", "保持稳定", "（以验收为准）", "得到有效保障", "持续提升")
BASES = (
    *("问卷调查", "预算安排", "工作台账", "统计年报", "验收标准", "抽样调查", "年度工作计划", "工作总结", "历史数据"),
    *("省资助标准", "安全台账", "巨鹿县人民政府与河北省科学院签署战略合作协议", "县农业农村局年度工作计划"),
    *("根据实际驻会人数", "《动物防疫法》及省市工作要求", "上年度实际完成情况", "行业标准和项目实施方案", "财务数据"),
)
QUALITATIVE = ("长期", "显著提升", "逐步提升", "有所提高", "优", "良好", "达标", "持续改善", "明显提升", "有效")
UNITS = ("%", "家", "次", "人", "人次", "个", "项", "所", "户", "亩", "万亩", "公里", "篇", "场", "座", "台", "天", "名")
COMPOUND_UNITS = ("元/人", "元/亩", "元/人·年", "万头（只）", "头（只）", "万元", "元", "起")
FREQUENCIES = (("一年一次", 1), ("每季度一次", 4), ("每学期一次", 2), ("每月一次", 12), ("每半年一次", 2))
UNIT_NAMES = ("科学技术协会", "农业农村局", "文化广电和旅游局", "教育局", "畜牧兽医中心", "应急管理局", "水利局", "卫生健康局")
COUNTIES = ("巨鹿县", "示例县", "平乡县", "广宗县", "威县")
PROJECT_WORDS = ("专项经费", "工作经费", "补助资金", "奖励资金", "运行经费", "建设管护经费", "项目经费")


@dataclass
class Value:
    text: str  # as printed
    op: str
    number: float | None
    unit: str | None


@dataclass
class Row:
    level1: str
    level2: str
    level3: str
    description: str
    value: Value
    basis: str


@dataclass
class ProjectSpec:
    code: str
    name: str
    budget: Decimal  # in the document's unit
    fiscal: Decimal
    other: Decimal | None  # None: the cell is left blank
    purpose: str
    months: list[int]
    plan: list[Decimal]  # as printed: cumulative amounts in the document's unit, or percentages
    percent: bool
    goals: list[str]
    rows: list[Row]


@dataclass
class Layout:
    """How one document is printed: column wrap widths (CJK characters count 2), blank lines,
    page length and what a page adds, how cells share lines."""

    widths: dict[str, int]
    blank_after: float  # probability of a blank line after a line
    page_lines: int  # lines on a page before it breaks
    page_number: str  # a format with {n}
    running_header: str | None
    repeat_header: bool  # the table header printed again after a page break inside a table
    glue_tail: bool  # the last line of a wrapped cell shares its line with the single-line cells after it
    lone_cells: float  # probability that a single-line cell is printed on a line of its own
    form_feed: bool  # pages are kept apart by a form feed, not the space extraction usually leaves
    seed: int  # for the renderers' own choices (where the blank lines are)


@dataclass
class DocSpec:
    dept_code: str
    dept_name: str
    money_unit: str  # 万元 or 元
    year: int
    overall_goal: str | None  # part one's 总体绩效目标, when the document has a part one
    projects: list[ProjectSpec]
    layout: Layout


# ---------------------------------------------------------------- drawing


@st.composite
def values(draw, level1: str, level2: str) -> Value:
    kind = draw(st.sampled_from(("compare", "bare", "bare", "percent", "frequency", "zero", "qualitative", "compound")))
    cost = "成本" in level2
    if kind == "frequency":
        text, per_year = draw(st.sampled_from(FREQUENCIES))
        return Value(text, ">=", float(per_year), "次")
    if kind == "qualitative":
        return Value(draw(st.sampled_from(QUALITATIVE)), "qual", None, None)
    if kind == "zero":
        unit = draw(st.sampled_from(("次", "起")))
        return Value(f"0 {unit}", "<=", 0.0, unit)
    if kind == "percent":
        number = draw(st.integers(60, 100))
        sign = draw(st.sampled_from(("≥", "≤", "")))
        op = {"≥": ">=", "≤": "<="}.get(sign, "<=" if cost else ">=")
        return Value(f"{sign}{number}%", op, float(number), "%")
    unit = draw(st.sampled_from(COMPOUND_UNITS if kind == "compound" else UNITS))
    number = draw(st.one_of(st.integers(1, 3000).map(str), st.sampled_from(("0.5", "1.5", "2.25", "12.8"))))
    sign = draw(st.sampled_from(("≥", "≤", "")) if kind != "bare" else st.just(""))
    space = draw(st.sampled_from((" ", " ", "")))
    op = {"≥": ">=", "≤": "<="}.get(sign, "<=" if cost else ">=")
    return Value(f"{sign}{number}{space}{unit}", op, float(number), unit)


@st.composite
def rows_of(draw, scheme: dict[str, tuple[str, ...]]) -> list[Row]:
    rows: list[Row] = []
    used: set[str] = set()
    for level1, level2s in scheme.items():
        count = draw(st.integers(1, 12))
        chosen = draw(st.lists(st.sampled_from(level2s), min_size=1, max_size=min(count, len(level2s)), unique=True))
        chosen.sort(key=level2s.index)
        for n in range(count):
            level2 = chosen[min(n * len(chosen) // count, len(chosen) - 1)]
            subject, measure = draw(st.sampled_from(SUBJECTS)), draw(st.sampled_from(MEASURES))
            name = subject + measure
            while name in used:
                name += draw(st.sampled_from(("（一）", "二", "情况")))
            used.add(name)
            how = draw(st.sampled_from(("same", "same", "same", "prefix", "suffix", "other")))
            description = {
                "same": name,
                "prefix": draw(st.sampled_from(DESCRIPTION_PREFIXES)) + name,
                "suffix": name + draw(st.sampled_from(DESCRIPTION_SUFFIXES)),
                "other": draw(st.sampled_from(("开展", "完成", "推进")))
                + subject
                + draw(st.sampled_from(("工作的", "项目的", "")))
                + draw(st.sampled_from(MEASURES)),
            }[how]
            rows.append(Row(level1, level2, name, description, draw(values(level1, level2)), draw(st.sampled_from(BASES))))
    return rows


@st.composite
def projects(draw, year: int, region: str, index: int) -> ProjectSpec:
    code = f"{region}{year % 100:02d}P{draw(st.integers(10**8, 10**9 - 1))}{draw(st.sampled_from(('', '3Y', '1P', '56', 'X', '7H')))}"
    code += f"{index:02d}"
    name = draw(st.sampled_from(SUBJECTS)).replace("，", "") + draw(st.sampled_from(PROJECT_WORDS))
    budget = Decimal(draw(st.integers(50, 2_000_000))) / 100  # 0.50 to 20,000.00 in the document's unit
    other = draw(st.one_of(st.none(), st.just(Decimal("0.00")), st.integers(0, int(budget * 100)).map(lambda c: Decimal(c) / 100)))
    fiscal = budget - (other or 0)
    count = draw(st.integers(2, 6))
    months = [*sorted(draw(st.lists(st.integers(1, 11), min_size=count - 1, max_size=count - 1, unique=True))), 12]
    percent = draw(st.booleans())
    total = Decimal(100) if percent else budget
    shares = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    plan = [(total * share / 10_000).quantize(Decimal("0.01")) for share in shares] + [total.quantize(Decimal("0.01"))]
    purpose = (
        "用于" + draw(st.sampled_from(SUBJECTS)).replace("，", "") + draw(st.sampled_from(("系列支出", "日常运行和维护", "的各项支出")))
    )
    goals = draw(
        st.lists(st.sampled_from(SUBJECTS).map(lambda s: "加强" + s.replace("，", "") + "工作，提升服务水平"), min_size=1, max_size=4)
    )
    scheme = draw(st.sampled_from((OLDER, NEWER)))
    return ProjectSpec(code, name, budget, fiscal, other, purpose, months, plan, percent, goals, draw(rows_of(scheme)))


@st.composite
def layouts(draw) -> Layout:
    l3 = draw(st.integers(8, 14))
    widths = {
        "一级指标": draw(st.sampled_from((8, 10, 12))),
        "二级指标": draw(st.integers(8, 12)),
        "三级指标": l3,
        "绩效指标描述": draw(st.integers(max(16, l3 + 4), 30)),
        "指标值": draw(st.integers(10, 16)),
        "指标值确定依据": draw(st.integers(8, 14)),
    }
    county = draw(st.sampled_from(COUNTIES))
    header = draw(st.one_of(st.none(), st.sampled_from((f"{county}某某局2024年部门预算公开", f"{county}2024年度部门预算绩效目标"))))
    return Layout(
        widths,
        draw(st.sampled_from((0.0, 0.3, 0.6, 0.9))),
        draw(st.integers(25, 70)),
        draw(st.sampled_from(("- {n} -", "第 {n} 页", "{n}", "第{n}页", "—{n}—"))),
        header,
        draw(st.booleans()),
        draw(st.booleans()),
        draw(st.sampled_from((0.0, 0.0, 0.2))),
        draw(st.sampled_from((False, False, True))),
        draw(st.integers(0, 2**32)),
    )


@st.composite
def documents(draw, max_projects: int = 4) -> DocSpec:
    year = draw(st.integers(2021, 2029))
    county = draw(st.integers(1, 99))
    region = f"1305{county:02d}"
    unit_name = draw(st.sampled_from(COUNTIES)) + draw(st.sampled_from(UNIT_NAMES)) + "本级"
    count = draw(st.integers(1, max_projects))
    specs = [draw(projects(year, region, n)) for n in range(1, count + 1)]
    goal = draw(
        st.one_of(st.none(), st.just("坚持以人民为中心的发展思想，" + "，".join(p.name for p in specs) + "按计划实施，确保资金使用效益。"))
    )
    dept_code = f"{draw(st.integers(100, 999))}{draw(st.integers(0, 999)):03d}"
    layout = draw(layouts())
    for p in specs:  # a value is not broken at its space: where it would not fit, it is printed without one
        for row in p.rows:
            if " " in row.value.text and width(row.value.text) > layout.widths["指标值"]:
                row.value.text = row.value.text.replace(" ", "")
    return DocSpec(dept_code, unit_name, draw(st.sampled_from(("万元", "元"))), year, goal, specs, layout)


# ---------------------------------------------------------------- what the document says


def expected(doc: DocSpec) -> TargetSet:
    scale = Decimal(10000) if doc.money_unit == "万元" else Decimal(1)
    dept = Department(doc.dept_code, doc.dept_name, None, doc.projects[0].code[:6])
    if doc.overall_goal:
        dept.goals.append(DeptGoal("总体绩效目标", None, doc.overall_goal))
    projects = []
    for p in doc.projects:
        budget = (p.budget * scale).quantize(Decimal("0.01"))
        if p.percent:
            amounts = [(budget * v / 100).quantize(Decimal("0.01")) for v in p.plan]
        else:
            amounts = [(v * scale).quantize(Decimal("0.01")) for v in p.plan]
        plan = [Checkpoint(_month_end(doc.year, m), a) for m, a in zip(p.months, amounts)]
        indicators = [
            Indicator(r.level1, r.level2, r.level3, r.description, r.value.text, r.value.op, r.value.number, r.value.unit, r.basis)
            for r in p.rows
        ]
        other = ((p.other or Decimal(0)) * scale).quantize(Decimal("0.01"))
        fiscal = (p.fiscal * scale).quantize(Decimal("0.01"))
        projects.append(Project(doc.dept_code, p.code, p.name, budget, fiscal, other, p.purpose, p.goals, plan, indicators))
    return TargetSet(doc.year, [dept], projects)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


# ---------------------------------------------------------------- wrapping


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_UNIT = re.compile(r"[≥≤<>=]*[0-9A-Za-z.]+[%‰]?|[（(《“「]*[^\s（(《“「][，。、；：）)》”」%‰]*|\s")


def wrap(text: str, columns: int) -> list[str]:
    """Lines of `text` in a column `columns` wide, as a browser breaks CJK text: anywhere but inside
    a number or Latin word, before closing punctuation or after opening punctuation; a space at a
    break disappears."""
    lines, line = [], ""
    for unit in _UNIT.findall(text):
        if line and width(line + unit.rstrip()) > columns:
            lines.append(line.rstrip())
            line = "" if unit.isspace() else unit
        else:
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


# ---------------------------------------------------------------- text


class _Text:
    """The lines of a text extraction, with the page breaks the layout makes."""

    def __init__(self, doc: DocSpec) -> None:
        import random

        self.layout = doc.layout
        self.random = random.Random(doc.layout.seed)
        self.out: list[str] = []
        self.page = 1
        self.on_page = 0
        self.in_table: list[list[str]] | None = None  # the header lines to print again after a break

    def line(self, text: str) -> None:
        if self.on_page >= self.layout.page_lines:
            self.break_page()
        self.out.append(text)
        self.on_page += 1
        if self.random.random() < self.layout.blank_after:
            self.out.append("")

    def break_page(self, new_project: bool = False) -> None:
        self.out.append(self.layout.page_number.format(n=self.page))
        self.page += 1
        self.on_page = 0
        self.out.append("\f")  # the form feed, which extraction turns into a leading space
        if self.layout.running_header:
            self.line(self.layout.running_header)
        if self.in_table is not None and self.layout.repeat_header and not new_project:
            for text in self.in_table:
                self.line(text)

    def text(self) -> str:
        joined = "\n".join(self.out) + "\n"
        return joined.replace("\f\n", "\f" if self.layout.form_feed else " ")


def render_text(doc: DocSpec) -> str:
    out = _Text(doc)
    if doc.layout.running_header:
        out.line(doc.layout.running_header)
    if doc.overall_goal:
        for text in ("第一部分", "部门整体绩效目标", "一、总体绩效目标", "总体绩效目标", *wrap(doc.overall_goal, 68)):
            out.line(text)
        out.break_page(new_project=True)
    out.line("第二部分")
    out.line("预算项目绩效目标")
    for n, p in enumerate(doc.projects, start=1):
        if n > 1:
            out.in_table = None
            out.break_page(new_project=True)
        _project_text(out, doc, n, p)
    out.out.append(doc.layout.page_number.format(n=out.page))
    return out.text()


def _project_text(out: _Text, doc: DocSpec, n: int, p: ProjectSpec) -> None:
    split = out.random.randint(0, len(p.code) - 1) if out.random.random() < 0.7 else 0
    name_lines = wrap(p.name, out.random.choice((20, 28, 40)))
    other = "" if p.other is None else f" {p.other:.2f}"
    for text in (
        f"{n}.{p.name}绩效目标表",
        f"{doc.dept_code} {doc.dept_name} 单位：{doc.money_unit}",
        "项目编码",
        *([p.code[:split], p.code[split:]] if split else [p.code]),
        f"项目名称 {name_lines[0]}",
        *name_lines[1:],
        "预算规模及",
        "资金用途",
        f"预算数 {p.budget:.2f}",
        "其中：财政",
        "资金",
        f"{p.fiscal:.2f} 其他资金{other}",
        *wrap(p.purpose, 28),
        "资金支出计",
        "划（%）",
        " ".join(f"{m} 月底" for m in p.months),
        " ".join(f"{v:.2f}" for v in p.plan),
        "绩效目标",
        *(line for k, goal in enumerate(p.goals, start=1) for line in wrap(f"{k}.{goal}", 76)),
    ):
        out.line(text)
    header = _row_lines(out, list(HEADER), [False] * 6)
    for text in header:
        out.line(text)
    out.in_table = header  # printed again after a page break from here on
    for k, row in enumerate(p.rows):
        first_of_1 = k == 0 or p.rows[k - 1].level1 != row.level1
        first_of_2 = first_of_1 or p.rows[k - 1].level2 != row.level2
        span1 = sum(1 for r in p.rows[k:] if r.level1 == row.level1) if first_of_1 else 0
        span2 = _span(p.rows, k) if first_of_2 else 0
        cells = [
            row.level1 if first_of_1 else None,
            row.level2 if first_of_2 else None,
            row.level3,
            row.description,
            row.value.text,
            row.basis,
        ]
        merged = [span1 > 1, span2 > 1, False, False, False, False]
        for text in _row_lines(out, cells, merged):
            out.line(text)


def _span(rows: list[Row], k: int) -> int:
    n = 0
    while k + n < len(rows) and rows[k + n].level1 == rows[k].level1 and rows[k + n].level2 == rows[k].level2:
        n += 1
    return n


def _row_lines(out: _Text, cells: list[str | None], merged: list[bool]) -> list[str]:
    """One table row as extraction writes it: its cells left to right; single-line cells side by
    side share a line, a wrapped cell gives a line per line, a merged cell stands alone."""
    lines: list[str] = []
    group: list[str] = []
    layout = out.layout
    for column, cell in enumerate(cells):
        if cell is None:
            continue
        wrapped = wrap(cell, layout.widths[HEADER[column]])
        alone = merged[column] or out.random.random() < layout.lone_cells
        if len(wrapped) == 1 and not alone:
            group.append(wrapped[0])
            continue
        if group:
            lines.append(" ".join(group))
            group = []
        if len(wrapped) == 1:
            lines.append(wrapped[0])
        elif layout.glue_tail and not merged[column] and column < 5:
            lines += wrapped[:-1]
            group = [wrapped[-1]]
        else:
            lines += wrapped
    if group:
        lines.append(" ".join(group))
    return lines


# ---------------------------------------------------------------- HTML for the PDF


def render_html(doc: DocSpec) -> str:
    """The document as a page for Chromium to print: part one as paragraphs, per project a ruled
    head table and an indicator table whose header row is repeated on every page it runs on to."""
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>',
        'body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 14px; }',
        "h1, h2, h3 { font-size: 16px; font-weight: normal; } p { margin: 4px 0; }",
        ".project { break-before: page; } table { border-collapse: collapse; width: 100%; }",
        "td { border: 1px solid #000; padding: 3px; font-size: 12px; } thead { display: table-header-group; }",
        "</style></head><body>",
    ]
    if doc.overall_goal:
        parts += ["<h1>第一部分</h1><h2>部门整体绩效目标</h2><h3>一、总体绩效目标</h3>", f"<p>{e(doc.overall_goal)}</p>"]
    widths = doc.layout.widths
    total = sum(widths.values())
    for n, p in enumerate(doc.projects, start=1):
        parts.append('<div class="project">' + ("<h1>第二部分</h1><h2>预算项目绩效目标</h2>" if n == 1 else ""))
        spacer = (doc.layout.seed >> (n % 16)) % 300  # moves the page breaks to other rows
        parts.append(f'<div style="height:{spacer}px"></div><h3>{n}.{e(p.name)}绩效目标表</h3>')
        parts.append(f"<p>{e(doc.dept_code)} {e(doc.dept_name)} 单位：{doc.money_unit}</p>")
        other = "" if p.other is None else f"{p.other:.2f}"
        months = "".join(f"<td>{m} 月底</td>" for m in p.months)
        plan = "".join(f"<td>{v:.2f}</td>" for v in p.plan)
        cols = len(p.months)
        goals = "<br>".join(f"{k}.{e(g)}" for k, g in enumerate(p.goals, start=1))
        parts += [
            "<table>",
            f'<tr><td>项目编码</td><td colspan="2">{e(p.code)}</td><td>项目名称</td><td colspan="3">{e(p.name)}</td></tr>',
            f'<tr><td rowspan="2">预算规模及资金用途</td><td>预算数</td><td>{p.budget:.2f}</td>'
            f"<td>其中：财政资金</td><td>{p.fiscal:.2f}</td><td>其他资金</td><td>{other}</td></tr>",
            f'<tr><td colspan="6">{e(p.purpose)}</td></tr>',
            f'<tr><td rowspan="2">资金支出计划（%）</td>{months}</tr><tr>{plan}</tr>',
            f'<tr><td>绩效目标</td><td colspan="{max(cols, 6)}">{goals}</td></tr>',
            "</table>",
            "<table><colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths.values()) + "</colgroup>",
            "<thead><tr>" + "".join(f"<td>{h}</td>" for h in HEADER) + "</tr></thead><tbody>",
        ]
        for k, row in enumerate(p.rows):
            first_of_1 = k == 0 or p.rows[k - 1].level1 != row.level1
            first_of_2 = first_of_1 or p.rows[k - 1].level2 != row.level2
            cells = ""
            if first_of_1:
                cells += f'<td rowspan="{sum(1 for r in p.rows[k:] if r.level1 == row.level1)}">{row.level1}</td>'
            if first_of_2:
                cells += f'<td rowspan="{_span(p.rows, k)}">{row.level2}</td>'
            cells += "".join(f"<td>{e(t)}</td>" for t in (row.level3, row.description, row.value.text, row.basis))
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table></div>")
    parts.append("</body></html>")
    return "\n".join(parts)
