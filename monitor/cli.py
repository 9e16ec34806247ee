"""Command line: `python -m monitor <command>`.

Each command registers its parser in a `_add_<command>` function and handles its arguments
in the function it sets as `run`; commands import their modules lazily so `--help` is fast.
Everything it prints is worded in the language of MONITOR_LANG (default Chinese); a refusal
(`monitor.errors.MonitorError`) is printed on standard error and exits with its kind's status:
0 done, 2 refused input or request, 3 database busy, 4 not allowed, 5 not found, 6 bad setting.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from monitor.errors import MonitorError, NotFound, Refused, SettingsError
from monitor.i18n import DEFAULT_LANG, LANGUAGES, Msg, t
from monitor.settings import settings
from monitor.store import service
from monitor.store.db import connect, db_path


def _lang() -> str:
    try:
        return settings().lang
    except SettingsError:
        return DEFAULT_LANG  # the setting's own error is reported when it is needed


def _(key: str, **values: Any) -> str:
    return t(key, _lang(), **values)


def say(key: str, **values: Any) -> None:
    """A result, on standard output."""
    print(_(key, **values))


def note(key: str, **values: Any) -> None:
    """A warning or a summary next to the result, on standard error."""
    print(_(key, **values), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor", description=_("cli_description"))
    commands = parser.add_subparsers(dest="command", required=True)
    _add_build_demo(commands)
    _add_gen_scale(commands)
    _add_status(commands)
    _add_report(commands)
    _add_bulletin(commands)
    imports = commands.add_parser("import", help=_("cli_help_import"))
    kinds = imports.add_subparsers(dest="kind", required=True)
    _add_import_targets(kinds)
    _add_import_payments(kinds)
    _add_import_actuals(kinds)
    _add_import_forecasts(kinds)
    _add_import_form(kinds)
    _add_undo(commands)
    _add_watch(commands)
    _add_export_parquet(commands)
    _add_add_user(commands)
    _add_template(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except MonitorError as error:
        print(error.message(_lang()), file=sys.stderr)
        return error.exit_status


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help=_("cli_help_db"))


def _add_build_demo(commands) -> None:
    parser = commands.add_parser("build-demo", help=_("cli_help_build_demo"))
    _db_option(parser)
    parser.set_defaults(run=_build_demo)


def _build_demo(args: argparse.Namespace) -> int:
    from monitor.demo.build import build_demo

    path = db_path(args.db)
    service.replace(path, build_demo, on_wait=_waiting)
    say("cli_demo_built", path=path)
    return 0


def _add_gen_scale(commands) -> None:
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


def _add_status(commands) -> None:
    parser = commands.add_parser("status", help=_("cli_help_status"))
    parser.add_argument("--year", type=int, required=True, help=_("cli_help_year"))
    parser.add_argument("--as-of", required=True, type=_date, help=_("cli_help_as_of"))
    parser.add_argument("--dept", help=_("cli_help_dept"))
    parser.add_argument("--json", action="store_true", help=_("cli_help_json"))
    _db_option(parser)
    parser.set_defaults(run=_status)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli_bad_date", text=repr(text))) from None


def _status(args: argparse.Namespace) -> int:
    from monitor.rules.disbursement import status_label, status_report
    from monitor.rules.indicators import indicator_report, status_word

    lang = _lang()
    con = _open_for_reading(args)
    try:
        report = status_report(con, args.year, args.as_of, args.dept, lang) | indicator_report(con, args.year, args.as_of, args.dept)
    finally:
        con.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for p in report["projects"]:
        status = status_label(p["status"], "over_budget" if p["actual_cumulative"] > p["budget"] else "", lang)
        say(
            "cli_status_line",
            status=status,
            code=p["project_code"],
            name=p["name"],
            rate=f"{p['execution_rate']:.2%}",
            reason=p["status_reason"],
        )
    for i in (i for i in report["indicators"] if i["off_target"]):
        say(
            "cli_off_target_line",
            scope=i["project_code"] or _("dept_wide"),
            level3=i["level3"],
            target=i["target_text"] or "—",
            actual=_("ind_missing") if i["latest_actual"] is None else i["latest_actual"],
            status=status_word(i["status"], lang),
        )
    return 0


def _add_report(commands) -> None:
    parser = commands.add_parser("report", help=_("cli_help_report"))
    parser.add_argument("--year", type=int, required=True, help=_("cli_help_year"))
    parser.add_argument("--as-of", required=True, type=_date, help=_("cli_help_as_of"))
    parser.add_argument("--dept", help=_("cli_help_dept"))
    parser.add_argument("--out", required=True, help=_("cli_help_out"))
    parser.add_argument("--lang", choices=list(LANGUAGES), help=_("cli_help_lang"))
    parser.add_argument("--unit", choices=("元", "万元"), default="万元", help=_("cli_help_report_unit"))
    parser.add_argument("--fill", action="store_true", help=_("cli_help_fill"))
    parser.add_argument("--task", type=int, help=_("cli_help_fill_task"))
    _db_option(parser)
    parser.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    from monitor.review.fill import build_fill_form
    from monitor.review.report import build_html, html_to_pdf
    from monitor.review.workbook import build_workbook
    from monitor.store.db import query_df

    out = Path(args.out)
    lang = args.lang or _lang()
    if (args.fill or args.task) and out.suffix.lower() != ".xlsx":
        raise Refused("cli_fill_suffix", out=out)
    workbook = build_fill_form if args.fill or args.task else build_workbook
    extra = {"task_id": args.task} if args.fill or args.task else {}
    builders = {
        ".xlsx": lambda run: workbook(run, args.year, args.dept, args.as_of, lang, **extra),
        ".html": lambda run: build_html(run, args.year, args.dept, args.as_of, args.unit, lang).encode("utf-8"),
        ".pdf": lambda run: html_to_pdf(build_html(run, args.year, args.dept, args.as_of, args.unit, lang)),
    }
    if out.suffix.lower() not in builders:
        raise Refused("cli_report_suffix", out=out)
    con = _open_for_reading(args)
    try:
        data = builders[out.suffix.lower()](lambda name, **params: query_df(con, name, **params))
    finally:
        con.close()
    out.write_bytes(data)
    note("cli_written", out=out, size=f"{len(data):,}")
    return 0


def _add_bulletin(commands) -> None:
    parser = commands.add_parser("bulletin", help=_("cli_help_bulletin"))
    parser.add_argument("--year", type=int, required=True, help=_("cli_help_year"))
    parser.add_argument("--as-of", required=True, type=_date, help=_("cli_help_as_of"))
    parser.add_argument("--dept", help=_("cli_help_bulletin_dept"))
    parser.add_argument("--unit", choices=["万元", "元"], default="万元", help=_("cli_help_bulletin_unit"))
    parser.add_argument("--out", required=True, help=_("cli_help_bulletin_out"))
    _db_option(parser)
    parser.set_defaults(run=_bulletin)


def _bulletin(args: argparse.Namespace) -> int:
    from monitor.review.bulletin import to_docx, to_xlsx
    from monitor.rules.bulletin import bulletin
    from monitor.store.db import query_df

    out = Path(args.out)
    builders = {".docx": to_docx, ".xlsx": to_xlsx}
    if out.suffix.lower() not in builders:
        raise Refused("cli_bulletin_suffix", out=out)
    con = _open_for_reading(args)
    try:
        found = bulletin(lambda name, **params: query_df(con, name, **params), args.year, args.dept, args.as_of)
    finally:
        con.close()
    if found is None:
        raise NotFound("cli_bulletin_empty", year=args.year, dept=args.dept or _("bul_scope_all"))
    data = builders[out.suffix.lower()](found, args.unit, _lang(), dt.date.today())
    out.write_bytes(data)
    note("cli_written", out=out, size=f"{len(data):,}")
    return 0


def _add_import_targets(kinds) -> None:
    parser = kinds.add_parser("targets", help=_("cli_help_import_targets"))
    parser.add_argument("file", help=_("cli_help_targets_file"))
    parser.add_argument("--year", type=int, help=_("cli_help_targets_year"))
    _db_option(parser)
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
        print(doubt.problem.text(_lang()), file=sys.stderr)
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
    with _writing(args) as con:
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
        print(warning.text(_lang()), file=sys.stderr)


@contextmanager
def _writing(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database named by --db / MONITOR_DB, to write in under the cross-process lock (waiting for
    another process's write, with a message) and published when the block ends."""
    with service.writing(db_path(args.db), on_wait=_waiting) as con:
        yield con


@contextmanager
def _database(args: argparse.Namespace, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """For a write, `_writing`; for a dry run, the published snapshots (it waits for nobody)."""
    if write:
        with _writing(args) as con:
            yield con
        return
    con = _open_for_reading(args)
    try:
        yield con
    finally:
        con.close()


def _waiting() -> None:
    note("cli_waiting_for_lock")


def _open_for_reading(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the published snapshots of the database named by --db /
    MONITOR_DB (reading never waits for a writer); NotFound when it does not exist."""
    path = db_path(args.db)
    if not path.is_file() and settings().parquet is None:
        raise NotFound("cli_no_database", path=path)
    return service.reader(path)[0]


def _cli_user() -> str:
    # Whoever can run this can write the database file directly, so a password here would
    # protect nothing; the batch records the operating-system account instead.
    return f"cli:{getpass.getuser()}"


def _refused(file_name: str, imported_as: int | None, problems: list) -> int | None:
    """The exit status when a checked file is not written (already imported, or problems), else None."""
    if imported_as is not None:
        say("cli_already_imported", file=file_name, batch=imported_as)
        return 0
    for problem in problems:
        note("cli_problem", problem=problem.text(_lang()))
    if problems:
        note("input_problems", count=len(problems))
        return 2
    return None


def _add_import_payments(kinds) -> None:
    parser = kinds.add_parser("payments", help=_("cli_help_import_payments"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--unit", choices=("元", "万元"), help=_("cli_help_unit"))
    parser.add_argument("--year", type=int, help=_("cli_help_payments_year"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    parser.add_argument("--accept-duplicates", action="store_true", help=_("cli_help_accept_duplicates"))
    _db_option(parser)
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
            check = import_payments(con, data, args.file.name, _cli_user(), accept_duplicates=args.accept_duplicates, **options)
    for problem in check.duplicates:
        note("cli_duplicate", problem=problem.text(_lang()))
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


def _add_import_actuals(kinds) -> None:
    parser = kinds.add_parser("actuals", help=_("cli_help_import_actuals"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, help=_("cli_help_actuals_year"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    _db_option(parser)
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
            save(con, check, _cli_user())
    refused = _refused(args.file.name, check.imported_as, check.problems)
    if refused is not None:
        return refused
    summary = _(summary_key, rows=len(check.records), year=check.year)
    say("cli_imported" if check.batch_id is not None else "cli_dry_run", batch=check.batch_id, summary=summary)
    return 0


def _add_import_forecasts(kinds) -> None:
    parser = kinds.add_parser("forecasts", help=_("cli_help_import_forecasts"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, required=True, help=_("cli_help_year"))
    parser.add_argument("--unit", choices=("元", "万元"), help=_("cli_help_unit"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    _db_option(parser)
    parser.set_defaults(run=_import_forecasts)


def _import_forecasts(args: argparse.Namespace) -> int:
    from monitor.ingest.forecasts import check_file, save

    return _import_checked(
        args, lambda con, data: check_file(con, data, args.file.name, args.year, args.unit), save, "cli_forecasts_summary"
    )


def _add_import_form(kinds) -> None:
    parser = kinds.add_parser("form", help=_("cli_help_import_form"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, help=_("cli_help_form_year"))
    parser.add_argument("--dept", help=_("cli_help_form_dept"))
    parser.add_argument("--task", type=int, help=_("cli_help_form_task"))
    parser.add_argument("--dry-run", action="store_true", help=_("cli_help_dry_run"))
    _db_option(parser)
    parser.set_defaults(run=_import_form)


def _import_form(args: argparse.Namespace) -> int:
    from monitor.ingest.files import read_file
    from monitor.ingest.form import check_form, save

    with _database(args, write=not args.dry_run) as con:
        check = check_form(con, read_file(args.file), args.file.name, args.year, args.dept, args.task)
        if not args.dry_run:
            save(con, check, _cli_user())
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


def _add_undo(commands) -> None:
    parser = commands.add_parser("undo", help=_("cli_help_undo"))
    parser.add_argument("batch_id", type=int)
    _db_option(parser)
    parser.set_defaults(run=_undo)


def _undo(args: argparse.Namespace) -> int:
    from monitor.store.undo import undo_batch

    with _writing(args) as con:
        done = undo_batch(con, args.batch_id, _cli_user())
    say("cli_undone", batch=done.batch_id, rows=done.rows, undo=done.undo_batch_id)
    return 0


def _add_watch(commands) -> None:
    parser = commands.add_parser("watch", help=_("cli_help_watch"))
    parser.add_argument("folder", type=Path, help=_("cli_help_watch_dir"))
    parser.add_argument("--once", action="store_true", help=_("cli_help_once"))
    parser.add_argument("--interval", type=float, default=10.0, help=_("cli_help_interval"))
    parser.add_argument("--settle", type=float, default=5.0, help=_("cli_help_settle"))
    _db_option(parser)
    parser.set_defaults(run=_watch)


def _watch(args: argparse.Namespace) -> int:
    from monitor.ingest.watch import watch

    if not args.folder.is_dir():
        raise NotFound("cli_no_file", path=args.folder)

    def tell(outcome) -> None:
        print(_("cli_watch_outcome", file=outcome.file, report=outcome.report), flush=True)

    user = f"watch:{getpass.getuser()}"
    watch(db_path(args.db), args.folder, user, _lang(), interval=args.interval, settle=args.settle, once=args.once, tell=tell)
    return 0


def _add_export_parquet(commands) -> None:
    parser = commands.add_parser("export-parquet", help=_("cli_help_export_parquet"))
    parser.add_argument("folder", type=Path, help=_("cli_help_parquet_dir"))
    _db_option(parser)
    parser.set_defaults(run=_export_parquet)


def _export_parquet(args: argparse.Namespace) -> int:
    from monitor.store import parquet

    con = _open_for_reading(args)
    try:
        written = parquet.export(con, args.folder)
    finally:
        con.close()
    say("cli_exported", folder=args.folder, tables=len(written), rows=f"{sum(written.values()):,}")
    return 0


def _add_template(commands) -> None:
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
    data = blank_template_xlsx() if args.kind == "targets" else blank_workbook(args.kind, args.lang or _lang())
    args.file.write_bytes(data)
    note("cli_written", out=args.file, size=f"{len(data):,}")
    return 0


def _add_add_user(commands) -> None:
    from monitor.auth import ROLES

    parser = commands.add_parser("add-user", help=_("cli_help_add_user"))
    parser.add_argument("name")
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--unit", help=_("cli_help_user_unit"))
    parser.add_argument("--password-stdin", action="store_true", help=_("cli_help_password_stdin"))
    _db_option(parser)
    parser.set_defaults(run=_add_user)


def _add_user(args: argparse.Namespace) -> int:
    from monitor.auth import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(_("cli_password") + ": ")
        if getpass.getpass(_("cli_password_again") + ": ") != password:
            raise Refused("cli_passwords_differ")
    with _writing(args) as con:
        user = add_user(con, args.name, args.role, password, _cli_user(), scope=args.unit)
    say("cli_user_created", name=user.name, role=_(f"role_{user.role}"))
    return 0
