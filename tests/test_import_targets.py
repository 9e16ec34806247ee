"""`python -m monitor import targets`: dry runs, the year rule, idempotence, replacing a
department-year, removed indicators and their actuals, nothing written on bad input."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from monitor.demo.build import DEMO_DIR
from monitor.errors import InputError
from monitor.ingest.targets import blank_template_xlsx, commit, preview
from monitor.ingest.template import TABLES, read_template
from monitor.store.db import REPO_ROOT, connect

DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"
TABLES_WRITTEN = ["departments", "projects", "project_goals", "plan_checkpoints", "indicators", "dept_goals", "dept_indicators"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "import", "targets", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )


def _counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in [*TABLES_WRITTEN, "import_batches"]}
    finally:
        con.close()


def _rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "monitor.duckdb"


def test_dry_run_json_writes_nothing(db):
    result = _cli(str(DOCUMENTS / "county_a.txt"), "--dry-run", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((DOCUMENTS / "county_a.expected.json").read_text(encoding="utf-8"))
    assert "2024" in result.stderr  # the proposed year is shown
    assert not db.exists()


def test_document_without_year_is_refused_naming_the_proposed_year(db):
    result = _cli(str(DOCUMENTS / "county_a.txt"), "--db", str(db))
    assert result.returncode == 2
    assert "--year 2024" in result.stderr
    assert not db.exists() or _counts(db)["projects"] == 0


def test_import_then_same_file_again_adds_nothing(db):
    first = _cli(str(DOCUMENTS / "county_a.txt"), "--year", "2024", "--db", str(db))
    assert first.returncode == 0, first.stderr
    counts = _counts(db)
    assert (counts["projects"], counts["indicators"], counts["plan_checkpoints"], counts["import_batches"]) == (2, 11, 8, 1)
    assert (counts["dept_goals"], counts["dept_indicators"]) == (7, 3)
    assert _rows(db, "SELECT kind, file_name, sha256 FROM import_batches") == [
        ("targets", "county_a.txt", hashlib.sha256((DOCUMENTS / "county_a.txt").read_bytes()).hexdigest())
    ]
    again = _cli(str(DOCUMENTS / "county_a.txt"), "--year", "2024", "--db", str(db))
    assert again.returncode == 0 and "已导入过" in again.stderr
    assert _counts(db) == counts


def test_template_folder_and_blank_workbook_round_trip(db, tmp_path):
    assert _cli(str(DEMO_DIR), "--db", str(db)).returncode == 0
    assert _counts(db)["indicators"] == 35
    workbook = load_workbook(io.BytesIO(blank_template_xlsx()))
    assert workbook.sheetnames[0] == "说明" and set(workbook.sheetnames[1:]) == set(TABLES)
    notes = [row[3] for row in workbook["说明"].iter_rows(values_only=True) if row[1] == "budget"]
    assert notes and "元" in notes[0]
    for path in DEMO_DIR.glob("*.csv"):
        sheet = workbook[path.stem]
        header = [c.value for c in sheet[1]]
        with path.open(encoding="utf-8") as f:
            for record in csv.DictReader(f):
                sheet.append([record.get(column, "") for column in header])
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    assert read_template(filled).to_json() == read_template(DEMO_DIR).to_json()


def test_bad_document_writes_nothing(db, tmp_path):
    assert _cli(str(DOCUMENTS / "county_b.txt"), "--year", "2024", "--db", str(db), "--accept-warnings").returncode == 0  # no 效益指标
    before = _counts(db)
    bad = tmp_path / "bad.txt"
    bad.write_text((DOCUMENTS / "county_a.txt").read_text(encoding="utf-8").replace("预算数 12.50", "预算数"), encoding="utf-8")
    result = _cli(str(bad), "--year", "2024", "--db", str(db))
    assert result.returncode == 2 and "13053124P00712300215X" in result.stderr and "预算数" in result.stderr
    assert _counts(db) == before


def _county_a_changed() -> bytes:
    """county_a with 巡查次数 dropped and the target of 管护成本 changed."""
    text = (DOCUMENTS / "county_a.txt").read_text(encoding="utf-8")
    text = text.replace("巡查次数 巡查次数 每季度一次 管护制度\n", "").replace("≤5万元", "≤4万元")
    return text.encode("utf-8")


def test_reimport_replaces_only_its_department_year_and_keeps_indicator_ids(tmp_path):
    con = connect(tmp_path / "m.duckdb")
    try:
        for source, name, year in [(DEMO_DIR, "demo", None), (DOCUMENTS / "county_a.txt", "a.txt", 2024)]:
            commit(con, preview(source, name, year), "tester")
        commit(con, preview((DOCUMENTS / "county_b.txt").read_bytes(), "b.txt", 2024), "tester", accept_warnings=True)
        a_2025 = preview(DOCUMENTS / "county_a.txt", "a.txt", 2025)
        commit(con, a_2025, "tester")

        def snapshot(where: str, params: list) -> list:
            return con.execute(f"SELECT * FROM indicators WHERE {where} ORDER BY indicator_id", params).fetchall()

        others = (snapshot("year = 2023", []), snapshot("year = 2025", []), snapshot("project_code = ?", ["13053124P00823400118Q"]))
        ids_before = dict(con.execute("SELECT level3, indicator_id FROM indicators WHERE year = 2024").fetchall())

        result = commit(con, preview(_county_a_changed(), "a2.txt", 2024), "tester")
        assert [(r.project_code, r.level3, r.actual_rows) for r in result.removed] == [("13053124P00712300215X", "巡查次数", 0)]
        assert (snapshot("year = 2023", []), snapshot("year = 2025", []), snapshot("project_code = ?", ["13053124P00823400118Q"])) == others
        ids_after = dict(con.execute("SELECT level3, indicator_id FROM indicators WHERE year = 2024").fetchall())
        assert ids_after == {k: v for k, v in ids_before.items() if k != "巡查次数"}
        assert con.execute("SELECT target_value FROM indicators WHERE year = 2024 AND level3 = '管护成本'").fetchone() == (4.0,)
        assert con.execute("SELECT count(*) FROM projects WHERE year = 2024").fetchone() == (3,)
    finally:
        con.close()


def test_removing_an_indicator_with_actuals_needs_consent_and_keeps_them(db, tmp_path):
    assert _cli(str(DOCUMENTS / "county_a.txt"), "--year", "2024", "--db", str(db)).returncode == 0
    (removed_id,) = _rows(db, "SELECT indicator_id FROM indicators WHERE level3 = '巡查次数'")[0]
    con = duckdb.connect(str(db))
    con.execute(
        "INSERT INTO indicator_actuals (year, project_code, indicator_id, period_end, actual_value, batch_id)"
        " VALUES (2024, '13053124P00712300215X', ?, DATE '2024-06-30', 2, 1)",
        [removed_id],
    )
    con.close()
    changed = tmp_path / "a2.txt"
    changed.write_bytes(_county_a_changed())
    before = _counts(db)
    refused = _cli(str(changed), "--year", "2024", "--db", str(db))
    assert refused.returncode == 2 and removed_id in refused.stderr and "--allow-removal" in refused.stderr
    assert _counts(db) == before
    accepted = _cli(str(changed), "--year", "2024", "--db", str(db), "--allow-removal")
    assert accepted.returncode == 0, accepted.stderr
    assert removed_id in accepted.stderr
    assert _rows(db, "SELECT count(*) FROM indicator_actuals WHERE indicator_id = ?", [removed_id]) == [(1,)]
    assert _rows(db, "SELECT count(*) FROM indicators WHERE indicator_id = ?", [removed_id]) == [(0,)]
    # a new indicator later does not take over the id the kept actuals refer to
    text = (DOCUMENTS / "county_a.txt").read_text(encoding="utf-8").replace("巡查次数 巡查次数", "巡查频次 巡查频次")
    renamed = tmp_path / "a3.txt"
    renamed.write_text(text, encoding="utf-8")
    assert _cli(str(renamed), "--year", "2024", "--db", str(db)).returncode == 0
    assert _rows(db, "SELECT count(*) FROM indicators WHERE indicator_id = ?", [removed_id]) == [(0,)]


def test_commit_refuses_a_proposed_year(tmp_path):
    con = connect(tmp_path / "m.duckdb")
    try:
        with pytest.raises(InputError, match="2024"):
            commit(con, preview(DOCUMENTS / "county_a.txt", "a.txt", None), "tester")
    finally:
        con.close()


def test_missing_file(db, tmp_path):
    result = _cli(str(tmp_path / "nope.pdf"), "--db", str(db))
    assert result.returncode == 5 and "nope.pdf" in result.stderr  # NotFound
    assert not db.exists()


def test_doubts_are_listed_by_a_dry_run_and_need_accept_warnings(db):
    """county_b has no 效益指标 group: a doubt. A dry run lists it and succeeds; an import is
    refused (exit 2, nothing written) until --accept-warnings."""
    dry = _cli(str(DOCUMENTS / "county_b.txt"), "--year", "2024", "--dry-run", "--db", str(db))
    assert dry.returncode == 0 and "效益指标" in dry.stderr
    refused = _cli(str(DOCUMENTS / "county_b.txt"), "--year", "2024", "--db", str(db))
    assert refused.returncode == 2
    assert (
        "--accept-warnings" in refused.stderr and "没有「效益指标」下的指标" in refused.stderr and "county_b.txt 第 7 行" in refused.stderr
    )
    assert not db.exists() or _counts(db)["projects"] == 0
    accepted = _cli(str(DOCUMENTS / "county_b.txt"), "--year", "2024", "--db", str(db), "--accept-warnings")
    assert accepted.returncode == 0, accepted.stderr
    assert _counts(db)["projects"] == 1


def test_newer_scheme_cost_indicators_score_inside_output(tmp_path):
    """county_c follows the newer scheme (成本指标 a level-1, 经济成本指标 under it, in a 单位：元
    document): its cost indicator shares 产出's 50 points with the 产出 indicators. Met 产出
    indicators and a cost of 80000 元 against ≤ 60000 元 (attainment 0.75) give
    50 × (1 + 1 + 0.75) / 3 = 45.83; 效益 and 满意度 met give 30 and 10."""
    from monitor.store.batches import insert_rows, new_batch
    from monitor.store.db import query_df

    con = connect(tmp_path / "m.duckdb")
    try:
        result = preview(DOCUMENTS / "county_c.txt", "county_c.txt", 2024)
        assert [(i.level1, i.level2) for i in result.targets.projects[0].indicators][2] == ("成本指标", "经济成本指标")
        commit(con, result, "tester")
        actuals = {"维修工程数量": 12.0, "工程完好率": 96.0, "维修养护成本": 80000.0, "受益人口": 5200.0, "群众满意度": 92.0}
        ids = dict(con.execute("SELECT level3, indicator_id FROM indicators").fetchall())
        batch = new_batch(con, "indicator_actuals", "constructed", "county_c actuals", len(actuals), "tester")
        insert_rows(
            con,
            "indicator_actuals",
            ("year", "project_code", "indicator_id", "period_end", "actual_value", "batch_id"),
            [(2024, "13053124P00912300301A", ids[k], dt.date(2024, 6, 30), v, batch) for k, v in actuals.items()],
        )
        (row,) = query_df(con, "project_scores", year=2024, dept=None, as_of="2024-06-30").dropna(subset=["project_code"]).itertuples()
        assert row.output_points == pytest.approx(50 * (1 + 1 + 60000 / 80000) / 3)
        assert (row.effect_points, row.satisfaction_points) == (pytest.approx(30.0), pytest.approx(10.0))
    finally:
        con.close()
