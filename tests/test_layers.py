"""The import rules between layers (monitor/__init__.py): each subpackage imports only the layers
below it, and only the UI layer, the pages and the entry point import streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from monitor.store.db import REPO_ROOT

FOUNDATION = {"errors", "settings", "i18n", "fmt"}
ALLOWED = {  # layer → the layers of ours it may import (besides itself)
    **{name: FOUNDATION for name in FOUNDATION},
    "store": FOUNDATION,
    "auth": FOUNDATION | {"store"},
    "ingest": FOUNDATION | {"store"},
    "rules": FOUNDATION | {"store"},
    "review": FOUNDATION | {"store", "rules"},
    "explore": FOUNDATION | {"store", "rules"},
    "rounds": FOUNDATION | {"auth", "store", "rules", "ingest"},
    "demo": FOUNDATION | {"auth", "store", "ingest", "rules", "rounds"},
    "ui": FOUNDATION | {"auth", "store", "ingest", "rules", "review", "rounds", "explore", "demo"},
    "cli": FOUNDATION | {"auth", "store", "ingest", "rules", "review", "rounds", "explore", "demo"},
    "__main__": {"cli"},
    "pages": FOUNDATION | {"ui", "rules", "review", "rounds", "explore"},
}
ALSO_ALLOWED = {"pages": {"monitor.store.vocabulary"}}  # the data model's enumerations, not the database
STREAMLIT_ALLOWED = {"ui", "pages"}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "monitor" and len(parts) > 1 else None


def _sources() -> list[tuple[str, Path]]:
    found = [(_layer(".".join(p.relative_to(REPO_ROOT).with_suffix("").parts)), p) for p in (REPO_ROOT / "monitor").rglob("*.py")]
    found = [(layer, p) for layer, p in found if layer != "__init__"]
    pages = [("pages", p) for p in [*(REPO_ROOT / "app_pages").glob("*.py"), REPO_ROOT / "dashboard.py"]]
    return [*found, *pages]


def _imports(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from monitor import fmt` imports the module monitor.fmt
            modules += [f"monitor.{a.name}" for a in node.names] if node.module == "monitor" else [node.module]
    return modules


def test_every_layer_is_known():
    assert {layer for layer, _ in _sources()} <= set(ALLOWED)


@pytest.mark.parametrize(("layer", "path"), _sources(), ids=lambda v: str(v.relative_to(REPO_ROOT)) if isinstance(v, Path) else v)
def test_imports_follow_the_layers(layer: str, path: Path):
    wrong = []
    for module in _imports(path):
        target = _layer(module)
        if target and target != layer and target not in ALLOWED[layer] and module not in ALSO_ALLOWED.get(layer, ()):
            wrong.append(module)
        if module.split(".")[0] == "streamlit" and layer not in STREAMLIT_ALLOWED:
            wrong.append(module)
    assert not wrong, f"{path.relative_to(REPO_ROOT)} ({layer}) may not import {wrong}"
