"""Command line: `python -m monitor <command>`.

Each command registers its parser in a `_add_<command>` function and handles its arguments
in the function it sets as `run`; commands import their modules lazily so `--help` is fast.
"""

from __future__ import annotations

import argparse
import sys

from monitor.db import db_path
from monitor.errors import InputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor", description="绩效运行监控 command line")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_build_demo(commands)
    imports = commands.add_parser("import", help="import a file (all-or-nothing, idempotent)")
    kinds = imports.add_subparsers(dest="kind", required=True)
    del kinds  # importers register here: `import targets|payments|actuals`
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(error, file=sys.stderr)
        return 2


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: $MONITOR_DB or data/monitor.duckdb)")


def _add_build_demo(commands) -> None:
    parser = commands.add_parser("build-demo", help="build the demo database from data/demo (seed targets + 演示数据 actuals)")
    _db_option(parser)
    parser.set_defaults(run=_build_demo)


def _build_demo(args: argparse.Namespace) -> int:
    from monitor.demo import build_demo

    path = db_path(args.db)
    build_demo(path)
    print(f"demo database built: {path}")
    return 0
