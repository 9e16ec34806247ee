"""The indicator table of extracted text, read as a table.

Extraction writes each row's cells left to right. Cells that fit on one line and sit side by side
share a text line, separated by spaces (`数量指标 研究院数量 研究院数量 1 家`); a cell wrapped over
several lines gives a text line per line of the cell (`研究院利用` / `率`). Each column wraps at a
width that is fixed within a document, so a wrapped line is full (the next character of its cell
would not have fitted) and a line with room to spare ends its cell.

The reader cuts the lines into tokens and looks for the reading of the whole table that the
layout allows at the least cost, a shortest path over token positions:
- hard rules: a row is [一级指标] [二级指标] 三级指标 绩效指标描述 指标值 依据; level names come
  from the vocabulary of both schemes; only a full line continues a cell on the next line; two
  cells side by side on a line are two cells (a space joins only a number to its unit or text);
  no header word, level name or value notation stands in a text cell;
- soft rules: the description repeats or extends the 三级指标; a value is in the notation or a
  known qualitative word; a cell's lines fit its column.
The column widths are learned from the document: a first reading without widths gives the
usual width of each column's wrapped lines, a second uses them, a third the exact widths the
second found. Readings almost as cheap as the chosen one are doubts, reported on the rows they
touch, as are the soft rules the chosen reading had to break.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

from monitor.i18n import Msg, msg
from monitor.ingest.document.vocabulary import HEADER_WORDS, LEVEL1, LEVEL2, QUALITATIVE, compact
from monitor.ingest.notation import FREQUENCY_WORDS, UNIT_WORDS, known_unit, parse_target

Line = tuple[int, str]  # (line number in the file, text)

L1, L2, L3, DESC, VALUE, BASIS = range(6)
COLUMN_NAMES = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
_WIDTH_COLUMNS = (L3, DESC, VALUE, BASIS)  # the columns whose wrap width is learned; levels are read by vocabulary

# Costs of a reading. Hard rules are not costs: a reading breaking one is not considered.
FULL_LINE_ENDS = 0.3  # a full line ends its cell though the next line could have continued it
LOOSE_WRAP = 0.8  # a line continued although one more character would nearly have fitted
WRAP_FROM_MIDLINE = 1.5  # a cell that starts after another on its line and wraps
WRAP_UNKNOWN_WIDTH = 0.5  # a continued line in a column whose width is not known yet
SPACE_IN_TEXT = 0.3  # a space inside a text cell, beside a number or Latin word
TOO_WIDE = 4.0  # a line wider than its column
UNRELATED_DESCRIPTION = 2.0  # at most, for a description sharing nothing with its 三级指标
NO_DESCRIPTION = 5.0
NO_BASIS = 3.0
NO_VALUE = 5.0
UNKNOWN_VALUE_WORD = 4.0
DOUBT_MARGIN = 1.0  # another reading within this of the best is a doubt
MIN_COLUMN = 6  # no text column is narrower than three characters (指标值)
WIDTH_SLACK = 1  # a line counts as full when one more unit would have overflowed by more than this

_LEVEL_WORDS = {L1: frozenset(LEVEL1), L2: frozenset(LEVEL2)}
_LEVEL_PREFIXES = {col: frozenset(w[:k] for w in words for k in range(1, len(w))) for col, words in _LEVEL_WORDS.items()}
_NOT_TEXT = frozenset(LEVEL1) | frozenset(LEVEL2) | HEADER_WORDS
_UNIT_SET = frozenset(UNIT_WORDS)
_COMPARISON_START = re.compile(r"[≥≤<>=＞＜＝]")
_LATIN = re.compile(r"[0-9A-Za-z.%‰≥≤<>=＞＜＝]")
_UNBREAKABLE_START = re.compile(r"[≥≤<>=＞＜＝]*[0-9A-Za-z.]+[%‰％]?")
_BEFORE_NUMBER = re.compile(r"[^\d零一二两三四五六七八九十]*")
_COMPARISONS = (
    frozenset(
        ("", "≥", "≤", ">", "<", "=", ">=", "<=", "＞", "＜", "＝", "不低于", "不少于", "不小于", "不高于", "不超过", "不多于", "不大于")
    )
    | frozenset(("大于等于", "小于等于", "大于", "小于", "高于", "低于", "超过", "达到", "至少", "控制在"))
    | frozenset(FREQUENCY_WORDS)
)
_OPENING = "（([「『《〈“‘【"
_CLOSING = "，。、；：！？）)]」』》〉”’】％%‰·"
_STATES = 6
S0, A1, A2, AN, AV, AB = range(_STATES)  # start; after 一级, 二级, the names, the value, the basis (row done)


def width(text: str) -> int:
    """Display width: CJK characters take two columns, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@cache
def _first_unit_width(text: str) -> int:
    """The width of what a line break cannot split off the start of `text`: a number or Latin word,
    or one character with its brackets and the punctuation that may not start a line."""
    run = _UNBREAKABLE_START.match(text)
    if run:
        return width(run.group(0))
    end = 0
    while end < len(text) - 1 and text[end] in _OPENING:
        end += 1
    end += 1
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return width(text[:end])


@dataclass(frozen=True)
class Token:
    text: str
    line: int  # index of its line among the table's lines
    first: bool  # first token of its line
    last: bool  # last token of its line


@dataclass
class TextRow:
    """One indicator row as read: its cells, the lines it came from and the doubts about it."""

    level1: str
    level2: str
    level3: str
    description: str
    value: str
    basis: str
    rows: list[int]  # line numbers in the file
    doubts: list[Msg] = field(default_factory=list)


@dataclass
class TableReading:
    rows: list[TextRow]
    cost: float
    unreadable_at: int | None = None  # the line number where no reading could go on
    parts: list[tuple[int, int, bool]] = field(default_factory=list)  # (column, width, continued) of every cell line


@dataclass(frozen=True)
class _Edge:
    start: int
    state: int
    end: int
    to: int
    cost: float
    cells: tuple[tuple[int, int, int, str], ...]  # (column, first token, end token, text)
    doubts: tuple[str, ...] = ()


@cache
def _value_kind(text: str) -> str:
    """'number' (the notation reads it, with nothing but a comparison before the number and a
    known unit or none), 'word' (a known qualitative target), 'unit' (a bare unit word), or 'other'."""
    c = compact(text)
    if c in _UNIT_SET:
        return "unit"
    target = parse_target(c)
    if target.op != "qual":
        before = _BEFORE_NUMBER.match(c).group(0)
        return "number" if known_unit(target.unit) and before in _COMPARISONS else "other"
    return "word" if c in QUALITATIVE else "other"


@cache
def _similarity_cost(level3: str, description: str) -> float:
    """The description usually repeats or extends the 三级指标: nothing when one holds the other,
    else in proportion to how little of the 三级指标 the description shares."""
    if not description or level3 in description or description in level3:
        return 0.0
    matched = sum(block.size for block in SequenceMatcher(None, level3, description, autojunk=False).get_matching_blocks())
    return UNRELATED_DESCRIPTION * (1 - matched / min(len(level3), len(description)))


def _full(part_width: int, unit: int, w: int) -> float | None:
    """The cost of taking a line of `part_width` as full in a column `w` wide when the next line
    starts with an unbreakable unit `unit` wide: none when that unit did not fit, a little when it
    would just have fitted (widths of real fonts are not exact), else None (room was left)."""
    if part_width > w + WIDTH_SLACK:
        return None
    more = part_width + unit
    if more > w:
        return 0.0
    return LOOSE_WRAP if more > w - WIDTH_SLACK else None


class _Table:
    """The tokens of one project's indicator rows and the widths they are read with: a width per
    column, or for a column whose width is not known yet, the widths any column may have."""

    def __init__(self, lines: list[Line], widths: dict[int, int | None], candidates: tuple[int, ...] = ()):
        self.lines = lines
        self.widths = widths
        self.candidates = candidates
        self.tokens: list[Token] = []
        for index, (_, text) in enumerate(lines):
            words = text.split()
            self.tokens += [Token(w, index, k == 0, k == len(words) - 1) for k, w in enumerate(words)]
        self.level_at = [self._level_starts(k) for k in range(len(self.tokens))]
        self._cells: dict[tuple[int, int], list[tuple[int, float, str, tuple[str, ...]]]] = {}

    def _level_starts(self, k: int) -> bool:
        """Whether a level name (一级/二级指标) starts at token k and ends at a token's end: no text
        cell may hold it."""
        joined = ""
        for token in self.tokens[k : k + 4]:
            joined += token.text
            if joined in _NOT_TEXT:
                return True
            if joined not in _LEVEL_PREFIXES[L1] and joined not in _LEVEL_PREFIXES[L2]:
                return False
        return False

    # ------------------------------------------------------------ cells

    def _wrap(self, column: int, part_width: int, a: Token, b: Token) -> float | None:
        """The cost of continuing a cell from `a` (last on its line) to `b` on the next line, or None."""
        if not (a.last and b.first and b.line == a.line + 1):
            return None
        if column in (L1, L2):
            return 0.0  # the vocabulary decides
        unit = _first_unit_width(b.text)
        w = self.widths.get(column)
        if w is not None:
            return _full(part_width, unit, w)
        costs = [c for c in (_full(part_width, unit, w) for w in self.candidates) if c is not None]
        return WRAP_UNKNOWN_WIDTH + min(costs) if costs else None

    def _space(self, column: int, a: Token, b: Token) -> float | None:
        """The cost of joining two tokens of one line into one cell, or None."""
        if column == VALUE:
            return 0.0
        if column in (L1, L2) or _COMPARISON_START.match(b.text):
            return None  # a comparison starts the value cell
        if _LATIN.match(b.text[0]) or _LATIN.match(a.text[-1]):
            return SPACE_IN_TEXT
        return None

    def cells(self, start: int, column: int) -> list[tuple[int, float, str, tuple[str, ...]]]:
        """Every cell of `column` that can start at token `start`: (end, cost, text, doubts)."""
        key = (start, column)
        if key in self._cells:
            return self._cells[key]
        found: list[tuple[int, float, str, tuple[str, ...]]] = []
        self._cells[key] = found
        text_cell = column not in (L1, L2)
        if text_cell and self.level_at[start]:
            return found
        tokens = self.tokens
        w = self.widths.get(column)
        text = part = tokens[start].text  # the cell's text, and its text on its current line
        part_starts_line = tokens[start].first
        cost = 0.0
        wide = 0  # lines wider than the column, before the current one
        end = start + 1
        while True:
            complete = self._complete(column, text)
            if complete is not None:
                extra, doubts = complete
                too_wide = wide + (text_cell and w is not None and width(part) > w + WIDTH_SLACK)
                total = cost + extra + TOO_WIDE * too_wide
                if end < len(tokens) and text_cell and self._wrap(column, width(part), tokens[end - 1], tokens[end]) is not None:
                    total += FULL_LINE_ENDS
                found.append((end, total, text, doubts + (("too_wide",) if too_wide else ())))
            if end >= len(tokens) or end - start >= 60:
                break
            a, b = tokens[end - 1], tokens[end]
            if a.line == b.line:
                step = self._space(column, a, b)
                joined, new_part = f"{text} {b.text}", f"{part} {b.text}"
            else:
                step = self._wrap(column, width(part), a, b)
                if step is not None and not part_starts_line:
                    step += WRAP_FROM_MIDLINE
                wide += text_cell and w is not None and width(part) > w + WIDTH_SLACK
                joined, new_part = text + b.text, b.text
                part_starts_line = True
            if step is None or (text_cell and self.level_at[end]):
                break
            if not text_cell and joined not in _LEVEL_WORDS[column] and joined not in _LEVEL_PREFIXES[column]:
                break
            if column == VALUE and end - start >= 4:
                break
            cost += step
            text, part = joined, new_part
            end += 1
        return found

    @staticmethod
    def _complete(column: int, text: str) -> tuple[float, tuple[str, ...]] | None:
        """Whether `text` can be a whole cell of `column`: (cost, doubts), or None."""
        if column in (L1, L2):
            return (0.0, ()) if text in _LEVEL_WORDS[column] else None
        kind = _value_kind(text)
        if column == VALUE:
            if kind in ("number", "word"):
                return 0.0, ()
            # another word may be a value, if it is one token: words side by side are cells side by side
            single = kind == "other" and " " not in text and parse_target(text).op == "qual"
            return (UNKNOWN_VALUE_WORD, ("unknown_value",)) if single else None
        if compact(text) in _NOT_TEXT or kind in ("number", "unit"):
            return None
        return 0.0, ()

    # ------------------------------------------------------------ the graph of readings

    def edges(self) -> list[_Edge]:
        n = len(self.tokens)
        found: list[_Edge] = []
        for i in range(n + 1):
            if i < n:
                for state, column, to in ((S0, L1, A1), (AB, L1, A1), (A1, L2, A2), (AB, L2, A2)):
                    if i == 0 and state == AB:
                        continue
                    found += [_Edge(i, state, j, to, c, ((column, i, j, t),), d) for j, c, t, d in self.cells(i, column)]
                for state in (A2, AB):
                    if i > 0 or state == A2:
                        found += self._name_edges(i, state)
                found += [_Edge(i, AN, j, AV, c, ((VALUE, i, j, t),), d) for j, c, t, d in self.cells(i, VALUE)]
                found += [_Edge(i, AV, j, AB, c, ((BASIS, i, j, t),), d) for j, c, t, d in self.cells(i, BASIS)]
            found.append(_Edge(i, AN, i, AV, NO_VALUE, ((VALUE, i, i, ""),), ("no_value",)))
            found.append(_Edge(i, AV, i, AB, NO_BASIS, ((BASIS, i, i, ""),), ("no_basis",)))
        return found

    def _name_edges(self, i: int, state: int) -> list[_Edge]:
        edges = []
        for j, c3, t3, d3 in self.cells(i, L3):
            options = [(k, c, t, d) for k, c, t, d in self.cells(j, DESC)] if j < len(self.tokens) else []
            options.append((j, NO_DESCRIPTION, "", ("no_description",)))
            for k, cd, td, dd in options:
                cells = ((L3, i, j, t3), (DESC, j, k, td))
                edges.append(_Edge(i, state, k, AN, c3 + cd + _similarity_cost(t3, td), cells, d3 + dd))
        return edges


def _shortest(table: _Table, edges: list[_Edge]) -> tuple[list[list[float]], dict]:
    n = len(table.tokens)
    forward = [[math.inf] * _STATES for _ in range(n + 1)]
    back: dict[tuple[int, int], _Edge] = {}
    forward[0][S0] = 0.0
    for edge in edges:  # in order of (start, state): every edge leaves a node after all that enter it
        base = forward[edge.start][edge.state]
        if base + edge.cost < forward[edge.end][edge.to]:
            forward[edge.end][edge.to] = base + edge.cost
            back[(edge.end, edge.to)] = edge
    return forward, back


def _backward(table: _Table, edges: list[_Edge]) -> list[list[float]]:
    n = len(table.tokens)
    backward = [[math.inf] * _STATES for _ in range(n + 1)]
    backward[n][AB] = 0.0
    for edge in reversed(edges):
        total = edge.cost + backward[edge.end][edge.to]
        if total < backward[edge.start][edge.state]:
            backward[edge.start][edge.state] = total
    return backward


def _ordered(edges: list[_Edge]) -> list[_Edge]:
    rank = {S0: 0, A1: 1, A2: 2, AN: 3, AV: 4, AB: 5}
    return sorted(edges, key=lambda e: (e.start, rank[e.state], e.end, rank[e.to]))


DOUBT_KEYS = {
    "unknown_value": "doubt_value_word",
    "no_description": "doubt_no_description",
    "no_basis": "doubt_no_basis",
    "too_wide": "doubt_too_wide",
    "ambiguous": "doubt_ambiguous",
}


def read_table(lines: list[Line], widths: dict[int, int | None], candidates: tuple[int, ...] = ()) -> TableReading:
    """The cheapest reading of one project's indicator lines (the header row already removed)."""
    table = _Table(lines, widths, candidates)
    if not table.tokens:
        return TableReading([], 0.0)
    edges = _ordered(table.edges())
    forward, back = _shortest(table, edges)
    n = len(table.tokens)
    best = forward[n][AB]
    if math.isinf(best):
        reached = max(i for i in range(n + 1) if any(not math.isinf(c) for c in forward[i]))
        return TableReading([], math.inf, lines[table.tokens[min(reached, n - 1)].line][0])
    path: list[_Edge] = []
    node = (n, AB)
    while node != (0, S0):
        edge = back[node]
        path.append(edge)
        node = (edge.start, edge.state)
    path.reverse()
    rows = _rows(table, path)
    _mark_close_readings(table, edges, forward, path, best, rows)
    return TableReading(rows, best, None, _parts(table, path))


def _rows(table: _Table, path: list[_Edge]) -> list[TextRow]:
    rows: list[TextRow] = []
    level1 = level2 = ""
    level_lines: list[int] = []  # lines of the level cells written before the next row
    for edge in path:
        for column, first, end, text in edge.cells:
            lines = [table.tokens[k].line for k in range(first, end)]
            if column in (L1, L2):
                level1, level2 = (text, "") if column == L1 else (level1, text)
                level_lines += lines
                continue
            if column == L3:
                rows.append(TextRow(level1, level2, text, "", "", "", level_lines))
                level_lines = []
            else:
                setattr(rows[-1], ("description", "value", "basis")[column - DESC], text)
            rows[-1].rows = rows[-1].rows + lines
        if rows and edge.cells[0][0] not in (L1, L2):
            rows[-1].doubts += [msg(DOUBT_KEYS[d]) for d in edge.doubts if d != "no_value"]
    for row in rows:
        row.rows = [table.lines[k][0] for k in sorted(set(row.rows))]
    return rows


def _parts(table: _Table, path: list[_Edge]) -> list[tuple[int, int, bool]]:
    """(column, width, continued on the next line) of every line of every text cell of a reading."""
    parts = []
    for edge in path:
        for column, first, end, _ in edge.cells:
            if column in (L1, L2) or first == end:
                continue
            tokens = table.tokens[first:end]
            lines = sorted({t.line for t in tokens})
            for n, line in enumerate(lines):
                text = " ".join(t.text for t in tokens if t.line == line)
                parts.append((column, width(text), n < len(lines) - 1))
    return parts


def _mark_close_readings(table: _Table, edges: list[_Edge], forward, path: list[_Edge], best: float, rows: list[TextRow]) -> None:
    """A reading almost as cheap as the best one that cuts some rows otherwise is a doubt on them."""
    backward = _backward(table, edges)
    chosen = set(path)
    token_rows = {}
    for index, row in enumerate(rows):
        for line_number in row.rows:
            token_rows.setdefault(line_number, set()).add(index)
    flagged: set[int] = set()
    for edge in edges:
        if edge in chosen:
            continue
        total = forward[edge.start][edge.state] + edge.cost + backward[edge.end][edge.to]
        if total >= best + DOUBT_MARGIN:
            continue
        first, last = edge.start, max(edge.end - 1, edge.start)
        for k in range(first, min(last, len(table.tokens) - 1) + 1):
            flagged |= token_rows.get(table.lines[table.tokens[k].line][0], set())
    for index in sorted(flagged):
        rows[index].doubts.append(msg(DOUBT_KEYS["ambiguous"]))


# ---------------------------------------------------------------- widths


def learn_widths(tables: list[list[Line]], header_lines: list[str] = ()) -> dict[int, int | None]:
    """The wrap width of each text column of a document, from its own lines.

    A wrapped line is full, so the widths of the lines that are followed by another line on their
    own cluster at the columns' widths: the widths many such lines agree on are candidates. A
    first reading lets any column wrap at any candidate; the usual width of each column's
    continued lines is then its width, and a second reading with those widths gives the exact
    widths (the widest continued line of each column), read with once more if they differ."""
    unknown: dict[int, int | None] = dict.fromkeys(_WIDTH_COLUMNS)
    candidates = _candidate_widths([*tables, [(0, t) for t in header_lines]])
    readings = [read_table(lines, unknown, candidates) for lines in tables]
    widths = _widths_from(readings, usual=True)
    for _ in range(2):
        readings = [read_table(lines, widths, candidates) for lines in tables]
        found = _widths_from(readings, usual=False, before=widths)
        if found == widths:
            break
        widths = found
    return widths


def _candidate_widths(tables: list[list[Line]]) -> tuple[int, ...]:
    """Widths that lines alone on their line, each followed by another line, agree on: a full line
    of width w followed by a line starting with a unit u wide says the column is w to w+u-1 wide.
    A line wider than all of them can only be of a wider column: its width is one too."""
    votes: Counter = Counter()
    alone = []
    for lines in tables:
        for (_, text), (_, following) in itertools.pairwise(lines):
            if " " in text.strip() or not following.strip() or text in _NOT_TEXT:
                continue
            w = width(text)
            alone.append(w)
            votes.update(range(w, w + _first_unit_width(following.split()[0])))
    peaks = [w for w, n in votes.items() if w >= MIN_COLUMN and n >= 2 and n >= votes.get(w + 1, 0) and n > votes.get(w - 1, 0)]
    wider = {w for w in alone if w > max(peaks, default=0) + 1}
    return tuple(sorted({*peaks, *wider}))


def _widths_from(readings: list[TableReading], usual: bool, before: dict[int, int | None] | None = None) -> dict[int, int | None]:
    """Widths of the continued lines of each column in some readings: the most common one
    (`usual`) or the widest, and never narrower than the widest line of the column."""
    continued: dict[int, Counter] = {c: Counter() for c in _WIDTH_COLUMNS}
    widest: dict[int, int] = dict.fromkeys(_WIDTH_COLUMNS, 0)
    for reading in readings:
        for column, part_width, is_continued in reading.parts:
            widest[column] = max(widest[column], part_width)
            if is_continued:
                continued[column][part_width] += 1
    found: dict[int, int | None] = {}
    for column in _WIDTH_COLUMNS:
        if not continued[column]:
            found[column] = (before or {}).get(column)
        elif usual:
            found[column] = continued[column].most_common(1)[0][0]
        else:
            found[column] = max(max(continued[column]), widest[column])
    return found
