"""Command line: `python -m monitor <command>`.

Each command registers its parser in an `add_<command>` function of the module that holds it
(`databases`, `reports`, `imports`, `users`; what they share is in `common`) and handles its
arguments in the function it sets as `run`; commands import their modules lazily so `--help` is fast.
Everything it prints is worded in the language of MONITOR_LANG (default Chinese); a refusal
(`monitor.errors.MonitorError`) is printed on standard error and exits with its kind's status:
0 done, 2 refused input or request, 3 database busy, 4 not allowed, 5 not found, 6 bad setting.
"""

from __future__ import annotations

import argparse
import sys

from monitor.cli.common import _, cli_lang
from monitor.cli.databases import add_build_demo, add_export_parquet, add_gen_scale
from monitor.cli.imports import (
    add_import_actuals,
    add_import_forecasts,
    add_import_form,
    add_import_payments,
    add_import_targets,
    add_template,
    add_undo,
    add_watch,
)
from monitor.cli.reports import add_bulletin, add_report, add_status
from monitor.cli.users import add_add_user
from monitor.errors import MonitorError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor", description=_("cli_description"))
    commands = parser.add_subparsers(dest="command", required=True)
    add_build_demo(commands)
    add_gen_scale(commands)
    add_status(commands)
    add_report(commands)
    add_bulletin(commands)
    imports = commands.add_parser("import", help=_("cli_help_import"))
    kinds = imports.add_subparsers(dest="kind", required=True)
    add_import_targets(kinds)
    add_import_payments(kinds)
    add_import_actuals(kinds)
    add_import_forecasts(kinds)
    add_import_form(kinds)
    add_undo(commands)
    add_watch(commands)
    add_export_parquet(commands)
    add_add_user(commands)
    add_template(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except MonitorError as error:
        print(error.message(cli_lang()), file=sys.stderr)
        return error.exit_status
