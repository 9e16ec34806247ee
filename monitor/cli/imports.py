"""Commands that write data: `import targets|payments|actuals|forecasts|form` (all or nothing, the
same file twice adds nothing; `--dry-run` checks only), `undo`, `watch` (a folder fed by another
system) and `template` (the blank workbooks to fill)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from monitor.cli.common import _, cli_lang, cli_user, db_option, note, open_for_reading, say, writing
from monitor.errors import NotFound, Refused
from monitor.i18n import LANGUAGES, Msg
from monitor.store.db import db_path


def add_import_targets(kinds) -> None:
    parser = kinds.add_parser("targets", help=_("cli_help_import_targets"))
    parser.add_argument("file", help=_("cli_help_targets_file"))
    parser.add_argument("--year", type=int, help=_("cli_help_targets_year"))
    db_option(parser)
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    parser.add_argument("--json", action="store_true", help=_("cli_help_targets_json"))
    parser.add_argument("--allow-removal", action="store_true", help=_("cli_help_allow_removal"))
    parser.add_argument("--accept-warnings", action="store_true", help=_("cli_help_accept_warnings"))
    parser.set_defaults(run=_import_targets)


def _import_targets(args: argparse.Namespace) -> int:
    from monitor.ingest.targets import commit, preview

    path = Path(args.file)
    if not path.exists():
        raise NotFound("cli_no_file", path=path)
    result = preview(path, path.name, args.year)
    _warn(result.warnings)
    for doubt in result.doubts:
        print(doubt.problem.text(cli_lang()), file=sys.stderr)
    targets = result.targets
    summary = _(
        "cli_targets_summary",
        projects=len(targets.projects),
        indicators=sum(len(p.indicators) for p in targets.projects),
        year=targets.year,
    )
    if args.json:
        print(json.dumps(targets.to_json(), ensure_ascii=False, indent=2))
    if args.dry_run:
        note("cli_dry_run", summary=summary)
        return 0
    with writing(args) as con:
        outcome = commit(con, result, getpass.getuser(), allow_removal=args.allow_removal, accept_warnings=args.accept_warnings)
    if outcome.batch_id is None:
        note("cli_targets_unchanged", file=path.name)
        return 0
    for removed in outcome.removed:
        note("cli_indicator_removed", id=removed.indicator_id, level3=removed.level3, rows=removed.actual_rows)
    note("cli_targets_done", file=path.name, batch=outcome.batch_id, summary=summary)
    return 0


def _warn(warnings: list[Msg]) -> None:
    for warning in warnings:
        print(warning.text(cli_lang()), file=sys.stderr)


@contextmanager
def _database(args: argparse.Namespace, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """For a write, `writing`; for a dry run, the published snapshots (it waits for nobody)."""
    if write:
        with writing(args) as con:
            yield con
        return
    con = open_for_reading(args)
    try:
        yield con
    finally:
        con.close()


def _refused(file_name: str, imported_as: int | None, problems: list) -> int | None:
    """The exit status when a checked file is not written (already imported, or problems), else None."""
    if imported_as is not None:
        say("cli_already_imported", file=file_name, batch=imported_as)
        return 0
    for problem in problems:
        note("cli_problem", problem=problem.text(cli_lang()))
    if problems:
        note("input_problems", count=len(problems))
        return 2
    return None


def add_import_payments(kinds) -> None:
    parser = kinds.add_parser("payments", help=_("cli_help_import_payments"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--unit", choices=("元", "万元"), help=_("cli_help_unit"))
    parser.add_argument("--year", type=int, help=_("cli_help_payments_year"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    parser.add_argument("--accept-duplicates", action="store_true", help=_("cli_help_accept_duplicates"))
    db_option(parser)
    parser.set_defaults(run=_import_payments)


def _import_payments(args: argparse.Namespace) -> int:
    from monitor.ingest.files import read_file
    from monitor.ingest.payments import check_payments, import_payments

    data = read_file(args.file)
    with _database(args, write=not args.dry_run) as con:
        options = {"unit": args.unit, "year": args.year}
        if args.dry_run:
            check = check_payments(con, data, args.file.name, **options)
        else:
            check = import_payments(con, data, args.file.name, cli_user(), accept_duplicates=args.accept_duplicates, **options)
    for problem in check.duplicates:
        note("cli_duplicate", problem=problem.text(cli_lang()))
    refused = _refused(check.file_name, check.imported_as, check.problems)
    if refused is not None:
        return refused
    year = _("cli_year_inferred", year=check.year) if check.year_inferred else str(check.year)
    summary = _("cli_payments_summary", rows=check.payments.num_rows, total=f"{check.total:,.2f}", year=year, unit=check.unit)
    if check.batch_id is not None:
        say("cli_imported", batch=check.batch_id, summary=summary)
        return 0
    if args.dry_run:
        say("cli_dry_run", summary=summary)
        return 0
    note("cli_duplicates_refused", n=len(check.duplicates))
    return 2


def add_import_actuals(kinds) -> None:
    parser = kinds.add_parser("actuals", help=_("cli_help_import_actuals"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, help=_("cli_help_actuals_year"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    db_option(parser)
    parser.set_defaults(run=_import_actuals)


def _import_actuals(args: argparse.Namespace) -> int:
    from monitor.ingest.actuals import check_file, save

    return _import_checked(args, lambda con, data: check_file(con, data, args.file.name, args.year), save, "cli_actuals_summary")


def _import_checked(args: argparse.Namespace, check_file, save, summary_key: str) -> int:
    """Check a file (and, unless a dry run, write it) with an importer's `check_file` and `save`."""
    from monitor.ingest.files import read_file

    with _database(args, write=not args.dry_run) as con:
        check = check_file(con, read_file(args.file))
        if not args.dry_run:
            save(con, check, cli_user())
    refused = _refused(args.file.name, check.imported_as, check.problems)
    if refused is not None:
        return refused
    summary = _(summary_key, rows=len(check.records), year=check.year)
    say("cli_imported" if check.batch_id is not None else "cli_dry_run", batch=check.batch_id, summary=summary)
    return 0


def add_import_forecasts(kinds) -> None:
    parser = kinds.add_parser("forecasts", help=_("cli_help_import_forecasts"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, required=True, help=_("cli_help_year"))
    parser.add_argument("--unit", choices=("元", "万元"), help=_("cli_help_unit"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    db_option(parser)
    parser.set_defaults(run=_import_forecasts)


def _import_forecasts(args: argparse.Namespace) -> int:
    from monitor.ingest.forecasts import check_file, save

    return _import_checked(
        args, lambda con, data: check_file(con, data, args.file.name, args.year, args.unit), save, "cli_forecasts_summary"
    )


def add_import_form(kinds) -> None:
    parser = kinds.add_parser("form", help=_("cli_help_import_form"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, help=_("cli_help_form_year"))
    parser.add_argument("--dept", help=_("cli_help_form_dept"))
    parser.add_argument("--task", type=int, help=_("cli_help_form_task"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    db_option(parser)
    parser.set_defaults(run=_import_form)


def _import_form(args: argparse.Namespace) -> int:
    from monitor.ingest.files import read_file
    from monitor.ingest.form import check_form, save

    with _database(args, write=not args.dry_run) as con:
        check = check_form(con, read_file(args.file), args.file.name, args.year, args.dept, args.task)
        if not args.dry_run:
            save(con, check, cli_user())
    refused = _refused(args.file.name, check.imported_as, check.problems)
    if refused is not None:
        return refused
    summary = _("cli_form_summary", **check.summary())
    if not check.records:
        say("cli_form_nothing_new", file=args.file.name, summary=summary)
        return 0
    say("cli_imported" if check.batch_id is not None else "cli_dry_run", batch=check.batch_id, summary=summary)
    if check.rounds:
        note("cli_form_rounds", tasks="、".join(map(str, check.rounds)))
    return 0


def add_undo(commands) -> None:
    parser = commands.add_parser("undo", help=_("cli_help_undo"))
    parser.add_argument("batch_id", type=int)
    db_option(parser)
    parser.set_defaults(run=_undo)


def _undo(args: argparse.Namespace) -> int:
    from monitor.store.undo import undo_batch

    with writing(args) as con:
        done = undo_batch(con, args.batch_id, cli_user())
    say("cli_undone", batch=done.batch_id, rows=done.rows, undo=done.undo_batch_id)
    return 0


def add_watch(commands) -> None:
    parser = commands.add_parser("watch", help=_("cli_help_watch"))
    parser.add_argument("folder", type=Path, help=_("cli_help_watch_dir"))
    parser.add_argument("--once", action="store_true", help=_("cli_help_once"))
    parser.add_argument("--interval", type=float, default=10.0, help=_("cli_help_interval"))
    parser.add_argument("--settle", type=float, default=5.0, help=_("cli_help_settle"))
    db_option(parser)
    parser.set_defaults(run=_watch)


def _watch(args: argparse.Namespace) -> int:
    from monitor.ingest.watch import watch

    if not args.folder.is_dir():
        raise NotFound("cli_no_file", path=args.folder)

    def tell(outcome) -> None:
        print(_("cli_watch_outcome", file=outcome.file, report=outcome.report), flush=True)

    user = f"watch:{getpass.getuser()}"
    watch(db_path(args.db), args.folder, user, cli_lang(), interval=args.interval, settle=args.settle, once=args.once, tell=tell)
    return 0


def add_template(commands) -> None:
    parser = commands.add_parser("template", help=_("cli_help_template"))
    parser.add_argument("kind", choices=("payments", "actuals", "forecasts", "targets"), help=_("cli_help_template_kind"))
    parser.add_argument("file", type=Path, help=_("cli_help_template_file"))
    parser.add_argument("--lang", choices=list(LANGUAGES), help=_("cli_help_lang"))
    parser.set_defaults(run=_template)


def _template(args: argparse.Namespace) -> int:
    from monitor.ingest.blank import blank_workbook
    from monitor.ingest.targets import blank_template_xlsx

    if args.file.suffix.lower() != ".xlsx":
        raise Refused("cli_template_suffix", out=args.file)
    data = blank_template_xlsx() if args.kind == "targets" else blank_workbook(args.kind, args.lang or cli_lang())
    args.file.write_bytes(data)
    note("cli_written", out=args.file, size=f"{len(data):,}")
    return 0
