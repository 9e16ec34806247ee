"""Shared fixtures: the demo database (built once per run) and the seed document."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from monitor.demo.build import DEMO_DIR, build_demo
from monitor.demo.scale import generate
from monitor.ingest.target_set import write_targets
from monitor.ingest.template import read_template
from monitor.store.db import REPO_ROOT, connect

SEED = REPO_ROOT.parent / "shared" / "seeds" / "000_69fb4c7d6af26be9.txt"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A demo database built by the real builder; tests must not modify it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def small_county(tmp_path_factory) -> Path:
    """A generated county (monitor.demo.scale): 100 projects in its units, 2023 and 2024; tests must not modify it."""
    path = tmp_path_factory.mktemp("small-county") / "county.duckdb"
    con = connect(path)
    try:
        generate(con, 100, 5_000, year=2024, seed=11, years=2)
    finally:
        con.close()
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database, for tests that write or hold it open."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture
def targets_only(tmp_path):
    """A connection to a new database holding the seed's targets and no actuals; tests add
    the actuals they need."""
    con = connect(tmp_path / "targets.duckdb")
    write_targets(con, read_template(DEMO_DIR), "data/demo", "targets", "test")
    yield con
    con.close()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The published targets document. Outside CI the tests that need it skip when the
    shared folder is absent (users get only the repo); in CI they must run."""
    if not SEED.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"seed document missing in CI: {SEED}")
        pytest.skip(f"seed document not present at {SEED} (only in the development checkout)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    """One headless OS Chromium for every browser test of the run."""
    from browser_helpers import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
