"""Reading the text extracted from a published 绩效目标 PDF.

Extraction flattens the tables: a cell's wrapped lines become separate lines (`研究院利用` /
`率`), cells of one visual line are joined by spaces, blank lines fall between rows, and a
line that starts with a single space is the first of a new page. The project head is read
by `document.read_head`; the indicator rows are rebuilt here from the stream of text pieces:
a 二级指标 starts a row, the target value (`≥95%`, `1 家`, `一年一次`, `优`) splits what
describes the indicator from its 依据, and 三级指标 is told from 绩效指标描述 by the rule
that both are the same text, or else by the wrap width of the 三级指标 column.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from monitor.ingest.document.layout import (
    LEVEL1,
    LEVEL2,
    PAGE_NUMBER,
    Line,
    RawDocument,
    RawIndicator,
    RawProject,
    Segmenter,
    is_structure_line,
    normalize_cjk,
)
from monitor.ingest.notation import parse_target

_COMPARATORS = ("≥", "≤", ">", "<", "=", "＞", "＜", "＝", ">=", "<=")
_NUMERIC = re.compile(r"[≥≤<>=＞＜＝]{0,2}\d+(?:\.\d+)?%?")
_UNITS = {
    "%",
    "家",
    "次",
    "人",
    "万元",
    "元",
    "个",
    "项",
    "场",
    "篇",
    "所",
    "名",
    "户",
    "天",
    "小时",
    "台",
    "套",
    "件",
    "份",
    "本",
    "册",
    "亩",
}
_UNITS |= {"公里", "吨", "平方米", "种", "期", "人次", "批", "座", "年", "月", "日", "分", "级", "万亩", "万人", "万册"}
_GRADES = {"优", "良", "中", "差", "优秀", "良好", "合格", "达标"}


def read_text(text: str, file: str) -> RawDocument:
    segmenter = Segmenter(file)
    for row, line in _clean_lines(text):
        segmenter.line(file, row, line)
    doc = segmenter.finish()
    rows = {id(p): _rows(p) for p in doc.projects}
    level3_width = _level3_wrap_width([r for project_rows in rows.values() for r in project_rows])
    for project in doc.projects:
        indicator_start = next((i for i, (_, t) in enumerate(project.head) if t.startswith("一级指标")), len(project.head))
        project.head = project.head[:indicator_start]
        for row in rows[id(project)]:
            project.indicators += _indicators(row, project, level3_width)
    return doc


def _clean_lines(text: str) -> list[Line]:
    """Non-blank lines, stripped, without page numbers and running page headers.

    A running header is a line that starts a page (leading space) more than once and is not
    a structure line such as a table title."""
    lines = [(n, normalize_cjk(raw.replace("\x0c", " ")).rstrip()) for n, raw in enumerate(text.splitlines(), start=1)]
    page_starts = Counter(t.strip() for _, t in lines if t.startswith(" ") and not t.startswith("  "))
    running = {t for t, count in page_starts.items() if count > 1 and not is_structure_line(t)}
    return [(n, t.strip()) for n, t in lines if t.strip() and not PAGE_NUMBER.fullmatch(t.strip()) and t.strip() not in running]


@dataclass
class _Piece:
    text: str
    row: int


@dataclass
class _Row:
    level1: str
    level2: str
    row: int
    pieces: list[_Piece] = field(default_factory=list)
    split: int | None = None  # where 三级指标 ends when it equals 绩效指标描述


def _pieces(lines: list[Line]) -> list[_Piece]:
    """Space-separated cells of each line; a number and its unit (`1 家`) stay one piece."""
    pieces = []
    for row, text in lines:
        tokens = text.split()
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token in _COMPARATORS and i + 1 < len(tokens):
                i += 1
                token += tokens[i]
            if _NUMERIC.fullmatch(token) and i + 1 < len(tokens) and tokens[i + 1] in _UNITS:
                i += 1
                token = f"{token} {tokens[i]}"
            pieces.append(_Piece(token, row))
            i += 1
    return pieces


def _vocabulary(pieces: list[_Piece], i: int, words: tuple[str, ...]) -> tuple[str, int] | None:
    """The word of `words` that the pieces from `i` spell, allowing it to be wrapped."""
    joined = ""
    for n in range(1, 4):
        if i + n > len(pieces):
            break
        joined += pieces[i + n - 1].text
        if joined in words:
            return joined, n
    return None


def _rows(project: RawProject) -> list[_Row]:
    start = next((i for i, (_, t) in enumerate(project.head) if t.startswith("一级指标")), None)
    if start is None:
        return []
    pieces = _pieces(project.head[start:])
    rows: list[_Row] = []
    level1 = ""
    i = 0
    while i < len(pieces):
        level2 = _vocabulary(pieces, i, LEVEL2)
        level1_match = _vocabulary(pieces, i, LEVEL1)
        follows = level2 and _vocabulary(pieces, i + level2[1], LEVEL2)
        if level1_match and (not level2 or follows):  # 成本指标 is a 一级指标 when a 二级指标 follows it
            level1 = level1_match[0]
            i += level1_match[1]
        elif level2:
            rows.append(_Row(level1, level2[0], pieces[i].row))
            i += level2[1]
        else:
            if rows:  # pieces before the first row are the wrapped table header
                rows[-1].pieces.append(pieces[i])
            i += 1
    for row in rows:
        row.split = _equal_split(row.pieces[: _value_index(row.pieces) or 0])
    return rows


def _is_value(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    if compact in _GRADES:
        return True
    if len(compact) > 8 or parse_target(compact).op == "qual":
        return False
    return bool(re.match(r"[≥≤<>=＞＜＝]|\d|一年|每|全年", compact)) or len(compact) <= 4


def _value_index(pieces: list[_Piece]) -> int | None:
    return next((k for k in range(1, len(pieces)) if _is_value(pieces[k].text)), None)


def _equal_split(pieces: list[_Piece]) -> int | None:
    """k such that pieces[:k] and pieces[k:] spell the same text (三级指标 = 绩效指标描述)."""
    texts = [p.text for p in pieces]
    for k in range(1, len(texts)):
        if "".join(texts[:k]) == "".join(texts[k:]):
            return k
    return None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _level3_wrap_width(rows: list[_Row]) -> int | None:
    """The widest 三级指标 line among rows where it equals the description (the column's width)."""
    widths = [_width(p.text) for r in rows if r.split for p in r.pieces[: r.split]]
    return max(widths) if widths else None


def _split_names(pieces: list[_Piece], width: int | None) -> tuple[str, str]:
    """(三级指标, 绩效指标描述) from the pieces before the value."""
    texts = [p.text for p in pieces]
    k = _equal_split(pieces)
    if k is None:
        k = 1
        # 三级指标 continues while its last line was full and the next one fits its column
        while width and k < len(texts) - 1 and _width(texts[k - 1]) >= width - 2 and _width(texts[k]) <= width:
            k += 1
    level3 = "".join(texts[:k])
    return level3, "".join(texts[k:]) or level3


def _indicators(row: _Row, project: RawProject, level3_width: int | None) -> list[RawIndicator]:
    """One row of a 二级指标 holds one indicator, or several when that cell spans rows."""
    pieces = row.pieces
    values = [k for k in range(1, len(pieces)) if _is_value(pieces[k].text)]
    values = [k for n, k in enumerate(values) if n == 0 or k - values[n - 1] > 1]
    if not values:
        # a value in words: after a 三级指标 that equals its description, with 依据 after it
        values = [m for m in range(2, len(pieces) - 1) if _equal_split(pieces[:m]) is not None][:1]
    if not values:
        level3, description = _split_names(pieces, level3_width) if pieces else ("", "")
        return [RawIndicator(row.level1, row.level2, level3, description, "", "", project.file, row.row)]
    found = []
    start = 0
    for n, v in enumerate(values):
        level3, description = _split_names(pieces[start:v], level3_width)
        end = values[n + 1] if n + 1 < len(values) else len(pieces)
        basis_end = _next_start(pieces[v + 1 : end]) + v + 1 if n + 1 < len(values) else end
        basis = "".join(p.text for p in pieces[v + 1 : basis_end])
        found.append(RawIndicator(row.level1, row.level2, level3, description, pieces[v].text, basis, project.file, pieces[start].row))
        start = basis_end
    return found


def _next_start(pieces: list[_Piece]) -> int:
    """Where the next indicator of the same 二级指标 starts among the pieces between two
    values: the first cut after which 三级指标 equals its description; else the last piece."""
    for s in range(len(pieces)):
        if _equal_split(pieces[s:]) is not None:
            return s
    return max(len(pieces) - 1, 0)
