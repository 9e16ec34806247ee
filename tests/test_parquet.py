"""The Parquet export (`python -m monitor export-parquet DIR`) and the dashboard over it
(MONITOR_SOURCE=parquet:DIR): every page's figures equal those of the DuckDB file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from app_helpers import app_on
from cli_run import run_cli

from monitor.errors import Refused
from monitor.rules.disbursement import threshold_params
from monitor.rules.indicators import NO_FILTERS
from monitor.store import parquet, service
from monitor.store.db import connect, query_df

AS_OF = dt.date(2023, 9, 30)
PROJECT = "13052923P00584011183Y"
FILTERS = {k: v for k, v in NO_FILTERS.items() if k != "limit"}
PAGE_QUERIES = [  # (name, parameters): what the pages ask
    ("overview_summary", {"dept": None, **threshold_params()}),
    ("quarterly_totals", {"dept": None}),
    ("attention", {"dept": None, "limit": 10, "due": dt.date(2023, 6, 30), **threshold_params()}),
    ("project_status", {"dept": None, "limit": None, **threshold_params()}),
    ("indicator_status", {"dept": None, **NO_FILTERS}),
    ("indicator_counts", {"dept": None, **FILTERS}),
    ("indicator_heatmap", {"dept": None, "limit": 30, **FILTERS}),
    ("lowest_scores", {"dept": None, "limit": 2000}),
    ("project_figures", {"project": PROJECT, **threshold_params()}),
    ("project_quarters", {"project": PROJECT}),
    ("s_curve", {"dept": None, "project": PROJECT}),
    ("project_payments", {"project": PROJECT}),
    ("indicator_history", {"project": PROJECT}),
    ("dept_goals", {"dept": None}),
    ("explore_projects", {"dept": None, **threshold_params()}),
    ("explore_indicators", {"dept": None}),
    ("explore_payments", {"dept": None}),
    ("explore_quarters", {"dept": None}),
]


@pytest.fixture(scope="module")
def exported(demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("parquet") / "province"
    done = run_cli("export-parquet", str(folder), "--db", str(demo_db))
    assert done.returncode == 0, done.stderr
    assert (folder / "payments" / "year=2023" / "region=130529").is_dir()  # Hive partitions: year, region
    assert not (folder / "users").exists()  # password hashes are not exported
    return folder


@pytest.mark.parametrize(("name", "params"), PAGE_QUERIES, ids=[n for n, _ in PAGE_QUERIES])
def test_every_page_query_reads_the_same_from_parquet(demo_db, exported, name, params):
    values = {"year": 2023, "as_of": AS_OF, **params}
    with connect(demo_db, read_only=True) as con:
        expected = query_df(con, name, **{k: v for k, v in values.items() if f"${k}" in _text(name)})
    got = query_df(parquet.open_folder(exported), name, **{k: v for k, v in values.items() if f"${k}" in _text(name)})
    assert len(expected) > 0, name
    if "ORDER BY" not in _text(name):  # an unordered result: compare as sets of rows
        got, expected = (frame.sort_values(list(frame.columns)).reset_index(drop=True) for frame in (got, expected))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def _text(name: str) -> str:
    from monitor.store.db import sql

    return sql(name)


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/indicators.py", "app_pages/project.py", "app_pages/disbursement.py"])
def test_the_dashboard_over_parquet_shows_the_same_figures(demo_copy, exported, monkeypatch, page):
    on_duckdb = {m.label: m.value for m in app_on(demo_copy, monkeypatch, page, as_of="2023-09-30").metric}
    monkeypatch.setenv("MONITOR_SOURCE", f"parquet:{exported}")
    on_parquet = {m.label: m.value for m in app_on(demo_copy, monkeypatch, page, as_of="2023-09-30").metric}
    assert on_parquet == on_duckdb and len(on_parquet) >= 5


def test_nothing_is_written_over_parquet(demo_copy, exported, monkeypatch):
    monkeypatch.setenv("MONITOR_SOURCE", f"parquet:{exported}")
    with pytest.raises(Refused, match="Parquet"), service.writing(demo_copy):
        pass
