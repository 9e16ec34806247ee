"""Reading a published 绩效目标 PDF with pdfplumber.

The project tables are ruled, so pdfplumber finds their cells: the head of a table becomes
lines for `document.read_head`, and each indicator row gives its six cells directly (a cell
merged over several rows is carried down). Text outside the tables (part one, titles, the
unit line above each table) goes through the same line rules as extracted text.
"""

from __future__ import annotations

import io
import logging
import re

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from monitor.errors import InputError, problem
from monitor.ingest.document.layout import PAGE_NUMBER, Line, RawDocument, RawIndicator, Segmenter, normalize_cjk

FIELDS = 6  # 一级指标, 二级指标, 三级指标, 绩效指标描述, 指标值, 指标值确定依据
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor warnings on every CJK page are noise here


def read_pdf(data: bytes, file: str) -> RawDocument:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, PdfminerException) as error:
        raise InputError([problem(file, None, None, None, "err_pdf_unreadable", error=str(error))]) from error
    segmenter = Segmenter(file)
    with pdf:
        if not any(page.chars for page in pdf.pages):
            raise InputError([problem(file, None, None, None, "err_pdf_no_text")])
        for number, page in enumerate(pdf.pages, start=1):
            _read_page(page, f"{file} 第 {number} 页", segmenter)
    return segmenter.finish()


def _read_page(page, where: str, segmenter: Segmenter) -> None:
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    items = [(line["top"], normalize_cjk(line["text"]).strip(), None) for line in outside.extract_text_lines()]
    items += [(table.bbox[1], "", table) for table in tables]
    for n, (_, text, table) in enumerate(sorted(items, key=lambda item: item[0]), start=1):
        if table is not None:
            _read_table(table.extract(), f"{where}表格", segmenter)
        elif text and not PAGE_NUMBER.fullmatch(text):
            segmenter.line(where, n, text)


def _read_table(rows: list[list[str | None]], where: str, segmenter: Segmenter) -> None:
    cells = [[normalize_cjk(c).strip() for c in row if c is not None] for row in rows]
    header = next((i for i, row in enumerate(cells) if row and re.sub(r"\s+", "", row[0]) == "一级指标"), None)
    starts_project = any(row and re.sub(r"\s+", "", row[0]) == "项目编码" for row in cells)
    previous = segmenter.doc.projects[-1] if segmenter.doc.projects else None
    if starts_project:
        head_end = header if header is not None else len(cells)
        head: list[Line] = [(i + 1, line.strip()) for i, row in enumerate(cells[:head_end]) for cell in row for line in cell.split("\n")]
        first = next(i for i, row in enumerate(cells) if row and re.sub(r"\s+", "", row[0]) == "项目编码")
        indicators = _indicators(cells, header + 1 if header is not None else len(cells), where, None)
        segmenter.table_project(where, first + 1, [(n, t) for n, t in head if t], indicators)
    elif previous is not None and segmenter.part_one is None and all(len(row) <= FIELDS for row in cells):
        previous.indicators += _indicators(cells, 0, where, previous.indicators[-1] if previous.indicators else None)  # continued
    else:
        for i, row in enumerate(cells, start=1):
            for cell in row:
                for line in cell.split("\n"):
                    if line.strip():
                        segmenter.line(where, i, line.strip())


def _indicators(cells: list[list[str]], start: int, where: str, carried: RawIndicator | None) -> list[RawIndicator]:
    found: list[RawIndicator] = []
    for i, row in enumerate(cells[start:], start=start + 1):
        if not any(row):
            continue
        texts = ["".join(line.strip() for line in cell.split("\n")) for cell in row]
        last = found[-1] if found else carried
        inherited = [last.level1, last.level2] if last else ["", ""]
        fields = inherited[: max(FIELDS - len(texts), 0)] + texts
        fields += [""] * (FIELDS - len(fields))
        found.append(RawIndicator(*fields[:FIELDS], where, i))
    return found
