"""The PDF corpus of the round trip (tests/corpus_round_trip.py): generated published documents
printed to PDF by Chromium, read back field by field."""

from __future__ import annotations

import pytest
from browser_helpers import needs_chromium
from corpus_examples import BASIS_TAKES_NEXT_NAME, BRACKET_TOKENS, NEW_LEVEL_CUT_BY_PAGE_BREAK
from corpus_round_trip import CORPUS, CORPUS_TIMEOUT, Tally
from document_corpus import documents, render_html
from hypothesis import example, given, settings

PDF_DOCUMENTS = 35  # reading a PDF costs pdfminer about 0.4 s a page
TALLY = Tally()


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
@example(doc=BASIS_TAKES_NEXT_NAME)
def test_generated_pdf_documents_read_back_exactly(printer, doc):
    TALLY.check("pdf", _pdf(printer, doc), "generated.pdf", doc)


@needs_chromium
def test_the_pdf_corpus_was_read_and_rarely_refused():
    TALLY.was_read("pdf", PDF_DOCUMENTS, PDF_DOCUMENTS // 25)
