"""Building the demo database: the seed's targets from `data/demo/` plus generated actuals."""

from __future__ import annotations

import os
from pathlib import Path

from monitor.demo.actuals import write_demo_actuals
from monitor.demo.rounds import write_demo_rounds
from monitor.errors import InputError
from monitor.ingest.target_set import validate, write_targets
from monitor.ingest.template import read_template, template_files
from monitor.store import service
from monitor.store.batches import sha256_of
from monitor.store.db import REPO_ROOT, connect

DEMO_DIR = REPO_ROOT / "data" / "demo"
DEMO_YEAR = 2023  # not printed in the seed; its project codes carry 23 after the region code 130529
BUILDER = "build-demo"


def build_demo(path: Path) -> None:
    """(Re)build the demo database at `path`.

    The file is built beside the target and moved into place only when complete, so a
    crash or a second process never sees a half-built database; building twice gives the
    same content.
    """
    targets = read_template(DEMO_DIR, DEMO_YEAR)
    problems = validate(targets, "data/demo")
    if problems:
        raise InputError(problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = connect(tmp)
    try:
        write_targets(con, targets, "data/demo", sha256_of(template_files(DEMO_DIR)), BUILDER)
        con.execute("BEGIN TRANSACTION")
        write_demo_actuals(con, targets, BUILDER)
        con.execute("COMMIT")
        # A submission freezes query results as JSON: on one thread their row order (of ties, of unions)
        # is the same every time, so building twice gives the same bytes.
        con.execute("SET threads = 1")
        for department in targets.departments:  # each step of a round is a transaction of its own
            write_demo_rounds(con, targets.year, department.dept_code)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)


def ensure_database(path: Path) -> None:
    """Build (and publish) the demo database on first start, when no database file exists yet; two
    processes starting at once build it once."""
    if not path.exists():
        service.replace(path, lambda db: None if db.exists() else build_demo(db))
