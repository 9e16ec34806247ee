"""The text corpus of the round trip (tests/corpus_round_trip.py): generated published documents
printed as extracted text, read back field by field."""

from __future__ import annotations

import pytest
from corpus_examples import BASIS_TAKES_NEXT_NAME, BRACKET_TOKENS, NEW_LEVEL_CUT_BY_PAGE_BREAK
from corpus_round_trip import CORPUS, CORPUS_TIMEOUT, Tally
from document_corpus import documents, render_text
from hypothesis import example, given, settings

TEXT_DOCUMENTS = 265  # with the PDF corpus's 35, 300 documents a run
TALLY = Tally()


@pytest.mark.timeout(CORPUS_TIMEOUT)
@settings(CORPUS, max_examples=TEXT_DOCUMENTS)
@given(documents())
@example(doc=BRACKET_TOKENS)
@example(doc=NEW_LEVEL_CUT_BY_PAGE_BREAK)
@example(doc=BASIS_TAKES_NEXT_NAME)
def test_generated_text_documents_read_back_exactly(doc):
    TALLY.check("text", render_text(doc).encode("utf-8"), "generated.txt", doc)


def test_the_text_corpus_was_read_and_rarely_refused():
    TALLY.was_read("text", TEXT_DOCUMENTS, TEXT_DOCUMENTS // 50)
