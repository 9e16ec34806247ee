"""The app over a generated province in a real browser: every page opened in the OS Chromium,
the time until it has drawn (first visit, then a second visit served from the cache), a
screenshot of each, and the peak memory of the Streamlit server process.

    .venv/bin/python bench/browse.py [--db bench/scale-100000-10000000.duckdb] [--out tests/artifacts/province]

bench/run.py generates the database. Prints a table and writes browse.json beside the screenshots.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH.parent / "tests")]

from browser_helpers import assert_no_exception, chromium, open_page, streamlit_server  # noqa: E402
from run import peak_rss_mb  # noqa: E402  (bench/run.py)

PAGES = ("overview", "disbursement", "indicators", "project", "explore", "rounds", "data")  # the url paths of dashboard.PAGES


def server_pid(url: str) -> int:
    """The process serving `url` (streamlit run … --server.port PORT), found by its command line."""
    port = url.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and port.encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=BENCH / "scale-100000-10000000.duckdb")
    parser.add_argument("--out", type=Path, default=BENCH.parent / "tests" / "artifacts" / "province")
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist: run bench/run.py first, which generates it")
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    with streamlit_server(args.db) as url, chromium() as browser:
        pid = server_pid(url)
        for path in PAGES:
            seconds = []
            for visit in ("first", "cached"):
                started = time.perf_counter()
                page = open_page(browser, f"{url}/{path}")
                seconds.append(time.perf_counter() - started)
                assert_no_exception(page)
                if visit == "first":
                    page.screenshot(path=str(args.out / f"{path}.png"), full_page=True)
                page.close()
            rows.append({"page": path, "first_s": seconds[0], "cached_s": seconds[1]})
            print(f"{path:<13} first {seconds[0]:6.1f} s   cached {seconds[1]:5.1f} s")
        peak = peak_rss_mb(pid)
    print(f"server peak RSS {peak:.0f} MB; screenshots in {args.out}")
    (args.out / "browse.json").write_text(json.dumps({"db": args.db.name, "pages": rows, "server_peak_rss_mb": peak}, indent=2))


if __name__ == "__main__":
    main()
