"""`python -m monitor build-demo`: deterministic, idempotent, honours --db and MONITOR_DB."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import duckdb

from monitor.store.db import REPO_ROOT, db_path

TABLES = [
    "departments",
    "projects",
    "project_goals",
    "plan_checkpoints",
    "indicators",
    "dept_goals",
    "dept_indicators",
    "payments",
    "indicator_actuals",
    "round_tasks",
    "round_units",
    "round_snapshots",
    "round_transitions",
    "rectifications",
]


def _content(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        data = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
        data["import_batches"] = con.execute(
            "SELECT batch_id, kind, file_name, sha256, row_count, imported_by, is_demo FROM import_batches"
        ).fetchall()
        return data
    finally:
        con.close()


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_build_twice_gives_the_same_database(tmp_path, demo_db):
    path = tmp_path / "again.duckdb"
    first = _cli("build-demo", "--db", str(path))
    assert first.returncode == 0, first.stderr
    once = _content(path)
    assert _cli("build-demo", "--db", str(path)).returncode == 0
    assert _content(path) == once
    assert once == _content(demo_db)  # and the same as the fixture built in-process
    assert not list(tmp_path.glob("*.tmp*"))


def test_monitor_db_environment_variable(tmp_path):
    path = tmp_path / "env.duckdb"
    result = _cli("build-demo", env={"MONITOR_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert path.is_file()
    assert db_path("x.duckdb").name == "x.duckdb"  # --db wins over the environment


def test_demo_actuals_have_the_promised_shape(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        first, last = con.execute("SELECT min(paid_on), max(paid_on) FROM payments").fetchone()
        assert (first.year, first.month, last.month) == (2023, 1, 9)
        assert con.execute("SELECT count(*) FROM payments WHERE amount < 0").fetchone()[0] >= 1  # a refund
        rates = dict(
            con.execute(
                "SELECT p.name, sum(pay.amount) / max(c.planned_cumulative) FROM projects p JOIN payments pay USING (year, project_code)"
                " JOIN plan_checkpoints c USING (year, project_code) WHERE c.checkpoint_date = DATE '2023-06-30'"
                " AND pay.paid_on <= DATE '2023-06-30'"
                " GROUP BY p.name"
            ).fetchall()
        )
        assert rates["巨鹿县研究院专项经费"] < Decimal("0.5")  # clearly behind
        assert rates["老科协工作经费"] > Decimal("1.1")  # ahead
        assert Decimal("0.95") <= rates["科普专项经费"] <= Decimal("1.05")  # on plan
        periods = {str(d) for (d,) in con.execute("SELECT DISTINCT period_end FROM indicator_actuals").fetchall()}
        assert periods == {"2023-06-30", "2023-09-30"}
        assert con.execute("SELECT count(*) FROM indicator_actuals WHERE likelihood IN ('有可能', '完全不可能')").fetchone()[0] >= 2
        assert con.execute("SELECT count(*) FROM indicator_actuals WHERE reason IS NOT NULL").fetchone()[0] >= 2
        assert con.execute("SELECT bool_and(is_demo) FROM import_batches WHERE kind <> 'targets'").fetchone()[0]
    finally:
        con.close()
