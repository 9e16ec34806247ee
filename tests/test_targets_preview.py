"""数据管理 → 目标导入 under AppTest: a published document previewed beside its source (lines of
text, page images of a PDF), the rows read with doubt marked in words, and an import of a
document read with doubts only once the doubts are confirmed."""

from __future__ import annotations

from pathlib import Path

import app_helpers
import pytest
from browser_helpers import needs_chromium
from streamlit.testing.v1 import AppTest

from monitor.store.db import connect

DOCUMENTS = Path(__file__).parent / "fixtures" / "documents"
PASSWORD = "preview-test-password"


@pytest.fixture
def db(demo_db, tmp_path):
    return app_helpers.database_with_user(demo_db, tmp_path / "preview.duckdb", "ed", "editor", PASSWORD)


def _upload(at: AppTest, name: str, data: bytes) -> None:
    uploader = next(u for u in at.file_uploader if u.key.startswith("targets_file_"))
    uploader.set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception


def _projects_stored(db: Path, year: int) -> int:
    con = connect(db)
    try:
        return con.execute("SELECT count(*) FROM projects WHERE year = ?", [year]).fetchone()[0]
    finally:
        con.close()


def test_text_document_beside_its_lines_and_doubts_confirmed_before_import(db, monkeypatch):
    """county_b has no 效益指标: the doubt is listed, marked on its project, and the import
    button stays disabled until the confirmation is ticked."""
    at = app_helpers.app_on(db, monkeypatch, "app_pages/data.py", user="ed", password=PASSWORD)
    _upload(at, "county_b.txt", (DOCUMENTS / "county_b.txt").read_bytes())
    assert any("1 处存疑" in w.value for w in at.warning)
    assert any("没有「效益指标」下的指标" in w.value for w in at.warning)
    tables = [t.value for t in at.dataframe]
    source = next(t for t in tables if "text" in t.columns)
    assert source["row"].iloc[0] == 7 and source["text"].iloc[0] == "项目编码"  # the file's own line numbers
    assert "数量指标 维修水库数量 维修水库数量 ≥3 座 年度计划" in set(source["text"])
    read = next(t for t in tables if "doubt" in t.columns and "level3" in t.columns)
    assert list(read["level3"]) == ["维修水库数量", "维修养护成本", "群众满意度"] and set(read["doubt"]) == {"—"}
    assert at.button(key="targets_confirm").disabled
    at.number_input(key="targets_year").set_value(2024).run()
    at.checkbox(key="targets_accept_warnings").check().run()
    assert not at.button(key="targets_confirm").disabled
    at.button(key="targets_confirm").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("已导入批次") for s in at.success)
    assert _projects_stored(db, 2024) == 1


def test_a_document_without_doubts_needs_no_confirmation(db, monkeypatch):
    at = app_helpers.app_on(db, monkeypatch, "app_pages/data.py", user="ed", password=PASSWORD)
    _upload(at, "county_a.txt", (DOCUMENTS / "county_a.txt").read_bytes())
    assert not [c for c in at.checkbox if c.key == "targets_accept_warnings"]
    assert not at.button(key="targets_confirm").disabled
    assert [o for o in at.selectbox(key="targets_source_project").options] == [
        "13053124P00712300215X 高标准农田建设管护经费",
        "13053124P007123002207 农业技术推广培训经费",
    ]
    at.selectbox(key="targets_source_project").select_index(1).run()
    read = next(t.value for t in at.dataframe if "level3" in t.value.columns and "doubt" in t.value.columns)
    assert list(read["level3"])[:2] == ["培训人次", "培训完成及时率"]


@needs_chromium
def test_pdf_document_beside_its_page_images(db, monkeypatch, browser, tmp_path):
    page = browser.new_page()
    try:
        page.set_content((DOCUMENTS / "county_a.html").read_text(encoding="utf-8"))
        data = page.pdf(format="A4")
    finally:
        page.close()
    at = app_helpers.app_on(db, monkeypatch, "app_pages/data.py", user="ed", password=PASSWORD)
    _upload(at, "county_a.pdf", data)
    (image,) = at.get("image")  # only the page of the project looked at, rendered on demand
    assert image.captions == ["第 2 页"]
    read = next(t.value for t in at.dataframe if "level3" in t.value.columns and "doubt" in t.value.columns)
    assert list(read["where"].unique()) == ["2"]  # each indicator with the page it is on
