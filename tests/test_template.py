"""The structured targets template: encodings, xlsx, and clear messages for bad input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from monitor.demo.build import DEMO_DIR
from monitor.errors import InputError
from monitor.ingest.target_set import validate
from monitor.ingest.template import read_template


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.fixture
def template(tmp_path) -> Path:
    folder = tmp_path / "template"
    shutil.copytree(DEMO_DIR, folder)
    return folder


def test_demo_template_reads_and_validates():
    targets = read_template(DEMO_DIR)
    assert targets.year == 2023
    assert validate(targets, "demo") == []
    assert [len(p.indicators) for p in targets.projects] == [7] * 5


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_encodings_read_the_same(template, encoding):
    for path in template.glob("*.csv"):
        _write(path, _rows(path), encoding)
    assert read_template(template).to_json() == read_template(DEMO_DIR).to_json()


def test_xlsx_workbook_reads_the_same(tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for path in sorted(DEMO_DIR.glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        for row in _rows(path):
            sheet.append(row)
    for row in workbook["projects"].iter_rows(min_row=2, min_col=5, max_col=7):  # money as numbers, as Excel keeps it
        for cell in row:
            cell.value = float(cell.value)
    target = tmp_path / "targets.xlsx"
    workbook.save(target)
    assert read_template(target).to_json() == read_template(DEMO_DIR).to_json()


def test_bad_cells_are_reported_with_file_row_and_column(template):
    rows = _rows(template / "projects.csv")
    rows[2][4] = "八十七万"  # budget of the second project
    _write(template / "projects.csv", rows)
    rows = _rows(template / "plan_checkpoints.csv")
    rows[5][2] = "2023-02-30"
    _write(template / "plan_checkpoints.csv", rows)
    with pytest.raises(InputError) as error:
        read_template(template)
    messages = [str(p) for p in error.value.problems]
    assert any("projects.csv" in m and "第 3 行" in m and "budget" in m and "八十七万" in m for m in messages), messages
    assert any("plan_checkpoints.csv" in m and "第 6 行" in m and "2023-02-30" in m for m in messages), messages


def test_unknown_project_is_reported(template):
    rows = _rows(template / "indicators.csv")
    rows[1][1] = "NOPE"
    _write(template / "indicators.csv", rows)
    with pytest.raises(InputError) as error:
        read_template(template)
    assert "indicators.csv 第 2 行 列「project_code」：值 'NOPE'" in str(error.value)


def test_missing_column_is_reported(template):
    rows = _rows(template / "departments.csv")
    _write(template / "departments.csv", [r[1:] for r in rows])  # drop dept_code
    with pytest.raises(InputError) as error:
        read_template(template)
    assert "departments.csv" in str(error.value) and "dept_code" in str(error.value)


def test_plan_that_does_not_reach_the_budget_is_refused(template):
    rows = _rows(template / "plan_checkpoints.csv")
    rows[4][3] = "19000.00"  # last checkpoint of the first project (budget 20000.00)
    _write(template / "plan_checkpoints.csv", rows)
    problems = validate(read_template(template), "template")
    assert len(problems) == 1
    assert "13052923P00584011183Y" in str(problems[0]) and "预算数" in str(problems[0])
