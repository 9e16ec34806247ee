"""The scheduled feed: every payments ledger or indicator-actuals file dropped into a folder is
imported once, through the same checks and the same transaction as any other import, and moved to
`done/` or `failed/` with its validation report beside it (`<file>.report.txt`).

Exactly once, whatever happens: a file is picked up only when its size and modification time have
not changed for `settle` seconds (still being written: left for the next look; a sender that writes
under a temporary name starting with "." and renames it when done is never picked up early); a file
whose content is already imported (its SHA-256 is in import_batches) is moved to done/ without
adding anything, so a watcher killed between its commit and its move, then restarted, doubles
nothing; the move itself is a rename.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import MonitorError
from monitor.i18n import t
from monitor.ingest import actuals, payments
from monitor.ingest.files import read_file, read_mapped
from monitor.store import service

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
REPORT = ".report.txt"


@dataclass(frozen=True)
class Outcome:
    file: str
    kind: str | None  # payments | indicator_actuals, None when the file is neither
    imported: bool  # moved to done/ (imported now or before), else to failed/
    report: str  # the validation report, worded


def ready(folder: Path, settle: float, now: float | None = None) -> list[Path]:
    """The files of `folder` to import now: table files not hidden and not changed for `settle` seconds."""
    now = time.time() if now is None else now
    found = []
    for path in sorted(folder.iterdir()):
        table = path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(".") and not path.name.endswith(REPORT)
        if table and now - path.stat().st_mtime >= settle:
            found.append(path)
    return found


def import_one(db: Path, path: Path, user: str, lang: str) -> Outcome:
    """Import one dropped file and move it, with its report, to done/ or failed/."""
    try:
        data = read_file(path)
        kind = _kind(data, path.name)
        imported, report = _import(db, kind, data, path.name, user, lang) if kind else (False, t("watch_unknown_kind", lang))
    except MonitorError as error:  # an unreadable file, a busy database: reported, the file kept aside
        kind, imported, report = None, False, error.message(lang)
    target = path.parent / ("done" if imported else "failed")
    target.mkdir(exist_ok=True)
    (target / (path.name + REPORT)).write_text(report + "\n", encoding="utf-8")
    os.replace(path, target / path.name)
    return Outcome(path.name, kind, imported, report)


def watch(
    db: Path, folder: Path, user: str, lang: str, *, interval: float, settle: float, once: bool, tell: Callable[[Outcome], None]
) -> None:
    """Look at `folder` every `interval` seconds (once, with `once`) and import what is ready."""
    while True:
        for path in ready(folder, settle):
            tell(import_one(db, path, user, lang))
        if once:
            return
        time.sleep(interval)


def _kind(data: bytes, name: str) -> str | None:
    """What the file holds, by its header: a payments ledger or indicator actuals."""
    for kind, columns, required in (
        (payments.KIND, payments.COLUMNS, payments.REQUIRED),
        (actuals.KIND, actuals.COLUMNS, actuals.REQUIRED),
    ):
        base = payments.without_unit if kind == payments.KIND else str
        _, _, problems = read_mapped(data, name, columns, required, base)
        if not problems:
            return kind
    return None


def _import(db: Path, kind: str, data: bytes, name: str, user: str, lang: str) -> tuple[bool, str]:
    with service.writing(db) as con:
        if kind == payments.KIND:
            check = payments.import_payments(con, data, name, user)
            rows = check.payments.num_rows
            problems = [*check.problems, *check.duplicates]  # likely duplicates need a person's confirmation
        else:
            check = actuals.import_file(con, data, name, user)
            rows, problems = len(check.actuals), check.problems
    if check.imported_as is not None:
        return True, t("watch_already_imported", lang, batch=check.imported_as)
    if problems:
        return False, "\n".join([t("watch_refused", lang, n=len(problems)), *(p.text(lang) for p in problems)])
    return True, t("watch_imported", lang, batch=check.batch_id, rows=rows)
