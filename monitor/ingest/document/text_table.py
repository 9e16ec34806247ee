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
  no text cell holds a header word or a level name, or starts with a unit, a value or a
  qualitative word; a value is read whole by the notation, or is one qualitative token;
- soft rules: the description repeats or extends the 三级指标; a value is in the notation or a
  known qualitative word; every cell has text; a cell's lines fit its column.
The column widths are learned from the document (`read_tables`): bounded by the header row and by
wrapped names followed by the same description, else found among the widths its lines agree on,
by reading the whole document with them. Readings almost as cheap as the chosen one are doubts,
reported on the rows they touch, as are the soft rules the chosen reading had to break.
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

from monitor.i18n import msg
from monitor.ingest.document.layout import RawIndicator
from monitor.ingest.document.vocabulary import HEADER_WORDS, LEVEL1, LEVEL2, QUALITATIVE, compact
from monitor.ingest.notation import UNIT_WORDS, is_notation, known_unit, parse_target

Line = tuple[int, str]  # (line number in the file, text)

L1, L2, L3, DESC, VALUE, BASIS = range(6)
COLUMN_NAMES = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
# The columns whose wrap width is learned; levels are read by their vocabulary, values by the notation
# (values seldom wrap, too seldom to learn from).
_WIDTH_COLUMNS = (L3, DESC, BASIS)

# Costs of a reading. Hard rules are not costs: a reading breaking one is not considered.
FULL_LINE_ENDS = 0.05  # a full line ends its cell though the next line could have continued it
LOOSE_WRAP = 0.8  # a line continued although, by the widths counted, its next unit would have fitted
WRAP_FROM_MIDLINE = 1.5  # a cell that starts after another on its line and wraps
WRAP_UNKNOWN_WIDTH = 0.5  # a continued line in a column whose width is not known yet
SPACE_IN_TEXT = 0.3  # a space inside a text cell, beside a number or Latin word
TOO_WIDE = 4.0  # a line wider than its column
EXTENDED_DESCRIPTION = 0.2  # a description extending its 三级指标 at one end
SHORT_NAME = 1.0  # a 三级指标 of one or two characters
UNRELATED_DESCRIPTION = 2.0  # besides, for a description sharing nothing with its 三级指标
NO_DESCRIPTION = 5.0
NO_BASIS = 3.0
NO_VALUE = 5.0
UNKNOWN_VALUE_WORD = 4.0
UNKNOWN_UNIT = 1.5  # a value in the notation but for its unit
UNREADABLE = 1000.0  # a table no reading gets through, when widths are compared
DOUBT_MARGIN = 0.3  # another reading within this of the best is a doubt
MIN_COLUMN = 8  # no text column is narrower than four characters (三级指标)

_LEVEL_WORDS = {L1: frozenset(LEVEL1), L2: frozenset(LEVEL2)}
_LEVEL_PREFIXES = {col: frozenset(w[:k] for w in words for k in range(1, len(w))) for col, words in _LEVEL_WORDS.items()}
_NOT_TEXT = frozenset(LEVEL1) | frozenset(LEVEL2) | HEADER_WORDS
_NOT_TEXT_PREFIXES = frozenset(w[:k] for w in _NOT_TEXT for k in range(1, len(w)))
_HEADER_SPELLINGS = frozenset(w[:k] for w in HEADER_WORDS for k in range(1, len(w) + 1))
_UNIT_SET = frozenset(UNIT_WORDS) | {"%"}
_COMPARISON_START = re.compile(r"[≥≤≧≦<>=＞＜＝]")
_LATIN = re.compile(r"[0-9A-Za-z.,%‰≥≤≧≦<>=＞＜＝]")
_UNBREAKABLE_START = re.compile(r"[≥≤≧≦<>=＞＜＝]*[0-9A-Za-z.,]+[%‰％]?")
_OPENING = "（([「『《〈“‘【"
_CLOSING = "，。、；：！？）)]」』》〉”’】％%‰·"
_STATES = 6
S0, A1, A2, AN, AV, AB = range(_STATES)  # start; after 一级, 二级, the names, the value, the basis (row done)


@cache
def width(text: str) -> int:
    """Display width: CJK characters take two columns, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@cache
def _slack(text: str) -> int:
    """How much wider than counted `text` may print: a CJK character is exactly two columns, but
    digits, Latin letters and signs are a little wider than one in CJK fonts, and some signs
    (≥, ·, ‰) print as wide as a CJK character. Pure CJK text has no slack."""
    narrow = sum(1 for c in text if unicodedata.east_asian_width(c) not in "WF" and not c.isspace())
    return (narrow + 1) // 2 + sum(1 for c in text if unicodedata.east_asian_width(c) == "A")


@cache
def _first_unit(text: str) -> str:
    """What a line break cannot split off the start of `text`: a number or Latin word, or one
    character with its brackets and the punctuation that may not start a line."""
    run = _UNBREAKABLE_START.match(text)
    if run:
        return run.group(0)
    end = 0
    while end < len(text) - 1 and text[end] in _OPENING:
        end += 1
    end += 1
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return text[:end]


@dataclass(frozen=True)
class Token:
    text: str
    line: int  # index of its line among the table's lines
    first: bool  # first token of its line
    last: bool  # last token of its line


@dataclass
class TableReading:
    rows: list[RawIndicator]  # their file is for the caller to set; `row` is their first line
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
    """'number' (the notation reads all of it: `notation.is_notation`), 'measured' (the same but for
    a unit outside the vocabulary), 'word' (a known qualitative target), 'unit' (a bare unit word),
    or 'other'."""
    c = compact(text)
    if c in _UNIT_SET:
        return "unit"
    if parse_target(c).op != "qual":
        return "number" if is_notation(c) else "measured" if is_notation(c, known_units=False) else "other"
    return "word" if c in QUALITATIVE else "other"


@cache
def _is_unit(token: str) -> bool:
    """A unit word or a combination of them, bracketed or after a slash (`人`, `元/人`, `（只）`, `/亩`)."""
    c = compact(token)
    return c == "%" or (known_unit(c.strip("()/")) and bool(c.strip("()/")))


@cache
def _similarity_cost(level3: str, description: str) -> float:
    """The description usually repeats the 三级指标, or extends it at one end: nothing for the same
    text; for an extension, a little and more the less of the description the name is; more when
    one holds the other inside; else in proportion to how little of the name the description
    holds and how little of the description it accounts for (of two names the description holds
    alike, the one that explains more of it: `安全责任事` + `故满意度` for 开展安全责任事故工作的满意度
    rather than a 依据 taking `安全责任事`). A name of one or two characters is rare."""
    short = SHORT_NAME if len(level3) <= 2 else 0.0
    if not description or description == level3:
        return short
    share = len(level3) / len(description) if len(level3) < len(description) else len(description) / len(level3)
    if description.startswith(level3) or description.endswith(level3):
        return short + EXTENDED_DESCRIPTION + (1 - share)
    if level3 in description or description in level3:
        return short + 3 * EXTENDED_DESCRIPTION + (1 - share)
    matched = sum(block.size for block in SequenceMatcher(None, level3, description, autojunk=False).get_matching_blocks())
    return short + 3 * EXTENDED_DESCRIPTION + UNRELATED_DESCRIPTION * (1 - matched / len(level3)) + (1 - matched / len(description))


def _full(part_width: int, part_slack: int, unit: str, w: int) -> float | None:
    """The cost of taking a line `part_width` wide (maybe `part_slack` more) as full in a column `w`
    wide when the next line starts with the unbreakable `unit`: nothing when that unit did not fit,
    a little when it did by the widths counted but may not have as printed, else None (room was left)."""
    if part_width > w:
        return None
    more = part_width + width(unit)
    if more > w:
        return 0.0
    return LOOSE_WRAP if more + part_slack + _slack(unit) > w else None


@cache
def _complete(column: int, text: str, one_token: bool) -> tuple[float, tuple[str, ...]] | None:
    """Whether `text` can be a whole cell of `column`: (cost, doubts), or None."""
    if column in (L1, L2):
        return (0.0, ()) if text in _LEVEL_WORDS[column] else None
    kind = _value_kind(text)
    if column == VALUE:
        if kind in ("number", "word"):
            return 0.0, ()
        if kind == "measured":
            return UNKNOWN_UNIT, ()  # the checks flag the unit
        # another word may be a value, if it is one token: words side by side are cells side by side
        single = kind == "other" and one_token and parse_target(text).op == "qual"
        return (UNKNOWN_VALUE_WORD, ("unknown_value",)) if single else None
    if compact(text) in _NOT_TEXT or kind in ("number", "unit"):
        return None
    return 0.0, ()


class _Table:
    """The tokens of one project's indicator rows and the widths they are read with: a width per
    column, or for a column whose width is not known yet, the widths any column may have."""

    def __init__(self, lines: list[Line], widths: dict[int, int | None], candidates: dict[int, tuple[int, ...]] | None = None):
        self.lines = lines
        self.widths = widths
        self.candidates = candidates or {}
        self.tokens: list[Token] = []
        for index, (_, text) in enumerate(lines):
            words = text.split()
            self.tokens += [Token(w, index, k == 0, k == len(words) - 1) for k, w in enumerate(words)]
        self.level_at = [self._level_starts(k) for k in range(len(self.tokens))]
        self._cells: dict[tuple[int, int], list[tuple[int, float, str, tuple[str, ...]]]] = {}
        self._name_cache: dict[int, list[tuple[int, float, tuple, tuple[str, ...]]]] = {}

    def _level_starts(self, k: int) -> bool:
        """Whether a level name (一级/二级指标) or a header word starts at token k and ends at a
        token's end: no text cell may hold it."""
        joined = ""
        for token in self.tokens[k : k + 4]:
            joined += token.text
            if joined in _NOT_TEXT:
                return True
            if joined not in _NOT_TEXT_PREFIXES:
                return False
        return False

    # ------------------------------------------------------------ cells

    def _wrap(self, column: int, part_width: int, part_slack: int, a: Token, b: Token) -> float | None:
        """The cost of continuing a cell from `a` (last on its line) to `b` on the next line, or None."""
        if not (a.last and b.first and b.line == a.line + 1):
            return None
        if column in (L1, L2):
            return 0.0  # the vocabulary decides
        if column == VALUE:
            return WRAP_UNKNOWN_WIDTH  # the notation decides
        unit = _first_unit(b.text)
        w = self.widths.get(column)
        if w is not None:
            return _full(part_width, part_slack, unit, w)
        costs = [c for c in (_full(part_width, part_slack, unit, w) for w in self.candidates.get(column, ())) if c is not None]
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
        first = self.tokens[start].text
        if text_cell and (self.level_at[start] or (column != VALUE and _is_unit(first))):
            return found  # a level name stands alone; a unit belongs to the value before it
        if column in (DESC, BASIS) and _value_kind(first) in ("number", "word"):
            return found  # a description or basis does not start with a value: that token is the value
        tokens = self.tokens
        w = self.widths.get(column)
        text = tokens[start].text
        part_width, part_slack = width(text), _slack(text)  # of the cell's text on its current line
        part_starts_line = tokens[start].first
        cost = 0.0
        wide = 0  # lines wider than the column, before the current one
        end = start + 1
        while True:
            complete = _complete(column, text, end - start == 1)
            if complete is not None:
                extra, doubts = complete
                too_wide = wide + (text_cell and w is not None and part_width > w)
                total = cost + extra + TOO_WIDE * too_wide
                if end < len(tokens) and text_cell and self._wrap(column, part_width, part_slack, tokens[end - 1], tokens[end]) is not None:
                    total += FULL_LINE_ENDS
                found.append((end, total, text, doubts + (("too_wide",) if too_wide else ())))
            if end >= len(tokens) or end - start >= 60:
                break
            a, b = tokens[end - 1], tokens[end]
            if a.line == b.line:
                step = self._space(column, a, b)
                joined, new_width, new_slack = f"{text} {b.text}", part_width + 1 + width(b.text), part_slack + _slack(b.text)
            else:
                step = self._wrap(column, part_width, part_slack, a, b)
                if step is not None and not part_starts_line:
                    step += WRAP_FROM_MIDLINE
                wide += text_cell and w is not None and part_width > w
                joined, new_width, new_slack = text + b.text, width(b.text), _slack(b.text)
                part_starts_line = True
            if step is None or (text_cell and self.level_at[end]):
                break
            if not text_cell and joined not in _LEVEL_WORDS[column] and joined not in _LEVEL_PREFIXES[column]:
                break
            if column == VALUE and end - start >= 4:
                break
            cost += step
            text, part_width, part_slack = joined, new_width, new_slack
            end += 1
        return found

    # ------------------------------------------------------------ the graph of readings

    def _out(self, i: int, state: int) -> list[_Edge]:
        """The edges leaving node (token position i, state)."""
        n = len(self.tokens)
        found: list[_Edge] = []
        if i < n:
            if state in (S0, AB):
                found += [_Edge(i, state, j, A1, c, ((L1, i, j, t),), d) for j, c, t, d in self.cells(i, L1)]
            if state in (A1, AB) and i > 0:
                found += [_Edge(i, state, j, A2, c, ((L2, i, j, t),), d) for j, c, t, d in self.cells(i, L2)]
            if state in (A2, AB):
                found += [_Edge(i, state, k, AN, cost, cells, d) for k, cost, cells, d in self._names(i)]
            if state == AN:
                found += [_Edge(i, AN, j, AV, c, ((VALUE, i, j, t),), d) for j, c, t, d in self.cells(i, VALUE)]
            if state == AV:
                found += [_Edge(i, AV, j, AB, c, ((BASIS, i, j, t),), d) for j, c, t, d in self.cells(i, BASIS)]
        if state == AN:
            found.append(_Edge(i, AN, i, AV, NO_VALUE, ((VALUE, i, i, ""),), ("no_value",)))
        if state == AV:
            found.append(_Edge(i, AV, i, AB, NO_BASIS, ((BASIS, i, i, ""),), ("no_basis",)))
        return found

    def _names(self, i: int) -> list[tuple[int, float, tuple, tuple[str, ...]]]:
        """(end, cost, cells, doubts) of every 三级指标 with its description starting at token i."""
        if i in self._name_cache:
            return self._name_cache[i]
        names = []
        for j, c3, t3, d3 in self.cells(i, L3):
            options = [(k, c, t, d) for k, c, t, d in self.cells(j, DESC)] if j < len(self.tokens) else []
            options.append((j, NO_DESCRIPTION, "", ("no_description",)))
            for k, cd, td, dd in options:
                names.append((k, c3 + cd + _similarity_cost(t3, td), ((L3, i, j, t3), (DESC, j, k, td)), d3 + dd))
        self._name_cache[i] = names
        return names

    def graph(self) -> tuple[list[_Edge], list[list[float]], dict[tuple[int, int], _Edge]]:
        """The edges that leave reachable nodes, each after every edge entering its start; the
        cheapest cost of reaching each node and the edge it is reached by."""
        n = len(self.tokens)
        forward = [[math.inf] * _STATES for _ in range(n + 1)]
        back: dict[tuple[int, int], _Edge] = {}
        forward[0][S0] = 0.0
        edges: list[_Edge] = []
        for i in range(n + 1):
            for state in (S0, A1, A2, AN, AV, AB):  # within a position, edges go AN → AV → AB
                base = forward[i][state]
                if math.isinf(base):
                    continue
                for edge in self._out(i, state):
                    edges.append(edge)
                    if base + edge.cost < forward[edge.end][edge.to]:
                        forward[edge.end][edge.to] = base + edge.cost
                        back[(edge.end, edge.to)] = edge
        return edges, forward, back


def _backward(table: _Table, edges: list[_Edge]) -> list[list[float]]:
    n = len(table.tokens)
    backward = [[math.inf] * _STATES for _ in range(n + 1)]
    backward[n][AB] = 0.0
    for edge in reversed(edges):
        total = edge.cost + backward[edge.end][edge.to]
        if total < backward[edge.start][edge.state]:
            backward[edge.start][edge.state] = total
    return backward


DOUBT_KEYS = {
    "unknown_value": "doubt_value_word",
    "no_description": "doubt_no_description",
    "no_basis": "doubt_no_basis",
    "too_wide": "doubt_too_wide",
    "ambiguous": "doubt_ambiguous",
}


def read_table(lines: list[Line], widths: dict[int, int | None], candidates: dict[int, tuple[int, ...]] | None = None) -> TableReading:
    """The cheapest reading of one project's indicator lines (the header row already removed)."""
    table = _Table(lines, widths, candidates)
    if not table.tokens:
        return TableReading([], 0.0)
    edges, forward, back = table.graph()
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


def _rows(table: _Table, path: list[_Edge]) -> list[RawIndicator]:
    rows: list[RawIndicator] = []
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
                rows.append(RawIndicator(level1, level2, text, "", "", "", "", None, level_lines))
                level_lines = []
            else:
                setattr(rows[-1], ("description", "value", "basis")[column - DESC], text)
            rows[-1].rows = rows[-1].rows + lines
        if rows and edge.cells[0][0] not in (L1, L2):
            rows[-1].doubts += [msg(DOUBT_KEYS[d]) for d in edge.doubts if d != "no_value"]
    for row in rows:
        row.rows = [table.lines[k][0] for k in sorted(set(row.rows))]
        row.row = row.rows[0]
    return rows


def _parts(table: _Table, path: list[_Edge]) -> list[tuple[int, int, bool]]:
    """(column, width, continued on the next line) of every line of every text cell of a reading."""
    parts = []
    for edge in path:
        for column, first, end, _ in edge.cells:
            if column not in _WIDTH_COLUMNS or first == end:
                continue
            tokens = table.tokens[first:end]
            lines = sorted({t.line for t in tokens})
            for n, line in enumerate(lines):
                text = " ".join(t.text for t in tokens if t.line == line)
                parts.append((column, width(text), n < len(lines) - 1))
    return parts


def _mark_close_readings(table: _Table, edges: list[_Edge], forward, path: list[_Edge], best: float, rows: list[RawIndicator]) -> None:
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


def read_tables(tables: list[list[Line]], header_lines: list[str] = ()) -> list[TableReading]:
    """Every indicator table of a document, read with the column widths learned from it."""
    widths, cost = _learn_widths(tables, header_lines)
    return cost.readings(widths)


def _learn_widths(tables: list[list[Line]], header_lines: list[str]) -> tuple[dict[int, int | None], _Costs]:
    """The wrap width of each text column of a document, from its own lines.

    Where a wrapped 三级指标 is followed by the same text as its description, and in the header
    row, the lines of a cell are known: a continued line is as wide as its column, or the next
    character would not have fitted. That bounds the width of those columns. For a column without
    bounds, a first reading lets it wrap at the width of any line that is alone on its line and
    followed by another. Then, over and over, the widest continued line of each column in a reading
    is its width, until the widths hold; last, if the reading still breaks a soft rule, each column
    tries every width its bounds allow (without bounds: the widths many lines agree on), keeping
    one that makes the whole document cheaper to read."""
    bounds = _bounds(tables, header_lines)
    agreed, alone = _line_widths([*tables, [(0, t) for t in header_lines]])

    def within(column: int, ws) -> tuple[int, ...]:
        low, high = bounds[column]
        return tuple(sorted({int(low), *(w for w in ws if low <= w <= high)}))

    def trials(column: int) -> tuple[int | None, ...]:
        """The widths a column may yet take: any its bounds allow, else those lines agree on, or none known."""
        low, high = bounds[column]
        return tuple(range(int(low), int(high) + 1)) if high < math.inf else (*likely[column], None)

    likely = {c: within(c, agreed) for c in _WIDTH_COLUMNS}
    known = {c: int(bounds[c][0]) if bounds[c][1] < math.inf else None for c in _WIDTH_COLUMNS}
    cost = _Costs(tables, likely)
    widths = known
    if None in known.values():
        first = [read_table(lines, known, {c: within(c, alone) for c in _WIDTH_COLUMNS}) for lines in tables]
        widths = _widths_from(first, before=known, bounds=bounds)
    for _ in range(3):
        found = _widths_from(cost.readings(widths), before=widths, bounds=bounds)
        if found == widths:
            break
        widths = found
    best = cost(widths)
    for _ in range(2 if cost.breaks_rules(widths) else 0):
        improved = False
        for column in (L3, DESC, BASIS):
            for w in trials(column):
                trial = {**widths, column: w}
                if cost(trial) < best - 1e-9:
                    widths, best, improved = trial, cost(trial), True
        if not improved:
            break
    return widths, cost


def _bounds(tables: list[list[Line]], header_lines: list[str]) -> dict[int, tuple[float, float]]:
    """(lowest, highest) width of each text column that cells whose lines are known allow."""
    low: dict[int, float] = dict.fromkeys(_WIDTH_COLUMNS, MIN_COLUMN)
    high: dict[int, float] = dict.fromkeys(_WIDTH_COLUMNS, math.inf)
    for column, cell in [*_header_cells(header_lines), *(cell for table in tables for cell in _repeated_names(table))]:
        for k, line in enumerate(cell):
            low[column] = max(low[column], width(line))
            if k + 1 < len(cell):
                high[column] = min(high[column], width(line) + width(_first_unit(cell[k + 1])) + _slack(line + cell[k + 1][:1]) - 1)
    return {c: (low[c], high[c]) if low[c] <= high[c] else (low[c], math.inf) for c in _WIDTH_COLUMNS}


def _header_cells(header_lines: list[str]):
    """(column, lines) of the header row's cells, found by spelling its words from its tokens."""
    tokens = [t for line in header_lines for t in line.split()]
    column = 0
    k = 0
    while k < len(tokens) and column < len(COLUMN_NAMES):
        spelled = ""
        for end in range(k, len(tokens)):
            spelled += tokens[end]
            if compact(spelled) in HEADER_WORDS and (end + 1 == len(tokens) or compact(spelled + tokens[end + 1]) not in _HEADER_SPELLINGS):
                if column in _WIDTH_COLUMNS:
                    yield column, tokens[k : end + 1]
                column, k = column + 1, end + 1
                break
            if compact(spelled) not in _HEADER_SPELLINGS:
                return
        else:
            return


def _repeated_names(lines: list[Line]):
    """(column, lines) of 三级指标 cells wrapped over lines of their own and followed by the same
    text as their description (the usual case), and of such descriptions wrapped too."""
    texts = [t for _, t in lines]
    alone = [" " not in t for t in texts]
    for i in range(len(texts)):
        name = ""
        for k in range(i, min(i + 6, len(texts))):
            if not alone[k]:
                break
            name += texts[k]
            if k + 1 >= len(texts) or len(name) < 2:
                continue
            following = texts[k + 1].split()[0]
            if following == name:
                if k > i:
                    yield L3, texts[i : k + 1]
                break
            spelled, end = "", k + 1
            while end < len(texts) and alone[end] and name.startswith(spelled + texts[end]) and spelled != name:
                spelled += texts[end]
                end += 1
            if spelled == name and end - (k + 1) >= 2 and end < len(texts) and _value_kind(texts[end].split()[0]) in ("number", "word"):
                if k > i:
                    yield L3, texts[i : k + 1]
                yield DESC, texts[k + 1 : end]
                break


class _Costs:
    """The cost of reading a document's tables with some widths, each reading done once."""

    def __init__(self, tables: list[list[Line]], candidates: dict[int, tuple[int, ...]]) -> None:
        self.tables, self.candidates = tables, candidates
        self.done: dict[tuple, list[TableReading]] = {}

    def readings(self, widths: dict[int, int | None]) -> list[TableReading]:
        key = tuple(sorted(widths.items(), key=lambda kv: kv[0]))
        if key not in self.done:
            self.done[key] = [read_table(lines, widths, self.candidates) for lines in self.tables]
        return self.done[key]

    def breaks_rules(self, widths: dict[int, int | None]) -> bool:
        """Whether reading with these widths fails somewhere or breaks a soft rule (a cell left
        empty, a line too wide, a value word not known): only then may other widths do better."""
        return any(math.isinf(r.cost) or any(row.doubts for row in r.rows) for r in self.readings(widths))

    def __call__(self, widths: dict[int, int | None]) -> float:
        return sum(UNREADABLE if math.isinf(r.cost) else r.cost for r in self.readings(widths))


def _line_widths(tables: list[list[Line]]) -> tuple[set[int], set[int]]:
    """(widths many lines agree on, widths of every line) of lines alone on their line and followed
    by another: a full line w wide followed by a line starting with a unit u wide says its column
    is w to w+u-1 wide. A line wider than all that many agree on can only be of a wider column:
    its width is agreed on too."""
    votes: Counter = Counter()
    alone = set()
    for lines in tables:
        for (_, text), (_, following) in itertools.pairwise(lines):
            if " " in text.strip() or not following.strip() or text in _NOT_TEXT:
                continue
            w = width(text)
            alone.add(w)
            votes.update(range(w, w + width(_first_unit(following.split()[0]))))
    peaks = {w for w, n in votes.items() if w >= MIN_COLUMN and n >= 2 and n >= votes.get(w + 1, 0) and n > votes.get(w - 1, 0)}
    return peaks | {w for w in alone if w > max(peaks, default=0) + 1}, alone


def _widths_from(
    readings: list[TableReading], before: dict[int, int | None], bounds: dict[int, tuple[float, float]]
) -> dict[int, int | None]:
    """The width of each column in some readings: its widest continued line, and never narrower
    than its widest line, within its bounds; a column no cell of which is continued keeps the
    width it had."""
    continued: dict[int, list[int]] = {c: [] for c in _WIDTH_COLUMNS}
    widest: dict[int, int] = dict.fromkeys(_WIDTH_COLUMNS, 0)
    for reading in readings:
        for column, part_width, is_continued in reading.parts:
            widest[column] = max(widest[column], part_width)
            if is_continued:
                continued[column].append(part_width)
    found = {c: max(*continued[c], widest[c]) if continued[c] else before.get(c) for c in _WIDTH_COLUMNS}
    return {c: None if w is None else int(min(max(w, bounds[c][0]), bounds[c][1])) for c, w in found.items()}
