"""The benchmark (bench/run.py) keeps working: its quick mode on a tiny generated province."""

from __future__ import annotations

import json
import subprocess
import sys

from browser_helpers import needs_chromium

from monitor.store.db import REPO_ROOT

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
