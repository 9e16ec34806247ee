"""Reading a published 绩效目标 PDF with pdfplumber.

The project tables are ruled, so pdfplumber finds their cells: the head of a table becomes lines
for `layout.read_head`, and each indicator row gives its cells directly, placed in their columns
by the header row's positions. The header row is dropped wherever it is printed (compared after
NFKC normalisation: some fonts give look-alike radicals). A 一级/二级指标 cell merged over rows is
carried down; where such a cell runs on to the next page, its part on the first page has no ruled
bottom and pdfplumber gives no cell there, so its text is taken from the column's area, and an
empty part continues the label before it (on the page before) or takes the one after it (on the
next page). Text outside the tables (part one, titles, the unit line above each table) goes
through the same line rules as extracted text, without page numbers and the running page header.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from monitor.errors import InputError, problem
from monitor.i18n import Msg, msg
from monitor.ingest.document.layout import (
    PAGE_NUMBER,
    Line,
    RawDocument,
    RawIndicator,
    RawProject,
    Segmenter,
    is_structure_line,
    normalize_cjk,
)
from monitor.ingest.document.text import RUNNING_HEADER
from monitor.ingest.document.vocabulary import compact, is_header_row

FIELDS = ("level1", "level2", "level3", "description", "value", "basis")  # the six columns of an indicator row
LEVELS = 2  # the first two are the merged level cells
Box = tuple[float, float, float, float]
Cell = tuple[str, Box]
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor warnings on every CJK page are noise here


def read_pdf(data: bytes, file: str) -> RawDocument:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PdfminerException) as error:
        raise InputError([problem(file, None, None, None, "err_pdf_unreadable", error=str(error))]) from error
    reader = _Reader(file)
    with pdf:
        if not any(page.chars for page in pdf.pages):
            raise InputError([problem(file, None, None, None, "err_pdf_no_text")])
        pages = [_Page(page, number) for number, page in enumerate(pdf.pages, start=1)]
        running = _running_headers(pages)
        for page in pages:
            reader.page(page, running)
    return reader.finish()


class _Page:
    """A page's tables and the text lines outside them, top to bottom, without page numbers."""

    def __init__(self, page, number: int) -> None:
        self.page, self.number = page, number
        self.tables = page.find_tables()
        outside = page
        for table in self.tables:
            outside = outside.outside_bbox(table.bbox)
        lines = [(line["top"], normalize_cjk(line["text"]).strip()) for line in outside.extract_text_lines()]
        self.bottom = float(page.height)  # where the page's own text (its number) begins at the foot
        kept = [(top, text) for top, text in lines if text]
        while kept and (PAGE_NUMBER.fullmatch(kept[-1][1]) or re.fullmatch(r"\d{1,4}", kept[-1][1])):
            self.bottom = kept.pop()[0] - 1
        if kept and re.fullmatch(r"\d{1,4}", kept[0][1]):  # a bare page number at the top
            kept.pop(0)
        self.lines = [(top, text) for top, text in kept if not PAGE_NUMBER.fullmatch(text)]
        self.last = max(self.tables, key=lambda t: t.bbox[3], default=None)  # the table nearest the foot
        below = [text for top, text in self.lines if self.last is not None and top >= self.last.bbox[3] - 1]
        self.runs_on = bool(below) and not is_structure_line(below[0])  # text below it, maybe a row the page break cut

    def first_line(self) -> str | None:
        """The top line of the page when it is above every table."""
        if self.lines and (not self.tables or self.lines[0][0] < self.tables[0].bbox[1]):
            return self.lines[0][1]
        return None


def _running_headers(pages: list[_Page]) -> set[str]:
    """The first line of most pages, or a first line that reads like a running header."""
    firsts = Counter(p.first_line() for p in pages)
    return {t for t, n in firsts.items() if t and ((n >= 2 and n >= len(pages) / 2) or RUNNING_HEADER.fullmatch(t))}


class _Level:
    """The label of a merged 一级 or 二级指标 cell, and the rows waiting for it (its part on an
    earlier page was empty)."""

    def __init__(self) -> None:
        self.label = ""
        self.waiting: list[RawIndicator] = []


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.segmenter = Segmenter(file)
        self.columns: list[tuple[float, float]] | None = None  # x-ranges of the six columns, from a header row
        self.levels = [_Level(), _Level()]
        self.split: RawIndicator | None = None  # a row cut by a page break, completed by the next page's first row

    def finish(self) -> RawDocument:
        for column, level in enumerate(self.levels):
            if level.waiting:  # a merged cell whose label never came
                row = level.waiting[0]
                self.segmenter.doc.problems.append(problem(row.file, row.row, ("一级指标", "二级指标")[column], "", "err_level_missing"))
        return self.segmenter.finish()

    def page(self, page: _Page, running: set[str]) -> None:
        where = msg("where_page", file=self.file, page=page.number)
        items = [(top, text, None) for top, text in page.lines if text not in running]
        items += [(table.bbox[1], "", table) for table in page.tables]
        cut_below: float | None = None  # where a row cut by the page break was read from
        for n, (top, text, table) in enumerate(sorted(items, key=lambda item: item[0]), start=1):
            if table is not None:
                if self._table(page, table, where):
                    cut_below = table.bbox[3] - 1
            elif cut_below is None or top < cut_below:
                self.segmenter.line(where, n, text)

    def _table(self, page: _Page, table, where: Msg) -> bool:
        """Read one table; whether a row of it cut by the page break was read below it."""
        texts = [[None if c is None else normalize_cjk(c).strip() for c in row] for row in table.extract()]
        header = next((i for i, row in enumerate(texts) if _is_header(row)), None)
        if header is not None:
            self.columns = [(box[0], box[2]) for box in table.rows[header].cells if box is not None][: len(FIELDS)]
        first = next((i for i, row in enumerate(texts) if row and row[0] and compact(row[0]) == "项目编码"), None)
        doc = self.segmenter.doc
        if first is not None:
            self.segmenter.table_project(where, first + 1, _head_lines(texts[first:header], first), [])
            self.levels = [_Level(), _Level()]
            self.split = None
            start = header + 1 if header is not None else len(texts)
        elif doc.projects and self.segmenter.part_one is None:  # a table running on from the page before
            if header is not None and not doc.projects[-1].indicators:  # its head ran on to this page
                doc.projects[-1].head += _head_lines(texts[:header], 0)
            start = header + 1 if header is not None else 0
        else:
            for row, line in _head_lines(texts, 0):
                self.segmenter.line(where, row, line)
            return False
        project = doc.projects[-1]
        if page.number not in project.pages:
            project.pages.append(page.number)
        cut = page.runs_on and table is page.last and (header is not None or first is None)  # a table of indicator rows
        self._indicators(page, table, texts, start, where, project, cut)
        return cut

    def _indicators(
        self, page: _Page, table, texts: list[list[str | None]], start: int, where: Msg, project: RawProject, cut: bool
    ) -> None:
        rows = [i for i in range(start, len(texts)) if any(texts[i]) and not _is_header(texts[i])]
        if self.columns is None:
            return
        placing = [_place(texts[i], table.rows[i].cells, self.columns) for i in rows]
        placed = [cells for cells, _ in placing]
        astray = [outside for _, outside in placing]  # text in no column, which no field will hold
        bottom = table.bbox[3]
        if cut:  # a row runs on below the ruled cells
            bottom = page.bottom
            rows.append(len(texts))
            placed.append(self._tail_cells(page, table, bottom))
            astray.append([])
        for column in range(LEVELS):
            self._unruled_level_cells(page, table, rows, placed, column, bottom)
        for k, (i, cells) in enumerate(zip(rows, placed)):
            if k == 0 and self.split is not None:  # the rest of the row the page before cut
                for column, name in enumerate(FIELDS[LEVELS:], start=LEVELS):
                    setattr(self.split, name, getattr(self.split, name) + _joined(cells[column]))
                    self.split.cells[column] += _joined(cells[column])
                self.split.cells += astray[k]
                self.split = None
                continue
            ind = RawIndicator(*[""] * len(FIELDS), where, i + 1, page=page.number, cells=[_joined(c) for c in cells] + astray[k])
            for column, name in enumerate(FIELDS[LEVELS:], start=LEVELS):
                setattr(ind, name, _joined(cells[column]))
            for column in range(LEVELS):
                cell = cells[column]
                continues = k == 0 and bool(project.indicators)  # its first row, on a page after the table's first
                runs_on = cell is not None and cell[1][3] >= bottom - 1  # to the bottom of the table on this page
                self._level(column, None if cell is None else compact(cell[0]), ind, continues, runs_on)
            project.indicators.append(ind)
        self.split = project.indicators[-1] if cut and project.indicators else None

    def _tail_cells(self, page: _Page, table, bottom: float) -> list[Cell | None]:
        """The cells of a row cut by the page break, below the table's last ruled row: the text of
        each column's area down to the page's foot (None for the level columns, which merged
        cells above may cover, unless `_unruled_level_cells` finds a cell of its own)."""
        cells: list[Cell | None] = [None] * len(FIELDS)
        for column, (x0, x1) in enumerate(self.columns):
            if column < LEVELS:
                continue
            cells[column] = _area(page, (x0, table.bbox[3], x1, bottom))
        return cells

    def _unruled_level_cells(self, page: _Page, table, rows: list[int], placed, column: int, foot: float) -> None:
        """Fill a level column's rows that no ruled cell covers with the text of their area: the part
        of a merged cell that runs on to the next page, down to the next ruled cell or the foot of
        the table (`foot`: below its ruled cells when a row runs on)."""
        covered_to = table.bbox[1]
        x0, x1 = self.columns[column]
        for k, i in enumerate(rows):
            if i >= len(table.rows):  # the row cut by the page break, below the ruled ones
                if abs(covered_to - table.bbox[3]) <= 1:  # every cell above ends at the last rule: its own cell starts
                    placed[k][column] = _area(page, (x0, table.bbox[3], x1, foot))
                break
            top, bottom = table.rows[i].bbox[1], table.rows[i].bbox[3]
            if placed[k][column] is not None:
                covered_to = placed[k][column][1][3]
                continue
            if bottom <= covered_to + 1:
                continue  # under a merged cell that started above
            below = next((m for m in range(k + 1, len(rows)) if placed[m][column] is not None), None)
            end = table.rows[rows[below]].bbox[1] if below is not None else foot
            placed[k][column] = _area(page, (x0, top, x1, end))
            covered_to = end

    def _level(self, column: int, value: str | None, ind: RawIndicator, continues: bool, runs_on: bool) -> None:
        """Give an indicator its 一级 (column 0) or 二级 (1) label: the one carried down, a new one from
        its cell, or, for an empty part of a merged cell running on to the next page, the one there."""
        level = self.levels[column]
        name = FIELDS[column]
        if value is None or (value == "" and continues):
            if level.waiting:
                level.waiting.append(ind)
            setattr(ind, name, level.label)
        elif value:
            for waiting in level.waiting:
                setattr(waiting, name, value)
            level.label, level.waiting = value, []
            setattr(ind, name, value)
            if column == 0:
                self.levels[1] = _Level()  # a new 一级指标 starts its own 二级指标
        elif runs_on:
            level.label, level.waiting = "", [ind]
        else:
            level.label, level.waiting = "", []


def _area(page: _Page, box: Box) -> Cell:
    """The text inside `box` on the page, as a cell."""
    return normalize_cjk(page.page.crop(box, strict=False).extract_text() or "").strip(), box


def _joined(cell: Cell | None) -> str:
    """A cell's text, its wrapped lines joined."""
    return "".join(cell[0].split("\n")) if cell else ""


def _is_header(row: list[str | None]) -> bool:
    return is_header_row([c for c in row if c])


def _head_lines(rows: list[list[str | None]], first: int) -> list[Line]:
    return [
        (i + 1, line.strip())
        for i, row in enumerate(rows, start=first)
        for cell in row
        if cell
        for line in cell.split("\n")
        if line.strip()
    ]


def _place(texts: list[str | None], boxes: list[Box | None], columns: list[tuple[float, float]]) -> tuple[list[Cell | None], list[str]]:
    """A row's cells in the six columns, by where their middles are (None where no cell is), and
    the text of cells in no column."""
    placed: list[Cell | None] = [None] * len(FIELDS)
    astray: list[str] = []
    for text, box in zip(texts, boxes):
        if box is None or text is None:
            continue
        middle = (box[0] + box[2]) / 2
        column = next((k for k, (x0, x1) in enumerate(columns) if x0 - 1 <= middle <= x1 + 1), None)
        if column is None:
            astray += [text] if text else []
        else:
            placed[column] = (text, box) if placed[column] is None else (placed[column][0] + text, placed[column][1])
    return placed, astray
