"""The published 绩效目标 document, whatever its carrier (extracted text or PDF).

A document has a part one (部门整体绩效目标: paragraphs under numbered headings) and one
table per project (项目编码, 预算数, 资金支出计划, 绩效目标, then the indicator rows). The
readers in `text` and `pdf` cut a document into these raw pieces; this module turns the raw
pieces into a `TargetSet` with one set of rules, checks what was read (`checks`), and reports
every problem with the file and the line (text) or page and table row (PDF).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from monitor.errors import InputError, InputProblem, problem
from monitor.i18n import Msg, msg
from monitor.ingest.document.checks import Doubt, Read, check_project
from monitor.ingest.notation import parse_target
from monitor.ingest.target_set import Checkpoint, Department, DeptGoal, DeptIndicator, Indicator, Project, TargetSet

Line = tuple[int | None, str]  # (line number in the text, or table row in a PDF; text)

MONEY_UNITS = {"万元": Decimal(10000), "元": Decimal(1)}
_NUMBER = r"-?\d[\d,]*(?:\.\d+)?"

# Structure lines shared by every carrier.
PART_ONE = re.compile(r"第一部分|部门整体绩效目标")
PART_TWO = re.compile(r"第二部分|预算项目绩效目标")
TABLE_TITLE = re.compile(r"\d+\s*[.．、]\s*\S.*绩效目标表")
DEPT_HEADER = re.compile(r"(?P<code>[0-9A-Za-z]{3,})\s+(?P<name>\S.*?)\s*单位\s*[：:]\s*(?P<unit>万元|元)")
PAGE_NUMBER = re.compile(r"[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+")


# PDF fonts often map common characters to look-alike radicals (⼀ for 一, ⻔ for 门): the
# Kangxi radicals have compatibility mappings (to the traditional form where it differs, so
# ⼾ and ⿈ are mapped to 户 and 黄 first); the simplified radicals need a table.
_RADICALS = str.maketrans(
    "⼾⿈⺟⺠⻄⻅⻆⻉⻋⻓⻔⻘⻚⻛⻜⻝⻢⻣⻤⻥⻦⻨⻩⻬⻮⻰⻳", "户黄母民西见角贝车长门青页风飞食马骨鬼鱼鸟麦黄齐齿龙龟"
)


def normalize_cjk(text: str) -> str:
    text = text.translate(_RADICALS)
    return re.sub(r"[\u2f00-\u2fd5]", lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


@dataclass
class RawIndicator:
    level1: str
    level2: str
    level3: str
    description: str
    value: str
    basis: str
    file: str | Msg  # the file, or its page for a PDF
    row: int | None  # the line (text) or the table row on its page (PDF) the row starts on
    rows: list[int] = field(default_factory=list)  # every line of the file it was read from (text)
    page: int | None = None  # the page it is on (PDF)
    doubts: list[Msg] = field(default_factory=list)  # what the reader was not sure of
    cells: list[str] | None = None  # every cell of its table row (PDF), to check that the fields hold them all


@dataclass
class RawProject:
    """One project table: its head as lines of text, its indicator rows already in cells."""

    dept_code: str
    dept_name: str
    money_unit: str
    file: str | Msg
    row: int | None
    head: list[Line] = field(default_factory=list)
    indicators: list[RawIndicator] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)  # the pages its table is on (PDF)


@dataclass
class RawPartOne:
    dept_code: str
    file: str
    lines: list[Line]


@dataclass
class RawDocument:
    file: str
    projects: list[RawProject] = field(default_factory=list)
    part_ones: list[RawPartOne] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    text_lines: list[str] = field(default_factory=list)  # the file's lines, for a text document

    def proposed_year(self) -> int | None:
        """The fiscal year is not printed; project codes carry it after the 6-digit region code
        (`130529` `23` `P…` → 2023). The most common such year, if any."""
        years = Counter(2000 + int(p.code[6:8]) for p in self.heads() if re.match(r"\d{8}", p.code))
        return years.most_common(1)[0][0] if years else None

    def heads(self) -> list[ProjectHead]:
        return [read_head(p) for p in self.projects]


def is_structure_line(text: str) -> bool:
    return bool(PART_ONE.fullmatch(text) or PART_TWO.fullmatch(text) or TABLE_TITLE.fullmatch(text) or DEPT_HEADER.fullmatch(text))


class Segmenter:
    """Walks the lines of a document in reading order and sorts them into part one and
    project tables. Text tables arrive as lines (`line`), PDF tables as cells (`table_project`)."""

    def __init__(self, file: str) -> None:
        self.doc = RawDocument(file)
        self.dept: tuple[str, str, str] | None = None
        self.part_one: list[Line] | None = None  # collecting part one
        self.pending_part_ones: list[list[Line]] = []  # part ones waiting for their department
        self.project: RawProject | None = None  # a text project collecting lines

    def line(self, file: str | Msg, row: int | None, text: str) -> None:
        if PART_ONE.fullmatch(text):
            self._close()
            self.part_one = []
        elif PART_TWO.fullmatch(text):
            self._close()
        elif TABLE_TITLE.fullmatch(text):
            pass  # before the next 项目编码, or printed again on a page a table runs on to
        elif match := DEPT_HEADER.fullmatch(text):
            self.dept = (match["code"], match["name"], match["unit"])
        elif re.match(r"项\s*目\s*编\s*码", text):
            self._close()
            self.project = self._new_project(file, row)
            if self.project:
                self.project.head.append((row, text))
        elif self.project is not None:
            self.project.head.append((row, text))
        elif self.part_one is not None:
            self.part_one.append((row, text))

    def table_project(self, file: str | Msg, row: int | None, head: list[Line], indicators: list[RawIndicator]) -> None:
        self._close()
        project = self._new_project(file, row)
        if project:
            project.head, project.indicators = head, indicators
            self.doc.projects.append(project)

    def finish(self) -> RawDocument:
        self._close()
        if self.pending_part_ones and self.doc.projects:
            for lines in self.pending_part_ones:
                self.doc.part_ones.append(RawPartOne(self.doc.projects[-1].dept_code, self.doc.file, lines))
        if not self.doc.projects:
            self.doc.problems.append(problem(self.doc.file, None, None, None, "err_no_project_table"))
        return self.doc

    def _new_project(self, file: str | Msg, row: int | None) -> RawProject | None:
        if self.dept is None:
            self.doc.problems.append(problem(file, row, None, None, "err_no_unit_line"))
            return None
        code, name, unit = self.dept
        for lines in self.pending_part_ones:
            self.doc.part_ones.append(RawPartOne(code, file, lines))
        self.pending_part_ones = []
        return RawProject(code, name, unit, file, row)

    def _close(self) -> None:
        if self.part_one:
            self.pending_part_ones.append(self.part_one)
        self.part_one = None
        if self.project is not None:
            self.doc.projects.append(self.project)
            self.project = None


# ---------------------------------------------------------------- project head


@dataclass
class ProjectHead:
    """The fields of a project table above its indicators, as printed."""

    code: str
    name: str
    budget: str
    fiscal: str
    other: str
    purpose: str
    months: list[int]
    plan_values: list[str]
    goals: list[str]
    problems: list[tuple[int | None, str, str, str]]  # (row, column, value, expected)


def _label(word: str) -> str:
    """A label as a regex that survives line breaks inside it (`预算规模及` / `资金用途`)."""
    return r"\s*".join(re.escape(c) for c in word)


_HEAD_LABELS = {
    "项目名称": _label("项目名称"),
    "预算数": _label("预算数"),
    "财政资金": _label("其中") + r"\s*[：:]?\s*" + _label("财政资金"),
    "其他资金": _label("其他资金"),
    "资金支出计划": _label("资金支出计划") + r"\s*(?:[（(][^）)]*[）)])?",
    "绩效目标": r"(?m)^\s*" + _label("绩效目标") + r"\s*$",
}


def read_head(p: RawProject) -> ProjectHead:
    text = "\n".join(t for _, t in p.head)
    starts = list(_line_starts(p.head))
    problems: list[tuple[int | None, str, str, Msg]] = []

    def row_at(offset: int) -> int | None:
        return p.head[bisect.bisect_right(starts, offset) - 1][0]

    found: dict[str, re.Match] = {}
    position = 0
    for name, pattern in _HEAD_LABELS.items():
        match = re.compile(pattern).search(text, position)
        if match is None:
            if name != "其他资金":
                problems.append((row_at(position), name, "", msg("err_head_missing", label=name)))
            continue
        found[name] = match
        position = match.end()

    def between(first: str | None, then: tuple[str, ...]) -> str:
        begin = found[first].end() if first else len(re.match(r"\s*" + _label("项目编码"), text).group(0))
        ends = [found[n].start() for n in then if n in found]
        return text[begin : ends[0] if ends else len(text)]

    labels = tuple(_HEAD_LABELS)
    code = re.sub(r"\s+", "", between(None, labels))
    name = re.sub(r"\s+|" + _label("预算规模及资金用途"), "", between("项目名称", labels[1:])) if "项目名称" in found else ""
    budget = between("预算数", labels[2:]).strip() if "预算数" in found else ""
    fiscal, purpose = _leading_number(between("财政资金", labels[3:])) if "财政资金" in found else ("", "")
    other = ""
    if "其他资金" in found:
        other, purpose = _leading_number(between("其他资金", labels[4:]))
    plan = between("资金支出计划", labels[5:]) if "资金支出计划" in found else ""
    months = [int(m) for m in re.findall(r"(\d{1,2})\s*月\s*[底末]", plan)]
    plan_values = re.findall(_NUMBER, re.sub(r"\d{1,2}\s*月\s*[底末]", " ", plan))
    goals = _numbered_items(text[found["绩效目标"].end() :]) if "绩效目标" in found else []
    for label, value in (("预算数", budget), ("财政资金", fiscal)):
        if label in found and not re.fullmatch(_NUMBER, value):
            row = row_at(found[label].end())
            problems.append((row, label, value, msg("err_head_number", name=name, label=label, unit=p.money_unit)))
    if "资金支出计划" in found and (not months or len(months) != len(plan_values)):
        problems.append((row_at(found["资金支出计划"].start()), "资金支出计划", plan.strip(), msg("err_plan_shape")))
    return ProjectHead(code, name, budget, fiscal, other, re.sub(r"\s+", "", purpose), months, plan_values, goals, problems)


def _leading_number(text: str) -> tuple[str, str]:
    """`2.00 用于…` → (`2.00`, `用于…`): a cell value followed by the next cell's text."""
    text = text.strip()
    number = re.match(_NUMBER + r"(?=\s|$)", text)
    return (number.group(0), text[number.end() :]) if number else ("", text)


def _line_starts(lines: list[Line]):
    offset = 0
    for _, t in lines:
        yield offset
        offset += len(t) + 1


def _numbered_items(text: str) -> list[str]:
    """`1.甲 / 续行 / 2.乙` → [`甲续行`, `乙`]; unnumbered text is one item."""
    items: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        numbered = re.match(r"\d+\s*[.．、]\s*", line)
        if numbered or not items:
            items.append(line[numbered.end() :] if numbered else line)
        else:
            items[-1] += line
    return [i for i in items if i]


# ---------------------------------------------------------------- part one


@dataclass
class _Item:
    ordinal: str | None
    heading: str | None
    paragraphs: list[list[str]] = field(default_factory=list)  # [label, text]


def read_part_one(part: RawPartOne) -> tuple[list[DeptGoal], list[DeptIndicator]]:
    """Sections `一、…` with items `（一）…`; an item's paragraphs may start with `绩效目标：`
    or `绩效指标：`, which put them in the section named with that label (分项绩效目标 →
    分项绩效指标). Every sentence of a 绩效指标 paragraph is a department indicator."""
    sections: list[tuple[str, list[_Item]]] = []
    for _, text in part.lines:
        heading = re.fullmatch(r"[一二三四五六七八九十]+\s*、\s*(.+)", text)
        item = re.fullmatch(r"[（(]([一二三四五六七八九十]+)[）)]\s*(.+)", text)
        if heading:
            sections.append((heading.group(1).strip(), []))
        elif not sections or (not sections[-1][1] and text == sections[-1][0]):
            continue  # the section's name repeated as a table header
        elif item:
            sections[-1][1].append(_Item(item.group(1), item.group(2).strip()))
        else:
            items = sections[-1][1]
            if not items:
                items.append(_Item(None, None))
            labelled = re.match(r"(绩效目标|绩效指标)\s*[：:]\s*", text)
            if labelled or not items[-1].paragraphs:
                items[-1].paragraphs.append([labelled.group(1) if labelled else "", text[labelled.end() :] if labelled else text])
            else:
                items[-1].paragraphs[-1][1] += text
    goals: list[DeptGoal] = []
    indicators: list[DeptIndicator] = []
    for section, items in sections:
        for item in items:
            for label, text in item.paragraphs:
                name = section[: -len("绩效目标")] + label if label and section.endswith("绩效目标") else section + label
                goals.append(DeptGoal(name, item.heading, text))
                if label == "绩效指标":
                    source = f"{name}（{item.ordinal}）{item.heading}" if item.ordinal else name
                    indicators.extend(_dept_indicators(text, source))
    order = list(dict.fromkeys(g.section for g in goals))
    goals.sort(key=lambda g: order.index(g.section))
    return goals, indicators


_MEASURE_UNITS = r"(?:%|％|‰|万元|万亩|万人|元|个|种|次|人次|人|家|项|场|期|篇|所|名|户|天|小时|台|套|件|份|本|册|亩|公里|吨|平方米)"
_CN_OR_NUMBER = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)"
_MEASURABLE = re.compile(
    r"(?:达到|不低于|不少于|不小于|不高于|不超过|不多于|至少|超过|高于|低于|大于|小于|≥|≤)\s*" + _CN_OR_NUMBER + r"\s*" + _MEASURE_UNITS
    + r"|\d+(?:\.\d+)?\s*" + _MEASURE_UNITS + r"\s*(?:及以上|以上|以内|以下)"
)  # fmt: skip


def _dept_indicators(text: str, source: str) -> list[DeptIndicator]:
    found = []
    for sentence in re.findall(r"[^。]+。?", text):
        sentence = sentence.strip()
        if not sentence:
            continue
        measurable = _MEASURABLE.search(sentence)
        if measurable:
            target = parse_target(measurable.group(0))
            found.append(DeptIndicator(sentence, measurable.group(0), target.op, target.value, target.unit, source))
        else:
            found.append(DeptIndicator(sentence, sentence.rstrip("。"), "qual", None, None, source))
    return found


# ---------------------------------------------------------------- assembling


@dataclass
class Source:
    """Where a project was read from, for showing the source beside what was read."""

    project_code: str
    lines: list[tuple[int, str]]  # the lines of the file its table was read from, numbered (text)
    pages: list[int]  # the pages its table is on (PDF)
    indicator_lines: list[list[int]]  # per indicator, its line numbers (text) or its page (PDF)


@dataclass
class DocumentReading:
    targets: TargetSet
    doubts: list[Doubt]
    sources: list[Source]


def to_targets(doc: RawDocument, year: int) -> DocumentReading:
    """The document's targets for `year`, the doubts about them and where each project is in the
    document; raises `InputError` with every problem found."""
    problems = list(doc.problems)
    departments: dict[str, Department] = {}
    projects: list[Project] = []
    doubts: list[Doubt] = []
    sources: list[Source] = []
    for raw in doc.projects:
        head = read_head(raw)
        problems += [
            InputProblem(raw.file, row, col, val, msg("err_in_project_code", code=head.code, problem=exp))
            for row, col, val, exp in head.problems
        ]
        dept = departments.setdefault(raw.dept_code, Department(raw.dept_code, raw.dept_name))
        if dept.region_code is None and re.match(r"\d{6}", head.code):
            dept.region_code = head.code[:6]
        project, found, reads = _project(raw, head, year)
        problems += found
        errors, project_doubts = check_project(head.code, head.name, raw.file, raw.row, reads)
        problems += errors
        doubts += project_doubts
        if project:
            projects.append(project)
            sources.append(_source(doc, raw, head))
    for part in doc.part_ones:
        goals, indicators = read_part_one(part)
        departments[part.dept_code].goals += goals
        departments[part.dept_code].indicators += indicators
    if problems:
        raise InputError(problems)
    return DocumentReading(TargetSet(year, list(departments.values()), projects), doubts, sources)


def _source(doc: RawDocument, raw: RawProject, head: ProjectHead) -> Source:
    if raw.pages:
        return Source(head.code, [], raw.pages, [[i.page] if i.page else [] for i in raw.indicators])
    last = max((n for i in raw.indicators for n in i.rows), default=raw.row or 1)
    first = min([raw.row or 1, *(n for n, _ in raw.head if n)])
    return Source(head.code, [(n, doc.text_lines[n - 1]) for n in range(first, last + 1)], [], [i.rows for i in raw.indicators])


def _project(raw: RawProject, head: ProjectHead, year: int) -> tuple[Project | None, list[InputProblem], list[Read]]:
    problems: list[InputProblem] = []

    def bad(row: int | None, column: str, value: str, expected: Msg) -> None:
        problems.append(
            InputProblem(raw.file, row, column, value, msg("err_in_project", code=head.code, name=head.name, where="", problem=expected))
        )

    unit = MONEY_UNITS[raw.money_unit]
    budget = _money(head.budget, unit)
    fiscal = _money(head.fiscal, unit)
    other = _money(head.other, unit) if head.other else Decimal("0.00")  # an empty 其他资金 cell means none
    plan = _plan(head, budget, unit, year, lambda column, value, expected: bad(raw.row, column, value, expected))
    reads: list[Read] = []
    for ind in raw.indicators:
        if not ind.value:
            no_value = msg("err_in_indicator", name=ind.level3, problem=msg("err_no_value"))
            problems.append(
                InputProblem(
                    ind.file, ind.row, "指标值", "", msg("err_in_project", code=head.code, name=head.name, where="", problem=no_value)
                )
            )
            continue
        target = parse_target(ind.value, ind.level2)
        description = ind.description or ind.level3
        indicator = Indicator(
            ind.level1, ind.level2, ind.level3, description, ind.value, target.op, target.value, target.unit, ind.basis or None
        )
        reads.append(Read(ind.file, ind.row, ind.doubts, ind.cells, indicator))
    if not raw.indicators:
        bad(raw.row, "绩效指标", "", msg("err_no_indicator_rows"))
    if problems or head.problems or budget is None or fiscal is None or plan is None:
        return None, problems, reads
    indicators = [r.indicator for r in reads]
    project = Project(raw.dept_code, head.code, head.name, budget, fiscal, other, head.purpose or None, head.goals, plan, indicators)
    project.where = msg("where_row", file=raw.file, row=raw.row) if raw.row else msg("where_file", file=raw.file)
    return project, problems, reads


def _money(text: str, unit: Decimal) -> Decimal | None:
    try:
        return (Decimal(text.replace(",", "")) * unit).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _plan(head: ProjectHead, budget: Decimal | None, unit: Decimal, year: int, bad) -> list[Checkpoint] | None:
    """Cumulative amounts when the last value equals the budget, percentages when it is 100."""
    if budget is None or not head.months or len(head.months) != len(head.plan_values):
        return None
    values = [Decimal(v.replace(",", "")) for v in head.plan_values]
    if abs(values[-1] * unit - budget) <= Decimal("0.01"):
        amounts = [(v * unit).quantize(Decimal("0.01")) for v in values]
    elif values[-1] == 100:
        amounts = [(budget * v / 100).quantize(Decimal("0.01")) for v in values]
    else:
        bad("资金支出计划", " ".join(head.plan_values), msg("err_plan_last_value", budget=head.budget))
        return None
    bad_months = [m for m in head.months if not 1 <= m <= 12]
    if bad_months:
        bad("资金支出计划", " ".join(map(str, bad_months)), msg("err_plan_month"))
        return None
    return [Checkpoint(_month_end(year, m), a) for m, a in zip(head.months, amounts)]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
