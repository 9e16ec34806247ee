"""The round trip: generated published documents (tests/document_corpus.py), printed as extracted
text and as PDFs by Chromium, read back field by field. Every document must read back exactly or
be refused with a message: a reading that differs from what the document says fails, whether or
not it came with doubts. Generation is derandomized, so every run reads the same documents;
documents once misread (tests/corpus_examples.py) are read first."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pytest
from browser_helpers import needs_chromium
from corpus_examples import BRACKET_TOKENS, NEW_LEVEL_CUT_BY_PAGE_BREAK
from document_corpus import documents, expected, render_html, render_text
from hypothesis import HealthCheck, example, given, settings

from monitor.errors import InputError
from monitor.ingest.targets import preview

TEXT_DOCUMENTS = 265
PDF_DOCUMENTS = 35  # reading a PDF costs pdfminer about 0.4 s a page: 300 documents in all
CORPUS_TIMEOUT = 1200  # about a minute each alone; late in a full run on a busy 2-core machine several times that
CORPUS = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck), print_blob=False)


@dataclass
class Tally:
    exact: int = 0
    with_doubts: int = 0
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return self.exact + len(self.refused)


TALLIES = {"text": Tally(), "pdf": Tally()}


def _check(kind: str, data: bytes, name: str, doc) -> None:
    tally = TALLIES[kind]
    started = time.perf_counter()
    try:
        result = preview(data, name, doc.year)
    except InputError as error:
        tally.refused.append(str(error))
        return
    finally:
        tally.seconds += time.perf_counter() - started
    got, want = result.targets.to_json(), expected(doc).to_json()
    if got != want:
        flagged = "with doubts" if result.doubts else "silently"
        pytest.fail(f"misread {kind} document ({flagged}):\n{_difference(got, want)}")
    tally.exact += 1
    tally.with_doubts += bool(result.doubts)


def _difference(got: dict, want: dict) -> str:
    lines = []
    for key in ("year", "departments"):
        if got[key] != want[key]:
            lines.append(f"{key}: {got[key]} != {want[key]}")
    for g, w in zip(got["projects"], want["projects"]):
        for key, value in w.items():
            if key == "indicators":
                lines += [
                    f"read {json.dumps(a, ensure_ascii=False)}\nwant {json.dumps(b, ensure_ascii=False)}"
                    for a, b in zip(g[key], value)
                    if a != b
                ]
                if len(g[key]) != len(value):
                    lines.append(f"{len(g[key])} indicators read, {len(value)} in the document")
            elif g[key] != value:
                lines.append(f"{w['project_code']} {key}: {g[key]} != {value}")
    if len(got["projects"]) != len(want["projects"]):
        lines.append(f"{len(got['projects'])} projects read, {len(want['projects'])} in the document")
    return "\n".join(lines)


@pytest.mark.timeout(CORPUS_TIMEOUT)
@settings(CORPUS, max_examples=TEXT_DOCUMENTS)
@given(documents())
@example(doc=BRACKET_TOKENS)
@example(doc=NEW_LEVEL_CUT_BY_PAGE_BREAK)
def test_generated_text_documents_read_back_exactly(doc):
    _check("text", render_text(doc).encode("utf-8"), "generated.txt", doc)


def _corpus_read(kind: str, size: int, refusals: int) -> None:
    """After a corpus ran: its size, and that refusals stay the exception."""
    tally = TALLIES[kind]
    print(
        f"{kind} corpus: {tally.read} documents, {tally.exact} exact ({tally.with_doubts} with doubts), "
        f"{len(tally.refused)} refused, {tally.seconds:.1f} s reading"
    )
    assert tally.read >= size, tally
    assert len(tally.refused) <= refusals, tally.refused


def test_the_text_corpus_was_read_and_rarely_refused():
    _corpus_read("text", TEXT_DOCUMENTS, TEXT_DOCUMENTS // 50)


@pytest.fixture(scope="module")
def printer(browser):
    """One Chromium page that prints every generated document to a PDF."""
    page = browser.new_page()
    yield page
    page.close()


def _pdf(printer, doc) -> bytes:
    """The document printed by Chromium: its running header at the top of every page and the page
    number at the foot, page breaks wherever the content falls (a spacer moves them from document
    to document), the indicator table's header row repeated on every page it runs on to."""
    printer.set_content(render_html(doc))
    header = f'<div style="font-size:9px;width:100%;text-align:center">{doc.layout.running_header or ""}</div>'
    footer = '<div style="font-size:9px;width:100%;text-align:center">第 <span class="pageNumber"></span> 页</div>'
    margin = {"top": "18mm", "bottom": "18mm", "left": "12mm", "right": "12mm"}
    return printer.pdf(format="A4", display_header_footer=True, header_template=header, footer_template=footer, margin=margin)


@needs_chromium
@pytest.mark.timeout(CORPUS_TIMEOUT)
@settings(CORPUS, max_examples=PDF_DOCUMENTS)
@given(documents(max_projects=2))
@example(doc=BRACKET_TOKENS)
@example(doc=NEW_LEVEL_CUT_BY_PAGE_BREAK)
def test_generated_pdf_documents_read_back_exactly(printer, doc):
    _check("pdf", _pdf(printer, doc), "generated.pdf", doc)


@needs_chromium
def test_the_pdf_corpus_was_read_and_rarely_refused():
    _corpus_read("pdf", PDF_DOCUMENTS, PDF_DOCUMENTS // 25)
