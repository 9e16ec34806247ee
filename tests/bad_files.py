"""Bad input files made by the tests: spreadsheets with merged headers or formulas, archives named
.xlsx, PDFs without text or cut short, and a template folder to spoil one cell at a time."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook

from monitor.demo.build import DEMO_DIR


def xlsx(rows: list[list[object]], merge: str | None = None) -> bytes:
    """A workbook whose first sheet holds `rows`; `merge` merges a range such as "A1:E1"."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if merge:
        book.active.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """A small zip with the name of a workbook's part that unpacks to `unpacked` bytes of zeros."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(unpacked // len(chunk) + 1):
                member.write(chunk)
    return out.getvalue()


def pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws `content` (a content stream), with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


SCAN_PDF = pdf(b"0.5 g 20 20 260 260 re f BI /W 2 /H 2 /CS /G /BPC 8 ID \x10\x80\x80\x10 EI")  # shapes and an image, no text
TEXT_PDF = pdf(b"BT /F1 12 Tf 20 200 Td (Project budget table) Tj ET")


def template_copy(folder: Path) -> Path:
    """The demo's structured template in a folder of its own, to be spoilt by a test."""
    shutil.copytree(DEMO_DIR, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
