"""Opening the database: the memory budget every connection gets."""

import pytest

from monitor.errors import SettingsError
from monitor.settings import settings
from monitor.store.db import connect


def test_memory_budget_default_and_override(tmp_path, monkeypatch):
    monkeypatch.delenv("MONITOR_MEMORY_LIMIT", raising=False)
    assert settings().memory_limit == "2GB"
    monkeypatch.setenv("MONITOR_MEMORY_LIMIT", "512MB")
    con = connect(tmp_path / "m.duckdb")
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("512.0 MiB", "488.2 MiB", "512.0 MB", "488.2 MB")
    finally:
        con.close()


@pytest.mark.parametrize("value", ["lots", "2", "1GB; DROP TABLE projects"])
def test_memory_budget_refuses_anything_but_a_size(monkeypatch, value):
    monkeypatch.setenv("MONITOR_MEMORY_LIMIT", value)
    with pytest.raises(SettingsError, match="MONITOR_MEMORY_LIMIT"):
        settings()
