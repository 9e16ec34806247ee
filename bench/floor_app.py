"""The browser benchmark's draw-only floor: the real app (dashboard.py, every page's own elements)
with its query layer recorded once and then replayed from memory, so a replayed run draws the same
metrics, charts, tables and widgets without asking the database.

    python bench/floor_app.py record DIR run dashboard.py [streamlit options]   # the real app, keeping every result in DIR
    python bench/floor_app.py replay DIR run dashboard.py [streamlit options]   # the floor: results from DIR only

A launcher rather than an entry script: the pages stay on dashboard.py as their main script (their
relative page paths resolve as in the app), and `monitor.ui.data.run_sql` — which `query()` calls and
the explore builder imports — is replaced in this process before Streamlit imports any page.

Left out of the replay (still read from the database in the floor, cheap): the published version's
pointer (`data_version`, once per run and every 5 s for new data) and what goes through `cursor()`:
the saved-views list of 即席查询, the signed-in user, and the 监控任务 round being edited.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import monitor.ui.data as data


def key(text: str, params: dict[str, Any]) -> str:
    """The cache key `_cached_sql` uses (text and sorted params), as text: params may hold lists."""
    return repr((text, tuple(sorted(params.items()))))


def recorder(folder: Path):
    live = data.run_sql

    def run_sql(text: str, params: dict[str, Any]) -> pd.DataFrame:
        frame = live(text, params)
        k = key(text, params)
        file = folder / f"{hashlib.sha256(k.encode()).hexdigest()}.pkl"
        if not file.exists():  # one file per result: no shared file rewritten by concurrent runs
            tmp = file.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps((k, frame)))
            tmp.replace(file)
        return frame

    return run_sql


def replayer(folder: Path):
    recorded = dict(pickle.loads(file.read_bytes()) for file in folder.glob("*.pkl"))

    def run_sql(text: str, params: dict[str, Any]) -> pd.DataFrame:
        k = key(text, params)
        if k not in recorded:  # the floor must draw what the app drew: a gap is the benchmark's error, shown on the page
            raise KeyError(f"not recorded: {text.splitlines()[0][:80]} with {sorted(params.items())}")
        return recorded[k].copy()  # as the cache does: a page may add columns to its frame

    return run_sql


def main() -> None:
    mode, folder, *streamlit_args = sys.argv[1:]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data.run_sql = {"record": recorder, "replay": replayer}[mode](folder)
    from streamlit.web import cli

    sys.argv = ["streamlit", *streamlit_args]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
