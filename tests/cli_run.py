"""Running `python -m monitor …` as a real process, as a user or a scheduled job would."""

from __future__ import annotations

import subprocess
import sys

from monitor.store.db import REPO_ROOT


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=REPO_ROOT, input=stdin, capture_output=True, text=True, timeout=120)
