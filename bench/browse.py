"""The app in a real browser (the OS Chromium), against a draw-only floor.

    .venv/bin/python bench/browse.py [--repeat 3]          # every page over the county → bench/results.json "browser"
    .venv/bin/python bench/browse.py --quick --results X   # one page, one repetition, a tiny database (the suite's smoke test)
    .venv/bin/python bench/browse.py --walk [--db D]       # every page over the province: screenshots and the server's peak memory

For every page and action — (a) first: a new session opens the page's address; (b) click: the sidebar
link to it from another page; (c) as_of: a quarter-end shortcut under 截至日期; (d) dept: another
单位 — the time from the action until Streamlit's own message that the script run finished
(ForwardMsg.script_finished, read off the page's websocket) and the page has drawn it (no stale
element, skeleton or running indicator left, every chart drawn). The floor is the same walk over
bench/floor_app.py replaying the query results recorded from the real app over the same database
and actions: the same elements, no database. Real app and floor alternate, repetition by
repetition, so the machine's load hits both alike; figures are medians, ratios in one run.

The cache: every repetition picks a quarter end and a unit not chosen before, so the filter changes
compute their figures (cold, as a person choosing a date does); the click comes back to a page
already drawn at those filters, and first visits (after the first repetition) find the default
date's figures cached by earlier sessions, as in a served office.
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_helpers import STREAMLIT, assert_no_exception, chromium, open_page, server_pid, streamlit_server, wait_until_idle  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page  # noqa: E402
from run import QUICK, SCALES, database, peak_rss_mb  # noqa: E402  (bench/run.py)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from monitor.i18n import t  # noqa: E402

LANG = "zh"
ACTIONS = ("first", "click", "as_of", "dept")
FLOOR = (sys.executable, str(BENCH / "floor_app.py"))


def app_pages() -> list[tuple[str, str]]:
    """(url path, title) of every page, read from dashboard.PAGES (importing dashboard.py would run it);
    the first, the default page, is at the root."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    pages = next(n.value for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES")
    return [("" if i == 0 else url, t(key, LANG)) for i, (_, url, key) in enumerate(ast.literal_eval(pages))]


# Drawn: the page's heading is there and nothing is left of the run (stale elements of the last run,
# skeletons, the running indicator), every plotly chart has its SVG; or an exception is shown, which
# the caller reports at once rather than after a timeout.
DRAWN = """() => {
    const q = (s) => document.querySelector(s);
    return q('[data-testid="stException"]')
        || q('[data-testid="stSidebar"]') && q('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h2')
        && !q('[data-stale="true"]') && !q('[data-testid="stSkeleton"]') && !q('[data-testid="stStatusWidget"]')
        && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'));
}"""


class Session:
    """One browser tab on the app, counting the script runs Streamlit reports finished."""

    def __init__(self, browser: BrowserContext) -> None:
        self.page: Page = browser.new_page()
        self.finished = 0
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg.FromString(payload)
            # a full run's end; fragment runs (the 5 s look for new data) and runs cut short by a rerun do not count
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.finished += 1

    def timed(self, action: Callable[[], object]) -> float:
        """Milliseconds from `action` until its script run finished and the page drew it."""
        before = self.finished
        started = time.perf_counter()
        action()
        deadline = started + 120
        while self.finished == before:
            if time.perf_counter() > deadline:
                raise TimeoutError("Streamlit never reported the run finished")
            self.page.wait_for_timeout(5)  # lets Playwright deliver the websocket frames
        self.page.wait_for_function(DRAWN, polling="raf", timeout=60000)
        ms = (time.perf_counter() - started) * 1000
        assert_no_exception(self.page)
        wait_until_idle(self.page)  # untimed: steady before the next action
        return ms


def walk(browser: BrowserContext, url: str, path: str, title: str, neighbour: str, rep: int) -> dict[str, float]:
    """One repetition of every action on one page, in a new session; `rep` (from 1) picks a quarter
    end and a unit the earlier repetitions did not."""
    s = Session(browser)
    sidebar = s.page.get_by_test_id("stSidebar")
    link = lambda name: sidebar.get_by_role("link", name=name, exact=True).click()  # noqa: E731
    ms = {"first": s.timed(lambda: s.page.goto(f"{url}/{path}"))}
    # Q1..Q3 ends: the default date is the last day with data, the year's end
    ms["as_of"] = s.timed(lambda: sidebar.get_by_role("button", name=t(f"as_of_q{(rep - 1) % 3 + 1}", LANG), exact=True).click())

    def pick_unit() -> None:
        sidebar.get_by_test_id("stSelectbox").filter(has_text=t("dept", LANG)).click()
        s.page.get_by_role("option").nth(rep).click()  # option 0 is 全部单位

    ms["dept"] = s.timed(pick_unit)
    s.timed(lambda: link(neighbour))
    ms["click"] = s.timed(lambda: link(title))
    s.page.close()
    return ms


def tabs_of(browser: Browser) -> BrowserContext:
    """Where one app's sessions open, each in its own tab: one browser profile, so the app's
    scripts and styles come from the browser's cache after the first visit, as for a person."""
    return browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")


def benchmark(db: Path, pages: list[tuple[str, str]], repeat: int) -> list[dict]:
    titles = [title for _, title in pages]
    everything = app_pages()
    neighbours = {title: next(o for _, o in everything if o != title) for title in titles}
    with tempfile.TemporaryDirectory(prefix="floor-") as recorded:
        launcher = {"real": STREAMLIT, "floor": (*FLOOR, "replay", recorded)}
        with streamlit_server(db, (*FLOOR, "record", recorded)) as url, chromium() as browser:
            tabs = tabs_of(browser)
            for rep in range(1, repeat + 1):  # the same walk as measured below: every result the floor needs
                for path, title in pages:
                    walk(tabs, url, path, title, neighbours[title], rep)
        times = {(app, title, action): [] for app in launcher for title in titles for action in ACTIONS}
        with streamlit_server(db, launcher["real"]) as real, streamlit_server(db, launcher["floor"]) as floor, chromium() as browser:
            urls, tabs = {"real": real, "floor": floor}, {app: tabs_of(browser) for app in launcher}
            for rep in range(1, repeat + 1):
                for path, title in pages:
                    for app in ("real", "floor") if rep % 2 else ("floor", "real"):
                        for action, ms in walk(tabs[app], urls[app], path, title, neighbours[title], rep).items():
                            times[app, title, action].append(ms)
                print(f"repetition {rep}/{repeat}: {title} done", file=sys.stderr)
    rows = []
    for title in titles:
        for action in ACTIONS:
            ms, floor_ms = (statistics.median(times[app, title, action]) for app in ("real", "floor"))
            rows.append({"page": title, "action": action, "ms": ms, "floor_ms": floor_ms, "vs_floor": ms / floor_ms})
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\n{'page':<8}{'action':<8}{'ms':>8}{'floor ms':>10}{'vs floor':>10}")
    for r in rows:
        print(f"{r['page']:<8}{r['action']:<8}{r['ms']:>8.0f}{r['floor_ms']:>10.0f}{r['vs_floor']:>9.2f}×")


def write_results(out: Path, rows: list[dict], repeat: int, db: Path) -> None:
    """Into bench/results.json beside what bench/run.py wrote there."""
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    results["browser"] = rows
    results["browser_run"] = {"db": db.name, "repeat": repeat}
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written: {out}")


def province_walk(db: Path, out: Path) -> None:
    """Every page opened twice (first visit, then from the cache), a screenshot of each, the server's peak memory."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with streamlit_server(db) as url, chromium() as browser:
        pid = server_pid(url)
        for path, _ in app_pages():
            seconds = []
            for visit in ("first", "cached"):
                started = time.perf_counter()
                page = open_page(browser, f"{url}/{path}")
                seconds.append(time.perf_counter() - started)
                assert_no_exception(page)
                if visit == "first":
                    page.screenshot(path=str(out / f"{path}.png"), full_page=True)
                page.close()
            rows.append({"page": path, "first_s": seconds[0], "cached_s": seconds[1]})
            print(f"{path:<13} first {seconds[0]:6.1f} s   cached {seconds[1]:5.1f} s")
        peak = peak_rss_mb(pid)
    print(f"server peak RSS {peak:.0f} MB; screenshots in {out}")
    (out / "browse.json").write_text(json.dumps({"db": db.name, "pages": rows, "server_peak_rss_mb": peak}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per page and action (median); 3 quarter ends")
    parser.add_argument("--quick", action="store_true", help="one page, one repetition, a tiny database: checks the benchmark works")
    parser.add_argument("--results", type=Path, default=BENCH / "results.json")
    parser.add_argument("--walk", action="store_true", help="the province walk: screenshots and peak memory, no floor")
    parser.add_argument("--db", type=Path, help="the database (default: county for the benchmark, province for --walk)")
    parser.add_argument("--shots", type=Path, default=ROOT / "tests" / "artifacts" / "province", help="--walk's screenshots")
    args = parser.parse_args()
    if args.walk:
        db = args.db or BENCH / "scale-{}-{}.duckdb".format(*SCALES["province"])
        if not db.exists():
            sys.exit(f"{db} does not exist: run bench/run.py first, which generates it")
        province_walk(db, args.shots)
        return
    pages, repeat = app_pages(), args.repeat
    if args.quick:
        pages, repeat = pages[:1], 1
    db = args.db or database(*(("quick", *QUICK["quick"]) if args.quick else ("county", *SCALES["county"])))
    rows = benchmark(db, pages, repeat)
    print_table(rows)
    write_results(args.results, rows, repeat, db)


if __name__ == "__main__":
    main()
