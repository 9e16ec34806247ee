"""Pages of a published PDF as images, for showing the document beside what was read from it
(pypdfium2, the renderer pdfplumber itself depends on)."""

from __future__ import annotations

import io

import pypdfium2

PAGE_SCALE = 1.6  # 72 dpi × 1.6: an A4 page about 950 pixels wide, legible beside a table


def page_png(data: bytes, page: int, scale: float = PAGE_SCALE) -> bytes:
    """Page `page` (from 1) of the PDF `data` as a PNG image."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        image = pdf[page - 1].render(scale=scale).to_pil()
    finally:
        pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
