"""The round trip of generated published documents (tests/document_corpus.py) read back field by
field, shared by the text corpus (tests/test_document_corpus.py) and the PDF corpus
(tests/test_document_corpus_pdf.py), two files so that a parallel run reads them side by side.
Every document must read back exactly or be refused with a message: a reading that differs from
what the document says fails, whether or not it came with doubts. Generation is derandomized, so
every run reads the same documents; documents once misread (tests/corpus_examples.py) are read first."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from document_corpus import expected
from hypothesis import HealthCheck, Phase, settings
from hypothesis.internal.conjecture import providers

from monitor.errors import InputError
from monitor.ingest.targets import preview
from monitor.store.db import REPO_ROOT

CORPUS_TIMEOUT = 1200  # about a minute each alone; late in a full run on a busy 2-core machine several times that
# Hypothesis mixes into what it draws the literals of every local module loaded so far
# (providers._get_local_constants), so the documents depended on which test files a worker had
# collected: a full parallel run read other documents than the file alone. Without them, every
# run reads the same documents (a private hook: hypothesis is pinned in requirements-dev.txt).
_NO_CONSTANTS = providers.Constants()
providers._get_local_constants = lambda: _NO_CONSTANTS
# No shrinking: a misread document is reported as generated (shrinking one takes many minutes and
# ends in a document as long), and written to tests/artifacts/ to be read and made an @example.
CORPUS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
    phases=(Phase.explicit, Phase.generate),
)


@dataclass
class Tally:
    """What one corpus read: exact readings (of which with doubts), refusals, and the time spent reading."""

    exact: int = 0
    with_doubts: int = 0
    refused: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return self.exact + len(self.refused)

    def check(self, kind: str, data: bytes, name: str, doc) -> None:
        """Read one document: it reads back exactly, or is refused with a message."""
        started = time.perf_counter()
        try:
            result = preview(data, name, doc.year)
        except InputError as error:
            self.refused.append(str(error))
            return
        finally:
            self.seconds += time.perf_counter() - started
        got, want = result.targets.to_json(), expected(doc).to_json()
        if got != want:
            flagged = "with doubts" if result.doubts else "silently"
            kept = REPO_ROOT / "tests" / "artifacts" / f"corpus-misread-{kind}{Path(name).suffix}"
            kept.parent.mkdir(exist_ok=True)
            kept.write_bytes(data)
            pytest.fail(f"misread {kind} document ({flagged}, kept as {kept}):\n{_difference(got, want)}")
        self.exact += 1
        self.with_doubts += bool(result.doubts)

    def was_read(self, kind: str, size: int, refusals: int) -> None:
        """After a corpus ran: its size, and that refusals stay the exception."""
        print(
            f"{kind} corpus: {self.read} documents, {self.exact} exact ({self.with_doubts} with doubts), "
            f"{len(self.refused)} refused, {self.seconds:.1f} s reading"
        )
        assert self.read >= size, self
        assert len(self.refused) <= refusals, self.refused


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
