"""One headless OS Chromium per process for what leaves the app as images and PDF: chart images
(kaleido, which drives Chromium over the DevTools protocol) and pages printed to PDF (the same
browser's Page.printToPDF). Starting Chromium costs seconds; kept running, an image costs about
0.4 s and a print about 0.6 s, which is what keeps an export of the review report quick.

The browser lives on its own thread and event loop; callers from any thread wait for their result.
It is started on first use (or by `warm_up`, which does not wait) and closed when the process exits.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import contextlib
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import kaleido
import plotly.graph_objects as go
from kaleido.errors import ChromeNotFoundError

from monitor.errors import Refused

TIMEOUT = 60  # seconds for one image or print; a stuck browser is restarted on the next call


class _Browser:
    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="monitor-chromium", daemon=True).start()
        self._kaleido: kaleido.Kaleido | None = None
        self._lock = threading.Lock()  # one job at a time: a print and an image do not compete for two CPUs

    def _run(self, job: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(job, self._loop).result(TIMEOUT)

    async def _open(self) -> kaleido.Kaleido:
        if self._kaleido is None:
            browser = kaleido.Kaleido(n=1, mathjax=False)  # no MathJax: nothing fetched from the network
            await browser.open()
            self._kaleido = browser
        return self._kaleido

    def call(self, job) -> Any:
        """Run `job(browser)` (a coroutine function) in the browser; a browser that failed is reopened once."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._run(self._with_browser(job))
                except ChromeNotFoundError:
                    raise Refused("err_pdf_needs_chromium") from None
                except (concurrent.futures.TimeoutError, RuntimeError, OSError):
                    self._discard()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    async def _with_browser(self, job) -> Any:
        return await job(await self._open())

    def _discard(self) -> None:
        browser, self._kaleido = self._kaleido, None
        if browser is not None:
            with contextlib.suppress(Exception):  # a dead browser may fail to close; a new one is opened regardless
                self._run(browser.close())

    def close(self) -> None:
        with self._lock:
            self._discard()
        self._loop.call_soon_threadsafe(self._loop.stop)


_browser: _Browser | None = None
_started = threading.Lock()


def _get() -> _Browser:
    global _browser
    with _started:
        if _browser is None:
            _browser = _Browser()
            atexit.register(_browser.close)
        return _browser


def warm_up() -> None:
    """Start the browser in the background so the first export does not wait for it."""

    async def nothing(_: kaleido.Kaleido) -> None:
        return None

    threading.Thread(target=lambda: _try(lambda: _get().call(nothing)), name="monitor-chromium-warm-up", daemon=True).start()


def _try(action) -> None:
    with contextlib.suppress(Exception):  # warming up is best effort; the export itself reports any failure
        action()


def chart_png(figure: go.Figure, width: int, height: int, scale: float = 2) -> bytes:
    """The figure as a PNG image."""

    async def render(browser: kaleido.Kaleido) -> bytes:
        return await browser.calc_fig(figure, opts={"format": "png", "width": width, "height": height, "scale": scale})

    return _get().call(render)


def html_to_pdf(page: str) -> bytes:
    """Print an HTML page to PDF; the page's own CSS sets the paper (@page size, named pages) and
    the page numbers (@page margin boxes), so nothing of Chromium's header or footer is printed."""

    async def print_page(browser: kaleido.Kaleido) -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "report.html"
            source.write_text(page, encoding="utf-8")
            tab = await browser.create_tab("about:blank")
            try:
                await tab.send_command("Page.enable")
                loaded = tab.subscribe_once("Page.loadEventFired")
                await tab.send_command("Page.navigate", params={"url": source.as_uri()})
                await loaded
                printed = await tab.send_command(
                    "Page.printToPDF", params={"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False}
                )
            finally:
                await browser.close_tab(tab.target_id)
        if "error" in printed:
            raise RuntimeError(f"Chromium could not print the page: {printed['error']}")
        return base64.b64decode(printed["result"]["data"])

    return _get().call(print_page)
