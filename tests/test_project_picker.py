"""Project pickers over more projects than they list (a province has ~10^5): a search box narrows
them, the largest are listed first, and a deep link to any project keeps working."""

from __future__ import annotations

import pytest
from app_helpers import app_on
from streamlit.testing.v1 import AppTest

from monitor.demo.scale import generate
from monitor.settings import settings
from monitor.store.db import connect

PICKER_ROWS = settings().limits.picker_rows


@pytest.fixture(scope="module")
def many_projects(tmp_path_factory):
    path = tmp_path_factory.mktemp("picker") / "many.duckdb"
    con = connect(path)
    generate(con, PICKER_ROWS + 200, PICKER_ROWS + 200, year=2024)
    smallest = con.execute("SELECT project_code FROM projects ORDER BY budget, project_code LIMIT 1").fetchone()[0]
    largest = con.execute("SELECT project_code FROM projects ORDER BY budget DESC, project_code LIMIT 1").fetchone()[0]
    con.close()
    return path, smallest, largest


def project_page(db, monkeypatch, **params) -> AppTest:
    return app_on(db, monkeypatch, "app_pages/project.py", timeout=120, **params)


def test_the_picker_lists_the_largest_and_says_how_many_there_are(many_projects, monkeypatch):
    db, _, largest = many_projects
    at = project_page(db, monkeypatch)
    picker = at.selectbox(key="project")
    assert len(picker.options) == PICKER_ROWS and picker.value == largest
    assert any(f"{PICKER_ROWS + 200:,}" in c.value for c in at.caption)


def test_search_narrows_the_picker_and_a_deep_link_reaches_a_project_beyond_the_list(many_projects, monkeypatch):
    db, smallest, _ = many_projects
    at = project_page(db, monkeypatch, project=smallest)
    assert at.selectbox(key="project").value == smallest  # not among the largest, still selectable
    assert not [c.value for c in at.caption if "已忽略" in c.value]  # no "ignored address parameter" notice
    at.text_input(key="project_search").input(smallest[-6:]).run()
    options = at.selectbox(key="project").options
    assert smallest in "".join(options) and len(options) < PICKER_ROWS


def test_a_search_without_matches_leaves_the_indicator_filter_at_all(many_projects, monkeypatch):
    db, _, _ = many_projects
    at = app_on(db, monkeypatch, "app_pages/indicators.py", timeout=120, ind_project_search="no such project")
    assert at.selectbox(key="ind_project").value == "*" and len(at.selectbox(key="ind_project").options) == 2  # 全部 and 部门整体


def test_a_search_without_matches_on_the_project_page_says_so(many_projects, monkeypatch):
    at = project_page(many_projects[0], monkeypatch, project_search="no such project")
    assert [i.value for i in at.info] == ["没有符合条件的记录。"]
