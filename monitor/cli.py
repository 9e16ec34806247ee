"""Command line: `python -m monitor <command>`."""

from __future__ import annotations

import argparse
import sys

from monitor.db import db_path
from monitor.errors import InputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor", description="绩效运行监控 command line")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-demo", help="build the demo database from data/demo (seed targets + 演示数据 actuals)")
    build.add_argument("--db", help="database file (default: $MONITOR_DB or data/monitor.duckdb)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build-demo":
            return _build_demo(args)
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    return 1


def _build_demo(args: argparse.Namespace) -> int:
    from monitor.demo import build_demo

    path = db_path(args.db)
    build_demo(path)
    print(f"demo database built: {path}")
    return 0
