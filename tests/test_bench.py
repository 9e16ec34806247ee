"""The benchmark (bench/run.py) keeps working: its quick mode on a tiny generated province."""

from __future__ import annotations

import json
import subprocess
import sys

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
