"""Reading the text extracted from a published 绩效目标 PDF.

Extraction keeps the page structure in two marks: a page starts after a form feed, which the
usual tools turn into a line starting with one space. Before anything is read, what the page
layout adds is dropped wherever it falls: page numbers (`- 3 -`, `第 3 页`, `3/10`, a bare number
at a page's edge), the running page header (the line that starts most pages, or one that reads
like `某某局2024年部门预算公开`), and the indicator table's header row printed again on a new page.
Blank lines carry nothing. The project head is read by `layout.read_head`; the indicator rows by
`text_table`, as a table whose column widths are learned from the document.
"""

from __future__ import annotations

import re
from collections import Counter

from monitor.errors import problem
from monitor.i18n import msg
from monitor.ingest.document.layout import (
    PAGE_NUMBER,
    Line,
    RawDocument,
    Segmenter,
    is_structure_line,
    normalize_cjk,
    read_head,
)
from monitor.ingest.document.text_table import COLUMN_NAMES, read_tables
from monitor.ingest.document.vocabulary import is_header_row

# A running header: a unit's name, a year and what the document is (巨鹿县某某局2024年部门预算公开).
RUNNING_HEADER = re.compile(r"\S*\d{4}\s*年度?\S*(?:预算|决算|公开|绩效目标)\S*")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_HEADER_LINES = 8  # the header row printed again takes at most this many lines


def read_text(text: str, file: str) -> RawDocument:
    lines = clean_lines(text)
    segmenter = Segmenter(file)
    for row, line in lines:
        segmenter.line(file, row, line)
    doc = segmenter.finish()
    tables, headers = {}, []
    for project in doc.projects:
        project.head, header, tables[id(project)] = _split_table(project.head)
        headers += header
    readings = read_tables([tables[id(p)] for p in doc.projects], headers)
    for project, reading in zip(doc.projects, readings):
        if reading.unreadable_at is not None:
            line = next(t for n, t in tables[id(project)] if n == reading.unreadable_at)
            expected = msg("err_table_unreadable", columns=" ".join(COLUMN_NAMES))
            code = read_head(project).code
            doc.problems.append(problem(file, reading.unreadable_at, None, line, "err_in_project_code", code=code, problem=expected))
            continue
        for indicator in reading.rows:
            indicator.file = file
        project.indicators = reading.rows
    doc.text_lines = file_lines(text)
    return doc


def clean_lines(text: str) -> list[Line]:
    """Non-blank lines, stripped, numbered as in the file, without what the page layout adds."""
    lines: list[Line] = []
    starts: list[bool] = []
    feed = True  # the first line starts a page, and so does a line after or starting with a form feed
    for n, line in enumerate(file_lines(text), start=1):
        feed = feed or line.startswith("\x0c")
        line = normalize_cjk(line.replace("\x0c", ""))
        if line.strip():
            lines.append((n, line))
            starts.append(feed or _starts_page(line))
            feed = False
    page_heads = Counter(line.strip() for (_, line), start in zip(lines, starts) if start)
    repeated = {t for t, count in page_heads.items() if count >= max(2, sum(starts) / 2) and _is_header_like(t)}
    kept = []
    for k, (n, line) in enumerate(lines):
        text = line.strip()
        at_edge = starts[k] or k + 1 == len(lines) or starts[k + 1] or (k > 0 and starts[k - 1] and _is_running_header(lines[k - 1][1]))
        if PAGE_NUMBER.fullmatch(text) or (at_edge and _BARE_NUMBER.fullmatch(text)):
            continue
        if (starts[k] or (k > 0 and starts[k - 1] and PAGE_NUMBER.fullmatch(lines[k - 1][1].strip()))) and (
            text in repeated or _is_running_header(text)
        ):
            continue
        kept.append((n, text))
    return kept


def file_lines(text: str) -> list[str]:
    """The lines of a file as an editor numbers them (a form feed does not end a line here)."""
    return re.split(r"\r\n|\r|\n", text)


def _starts_page(line: str) -> bool:
    return line.startswith(" ") and not line.startswith("  ")


def _is_header_like(text: str) -> bool:
    """A running header is one piece of text, and neither a structure line nor the table's header row."""
    return " " not in text and not is_structure_line(text) and not text.startswith("一级指标")


def _is_running_header(line: str) -> bool:
    text = line.strip()
    return _is_header_like(text) and RUNNING_HEADER.fullmatch(text) is not None


def _split_table(head: list[Line]) -> tuple[list[Line], list[str], list[Line]]:
    """A project's lines cut into its head, its indicator table's header row and the indicator
    rows, without the header row printed again wherever a page break put it."""
    start = next((k for k, (_, t) in enumerate(head) if t.replace(" ", "").startswith("一级指标")), None)
    if start is None:
        return head, [], []
    rows: list[Line] = []
    header: list[str] = []
    k = start
    while k < len(head):
        length = _header_at(head, k)
        if length:
            header = header or [t for _, t in head[k : k + length]]
            k += length
        else:
            rows.append(head[k])
            k += 1
    return head[:start], header, rows


def _header_at(lines: list[Line], k: int) -> int:
    """How many lines from k spell the header row (the most that do), or 0."""
    if not lines[k][1].replace(" ", "").startswith("一级指标"):
        return 0
    spans = [n for n in range(1, min(_HEADER_LINES, len(lines) - k) + 1) if is_header_row([t for _, t in lines[k : k + n]])]
    return max(spans, default=0)
