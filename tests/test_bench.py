"""The benchmark (bench/run.py) keeps working: its quick mode on a tiny generated province."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from browser_helpers import needs_chromium

from monitor.demo.scale import generate
from monitor.store.db import REPO_ROOT, connect

PAGES = ["总览", "预算执行", "绩效指标", "即席查询", "项目详情"]


def test_quick_benchmark_writes_every_figure(tmp_path):
    out = tmp_path / "results.json"
    subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--quick", "--out", str(out)], check=True, timeout=120)
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["scale"] == {"projects": 300, "indicators": 2100, "payments": 30000}
    assert [p["page"] for p in results["pages"]] == PAGES
    for page in results["pages"]:
        assert page["ms"] > 0 and page["floor_ms"] > 0 and page["pandas_ms"] > 0
        assert page["vs_floor"] == page["ms"] / page["floor_ms"]
        assert page["vs_pandas"] == page["pandas_ms"] / page["ms"]
    assert results["import"]["rows"] == 3000 and results["import"]["vs_read_csv"] > 0
    assert 0 < results["peak_rss_mb"] < 2048


@needs_chromium
def test_quick_browser_benchmark_writes_every_action_beside_the_rest(tmp_path):
    out = tmp_path / "results.json"
    out.write_text(json.dumps({"county": {"kept": True}}), encoding="utf-8")
    subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "browse.py"), "--quick", "--results", str(out)], check=True, timeout=300)
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["county"] == {"kept": True}
    assert [(r["page"], r["action"]) for r in results["browser"]] == [("总览", a) for a in ("first", "click", "as_of", "dept")]
    for row in results["browser"]:
        assert row["ms"] > 0 and row["floor_ms"] > 0 and row["vs_floor"] == row["ms"] / row["floor_ms"]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", REPO_ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_refuses_to_time_a_baseline_that_computes_other_figures(tmp_path):
    """The ratios compare like with like: every page's figures agree across the page, its floor and
    its pandas baseline, and one payment changed in the baseline's frames is caught by name."""
    bench = _bench_module()
    con = connect(tmp_path / "small.duckdb")
    try:
        generate(con, 60, 3_000, bench.YEAR)
        c = bench.context(con)
        app, floor, frames = bench.app_pages(con, c), bench.floor_pages(con, c), bench.Frames(con)
        pandas = bench.pandas_pages(frames, c)
        for page in bench.FLOORS:
            bench.check_alike(page, app[page](), floor[page](), pandas[page]())
        mine = frames.payments.index[(frames.payments["project_code"] == c["project"]) & (frames.payments["paid_on"] <= str(c["as_of"]))]
        frames.payments.loc[mine[0], "amount"] += 100
        with pytest.raises(RuntimeError, match=r"项目详情: .*actual: page"):
            bench.check_alike("项目详情", app["项目详情"](), floor["项目详情"](), pandas["项目详情"]())
    finally:
        con.close()
