"""Commands that make or copy out a whole database: `build-demo`, `gen-scale`, `export-parquet`."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.cli.common import _, db_option, open_for_reading, say, waiting
from monitor.errors import Refused
from monitor.store import service
from monitor.store.db import connect, db_path


def add_build_demo(commands) -> None:
    parser = commands.add_parser("build-demo", help=_("cli_help_build_demo"))
    db_option(parser)
    parser.set_defaults(run=_build_demo)


def _build_demo(args: argparse.Namespace) -> int:
    from monitor.demo.build import build_demo

    path = db_path(args.db)
    service.replace(path, build_demo, on_wait=waiting)
    say("cli_demo_built", path=path)
    return 0


def add_gen_scale(commands) -> None:
    parser = commands.add_parser("gen-scale", help=_("cli_help_gen_scale"))
    parser.add_argument("--projects", type=int, required=True, help=_("cli_help_projects"))
    parser.add_argument("--payments", type=int, required=True, help=_("cli_help_payments"))
    parser.add_argument("--db", required=True, help=_("cli_help_new_db"))
    parser.add_argument("--year", type=int, default=2024, help=_("cli_help_scale_year"))
    parser.add_argument("--seed", type=int, default=1, help=_("cli_help_seed"))
    parser.add_argument("--years", type=_positive, default=1, help=_("cli_help_scale_years"))
    parser.set_defaults(run=_gen_scale)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(_("cli_bad_positive", text=repr(text)))
    return int(text)


def _gen_scale(args: argparse.Namespace) -> int:
    import time

    from monitor.demo.scale import generate

    path = Path(args.db)
    if path.exists():
        raise Refused("cli_gen_exists", path=path)
    started = time.perf_counter()
    con = connect(path)
    try:
        counts = generate(con, args.projects, args.payments, args.year, args.seed, years=args.years)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    figures = {
        "path": path,
        "units": f"{counts.units:,}",
        "projects": f"{counts.projects:,}",
        "indicators": f"{counts.indicators:,}",
        "payments": f"{counts.payments:,}",
        "seconds": f"{time.perf_counter() - started:.0f}",
    }
    if args.years == 1:
        say("cli_gen_done", year=args.year, **figures)
    else:
        say("cli_gen_done_years", first=args.year - args.years + 1, last=args.year, **figures)
    return 0


def add_export_parquet(commands) -> None:
    parser = commands.add_parser("export-parquet", help=_("cli_help_export_parquet"))
    parser.add_argument("folder", type=Path, help=_("cli_help_parquet_dir"))
    db_option(parser)
    parser.set_defaults(run=_export_parquet)


def _export_parquet(args: argparse.Namespace) -> int:
    from monitor.store import parquet

    con = open_for_reading(args)
    try:
        written = parquet.export(con, args.folder)
    finally:
        con.close()
    say("cli_exported", folder=args.folder, tables=len(written), rows=f"{sum(written.values()):,}")
    return 0
