"""Monitoring thresholds from `monitor/monitoring.toml` (or the file named by MONITOR_CONFIG)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).with_name("monitoring.toml")


@dataclass(frozen=True)
class Thresholds:
    amber_behind_pp: float
    red_behind_pp: float


def thresholds() -> Thresholds:
    path = Path(os.environ.get("MONITOR_CONFIG") or DEFAULT_CONFIG)
    with path.open("rb") as f:
        section = tomllib.load(f)["disbursement"]
    found = Thresholds(float(section["amber_behind_pp"]), float(section["red_behind_pp"]))
    if not 0 <= found.amber_behind_pp <= found.red_behind_pp:
        raise ValueError(f"{path}: expected 0 <= amber_behind_pp <= red_behind_pp, got {found}")
    return found
