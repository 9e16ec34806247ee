"""Both languages complete: every page walked under AppTest in English and in Chinese, signed in as an
admin (so the forms of editors and the users page are drawn too). In English no word of our Chinese
UI may remain (the data, e.g. project names and targets, stays as written); in Chinese no English
phrase of ours may appear; in neither a cell or label reads "None" or "nan"."""

from __future__ import annotations

import re
from contextlib import closing

import pytest
from app_helpers import app_on
from streamlit.testing.v1 import AppTest
from test_pages_apptest import PAGES as EVERY_PAGE

from monitor import auth
from monitor.i18n import strings
from monitor.store.db import connect

PAGES = [*EVERY_PAGE, "app_pages/users.py"]  # the users page too: the walk is signed in as an admin
PASSWORD = "languages-test-password"
CJK = re.compile(r"[\u4e00-\u9fff]")
ELEMENTS = ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "error", "metric", "text")
WIDGETS = ("button", "selectbox", "multiselect", "radio", "checkbox", "text_input", "text_area", "date_input", "number_input", "toggle")
ENUMERATED = {"likelihood", "reason", "level1", "level2", "status", "kind", "role", "op", "state", "action", "origin", "unit"}


@pytest.fixture(scope="module")
def admin_db(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("languages") / "demo.duckdb"
    path.write_bytes(demo_db.read_bytes())
    with closing(connect(path)) as con:
        auth.add_user(con, "boss", "admin", PASSWORD)
    return path


@pytest.fixture(scope="module")
def data_text(admin_db) -> str:
    """Every free text of the data (names, targets, notes; not the enumerated codes), which stays as written."""
    with closing(connect(admin_db, read_only=True)) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
        ).fetchall()
        parts = [
            str(v)
            for table, column in columns
            if column not in ENUMERATED
            for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()
        ]
    return "\n".join(parts)


def _texts(at: AppTest) -> list[str]:
    """What a reader sees of the page: element texts, widget labels and options, table headers and cells."""
    found: list[str] = []
    for kind in ELEMENTS:
        for element in at.get(kind):
            proto = element.proto
            for field in ("body", "label", "body_text", "value"):
                value = getattr(proto, field, None)
                if isinstance(value, str) and value:
                    found.append(value)
    for kind in WIDGETS:
        for widget in getattr(at, kind):
            found.append(str(getattr(widget, "label", "")))
            if kind == "multiselect":  # an empty one shows its placeholder, Streamlit's English one when none is given
                found.append(widget.proto.placeholder or "Choose options")
            found.extend(str(o) for o in getattr(widget, "options", []) or [])
    for frame in at.dataframe:
        table = frame.value
        found.extend(str(c) for c in table.columns)
        for column in table.columns:
            if table[column].dtype == object:
                found.extend(str(v) for v in table[column].dropna().unique())
    return found


def _walk(admin_db, monkeypatch, lang: str) -> dict[str, list[str]]:
    at = app_on(admin_db, monkeypatch, PAGES[0], user="boss", password=PASSWORD, lang=lang, as_of="2023-09-30", timeout=120)
    seen = {}
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen[page] = _texts(at) + [str(s.value) for s in at.sidebar.selectbox] + [str(o) for s in at.sidebar.selectbox for o in s.options]
    return seen


def _without_data(text: str, data: str) -> str:
    """The text with the runs of Chinese that are data (found in the database's free text) removed."""
    return "".join(run for run in re.split(r"([\u4e00-\u9fff]+)", text) if not (CJK.match(run or " ") and run in data))


def test_english_mode_shows_no_word_of_the_chinese_ui(admin_db, monkeypatch, data_text):
    zh, en = strings("zh"), strings("en")
    ui_words = {v for k, v in zh.items() if CJK.search(v) and "{" not in v and 2 <= len(v) <= 12 and en[k] != v and v not in data_text}
    left = {}
    for page, texts in _walk(admin_db, monkeypatch, "en").items():
        words = sorted({w for text in texts for w in ui_words if w in _without_data(text, data_text)})
        if words:
            left[page] = words
    assert left == {}


def test_chinese_mode_shows_no_english_phrase_of_ours(admin_db, monkeypatch):
    zh, en = strings("zh"), strings("en")
    phrases = {v for k, v in en.items() if "{" not in v and re.fullmatch(r"[A-Za-z]+( [A-Za-z]+){1,}", v) and zh[k] != v}
    left = {}
    for page, texts in _walk(admin_db, monkeypatch, "zh").items():
        found = sorted({p for text in texts for p in phrases if p in text})
        codes = sorted({text for text in texts if text in ("green", "amber", "red", "None", "nan", "NaN")})
        if found or codes:
            left[page] = found + codes
    assert left == {}


def test_no_none_in_either_language(admin_db, monkeypatch):
    for lang in ("zh", "en"):
        for page, texts in _walk(admin_db, monkeypatch, lang).items():
            assert [t for t in texts if re.search(r"\b(None|nan|NaN)\b", t)] == [], (lang, page)
