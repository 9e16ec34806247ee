"""Command line: `python -m monitor <command>`.

Each command registers its parser in a `_add_<command>` function and handles its arguments
in the function it sets as `run`; commands import their modules lazily so `--help` is fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path

from monitor.errors import InputError
from monitor.store.db import DatabaseBusy, connect, db_path

BUSY = 3  # exit status when another process holds the database: nothing was done, try again later


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor", description="绩效运行监控 command line")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_build_demo(commands)
    _add_gen_scale(commands)
    _add_status(commands)
    _add_report(commands)
    imports = commands.add_parser("import", help="import a file (all-or-nothing, idempotent)")
    kinds = imports.add_subparsers(dest="kind", required=True)
    _add_import_targets(kinds)
    _add_import_payments(kinds)
    _add_import_actuals(kinds)
    _add_undo(commands)
    _add_add_user(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    except DatabaseBusy as busy:
        print(busy, file=sys.stderr)
        return BUSY


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: $MONITOR_DB or data/monitor.duckdb)")


def _add_build_demo(commands) -> None:
    parser = commands.add_parser("build-demo", help="build the demo database from data/demo (seed targets + 演示数据 actuals)")
    _db_option(parser)
    parser.set_defaults(run=_build_demo)


def _build_demo(args: argparse.Namespace) -> int:
    from monitor.demo.build import build_demo

    path = db_path(args.db)
    build_demo(path)
    print(f"demo database built: {path}")
    return 0


def _add_gen_scale(commands) -> None:
    parser = commands.add_parser("gen-scale", help="generate a synthetic province (演示数据) into a new database, for benchmarks")
    parser.add_argument("--projects", type=int, required=True, help="number of projects (a province: 100000)")
    parser.add_argument("--payments", type=int, required=True, help="number of payments (a province: 10000000)")
    parser.add_argument("--db", required=True, help="the new database file to write")
    parser.add_argument("--year", type=int, default=2024, help="fiscal year (default 2024)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same arguments give the same data")
    parser.set_defaults(run=_gen_scale)


def _gen_scale(args: argparse.Namespace) -> int:
    import time

    from monitor.demo.scale import generate

    path = Path(args.db)
    if path.exists():
        print(f"{path} exists: gen-scale writes a new database file", file=sys.stderr)
        return 2
    started = time.perf_counter()
    con = connect(path)
    try:
        counts = generate(con, args.projects, args.payments, args.year, args.seed)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    print(
        f"{path}: {counts.units:,} units, {counts.projects:,} projects, {counts.indicators:,} indicators, "
        f"{counts.payments:,} payments ({args.year}) in {time.perf_counter() - started:.0f} s"
    )
    return 0


def _add_status(commands) -> None:
    parser = commands.add_parser("status", help="planned vs actual disbursement and status per project at an as-of date")
    parser.add_argument("--year", type=int, required=True, help="fiscal year")
    parser.add_argument("--as-of", required=True, type=_date, help="as-of date YYYY-MM-DD")
    parser.add_argument("--dept", help="unit code (default: all units)")
    parser.add_argument("--json", action="store_true", help="print JSON (money in 元)")
    _db_option(parser)
    parser.set_defaults(run=_status)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _status(args: argparse.Namespace) -> int:
    from monitor.rules.disbursement import status_report
    from monitor.rules.indicators import indicator_report

    con = _open_for_reading(args)
    if con is None:
        return 2
    try:
        report = status_report(con, args.year, args.as_of, args.dept) | indicator_report(con, args.year, args.as_of, args.dept)
    finally:
        con.close()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for p in report["projects"]:
            print(f"{p['status']:<6} {p['project_code']}  {p['name']}  执行率 {p['execution_rate']:.2%}  {p['status_reason']}")
        for i in (i for i in report["indicators"] if i["off_target"]):
            scope = i["project_code"] or "部门整体"
            print(f"off    {scope}  {i['level3']}  目标 {i['target_text']}  实际 {i['latest_actual']}  {i['status']}")


def _add_report(commands) -> None:
    parser = commands.add_parser("report", help="export the 绩效运行监控表 (.xlsx) or the quarterly review report (.html or .pdf)")
    parser.add_argument("--year", type=int, required=True, help="fiscal year")
    parser.add_argument("--as-of", required=True, type=_date, help="as-of date YYYY-MM-DD")
    parser.add_argument("--dept", help="unit code (default: all units)")
    parser.add_argument("--out", required=True, help="output file: .xlsx (监控表), .html or .pdf (review report)")
    _db_option(parser)
    parser.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    from monitor.review.report import build_html, html_to_pdf
    from monitor.review.workbook import build_workbook
    from monitor.store.db import query_df

    out = Path(args.out)
    builders = {
        ".xlsx": lambda run: build_workbook(run, args.year, args.dept, args.as_of),
        ".html": lambda run: build_html(run, args.year, args.dept, args.as_of).encode("utf-8"),
        ".pdf": lambda run: html_to_pdf(build_html(run, args.year, args.dept, args.as_of)),
    }
    if out.suffix.lower() not in builders:
        print(f"{out}: expected a .xlsx, .html or .pdf file name", file=sys.stderr)
        return 2
    con = _open_for_reading(args)
    if con is None:
        return 2
    try:
        data = builders[out.suffix.lower()](lambda name, **params: query_df(con, name, **params))
    finally:
        con.close()
    out.write_bytes(data)
    print(f"written: {out} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _add_import_targets(kinds) -> None:
    parser = kinds.add_parser(
        "targets",
        help="import targets: a structured template (CSV folder or .xlsx) or a published document (.pdf or its extracted .txt)",
    )
    parser.add_argument("file", help="template folder, .xlsx workbook, .pdf or .txt")
    parser.add_argument("--year", type=int, help="fiscal year (documents do not print it; a dry run shows the proposed one)")
    _db_option(parser)
    parser.add_argument("--dry-run", action="store_true", help="read and check only, write nothing")
    parser.add_argument("--json", action="store_true", help="print the parsed targets as JSON")
    parser.add_argument("--allow-removal", action="store_true", help="accept dropping indicators that already have actual values")
    parser.set_defaults(run=_import_targets)


def _import_targets(args: argparse.Namespace) -> int:
    import getpass
    from pathlib import Path

    from monitor.ingest.targets import commit, preview

    path = Path(args.file)
    if not path.exists():
        print(f"{path}：文件不存在", file=sys.stderr)
        return 2
    result = preview(path, path.name, args.year)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    targets = result.targets
    summary = f"{len(targets.projects)} 个项目，{sum(len(p.indicators) for p in targets.projects)} 个绩效指标（{targets.year} 年）"
    if args.json:
        print(json.dumps(targets.to_json(), ensure_ascii=False, indent=2))
    if args.dry_run:
        print(f"检查通过，未写入：{summary}", file=sys.stderr)
        return 0
    con = connect(db_path(args.db))
    try:
        outcome = commit(con, result, getpass.getuser(), allow_removal=args.allow_removal)
    finally:
        con.close()
    if outcome.batch_id is None:
        print(f"{path.name} 已导入过，数据库中的目标就是它的内容：未写入任何数据", file=sys.stderr)
        return 0
    for removed in outcome.removed:
        print(f"已删除指标 {removed.indicator_id}（{removed.level3}），保留其 {removed.actual_rows} 条实际值", file=sys.stderr)
    print(f"已导入 {path.name}（批次 {outcome.batch_id}）：{summary}", file=sys.stderr)


def _open(args: argparse.Namespace):
    """The database named by --db / MONITOR_DB, brought up to the current schema."""
    return connect(db_path(args.db))


def _open_for_reading(args: argparse.Namespace):
    """The database named by --db / MONITOR_DB, read-only; None (with a message) when it does not exist."""
    path = db_path(args.db)
    if not path.is_file():
        print(f"no database at {path} (build it with: python -m monitor build-demo)", file=sys.stderr)
        return None
    return connect(path, read_only=True)


def _cli_user() -> str:
    # Whoever can run this can write the database file directly, so a password here would
    # protect nothing; the batch records the operating-system account instead.
    return f"cli:{getpass.getuser()}"


def _refused(file_name: str, imported_as: int | None, problems: list) -> int | None:
    """The exit status when a checked file is not written (already imported, or problems), else None."""
    if imported_as is not None:
        print(f"{file_name}: already imported as batch {imported_as}; nothing added")
        return 0
    for problem in problems:
        print(f"错误 {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
        return 2
    return None


def _add_import_payments(kinds) -> None:
    parser = kinds.add_parser("payments", help="import a payment ledger 支付流水 (xlsx or CSV)")
    parser.add_argument("file", type=Path)
    parser.add_argument("--unit", choices=("元", "万元"), help="money unit of the amounts when the header does not say")
    parser.add_argument("--year", type=int, help="fiscal year (default: the one year all payment dates fall in)")
    parser.add_argument("--dry-run", action="store_true", help="validate and report only; write nothing")
    parser.add_argument("--accept-duplicates", action="store_true", help="import rows flagged as likely duplicates of stored payments")
    _db_option(parser)
    parser.set_defaults(run=_import_payments)


def _import_payments(args: argparse.Namespace) -> int:
    from monitor.ingest.limits import read_file
    from monitor.ingest.payments import check_payments, import_payments

    data = read_file(args.file)
    con = _open(args)
    try:
        options = {"unit": args.unit, "year": args.year}
        if args.dry_run:
            check = check_payments(con, data, args.file.name, **options)
        else:
            check = import_payments(con, data, args.file.name, _cli_user(), accept_duplicates=args.accept_duplicates, **options)
    finally:
        con.close()
    for problem in check.duplicates:
        print(f"疑似重复 {problem}", file=sys.stderr)
    refused = _refused(check.file_name, check.imported_as, check.problems)
    if refused is not None:
        return refused
    year = f"{check.year} (inferred: all payment dates fall in it)" if check.year_inferred else str(check.year)
    summary = f"{len(check.payments)} payments, total {check.total:,.2f} 元, fiscal year {year}, amounts read in {check.unit}"
    if check.batch_id is not None:
        print(f"imported as batch {check.batch_id}: {summary}")
        return 0
    if args.dry_run:
        print(f"dry run, nothing written: {summary}")
        return 0
    print(
        f"{len(check.duplicates)} likely duplicate(s) of stored payments; nothing written (confirm with --accept-duplicates)",
        file=sys.stderr,
    )
    return 2


def _add_import_actuals(kinds) -> None:
    parser = kinds.add_parser("actuals", help="import indicator actuals 指标完成值 (xlsx or CSV)")
    parser.add_argument("file", type=Path)
    parser.add_argument("--year", type=int, help="fiscal year (default: the one year all period ends fall in)")
    parser.add_argument("--dry-run", action="store_true", help="validate and report only; write nothing")
    _db_option(parser)
    parser.set_defaults(run=_import_actuals)


def _import_actuals(args: argparse.Namespace) -> int:
    from monitor.ingest.actuals import check_file, save
    from monitor.ingest.limits import read_file

    con = _open(args)
    try:
        check = check_file(con, read_file(args.file), args.file.name, args.year)
        if not args.dry_run:
            save(con, check, _cli_user())
    finally:
        con.close()
    refused = _refused(args.file.name, check.imported_as, check.problems)
    if refused is not None:
        return refused
    summary = f"{len(check.actuals)} indicator actuals, fiscal year {check.year}"
    print(f"imported as batch {check.batch_id}: {summary}" if check.batch_id is not None else f"dry run, nothing written: {summary}")
    return 0


def _add_undo(commands) -> None:
    parser = commands.add_parser("undo", help="undo one import batch completely (payments or indicator actuals)")
    parser.add_argument("batch_id", type=int)
    _db_option(parser)
    parser.set_defaults(run=_undo)


def _undo(args: argparse.Namespace) -> int:
    from monitor.store.undo import UndoRefused, undo_batch

    con = _open(args)
    try:
        done = undo_batch(con, args.batch_id, _cli_user())
    except UndoRefused as refused:
        print(refused, file=sys.stderr)
        return 2
    finally:
        con.close()
    print(f"batch {done.batch_id} undone: {done.rows} rows deleted (recorded as batch {done.undo_batch_id})")
    return 0


def _add_add_user(commands) -> None:
    from monitor.auth import ROLES

    parser = commands.add_parser("add-user", help="create a user who can sign in (password asked at a prompt)")
    parser.add_argument("name")
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--password-stdin", action="store_true", help="read the password from the first line of standard input")
    _db_option(parser)
    parser.set_defaults(run=_add_user)


def _add_user(args: argparse.Namespace) -> int:
    from monitor.auth import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("the passwords differ; no user created", file=sys.stderr)
            return 2
    con = _open(args)
    try:
        user = add_user(con, args.name, args.role, password)
    except ValueError as problem:
        print(problem, file=sys.stderr)
        return 2
    finally:
        con.close()
    print(f"user {user.name} created with role {user.role}")
    return 0
