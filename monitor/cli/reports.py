"""Commands that read the figures out: `status` (with `--json`, a contract of other tools), `report`
(the 监控表 workbook, its 填报版, the quarterly report in HTML or PDF) and `bulletin` (the 通报)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from monitor.cli.common import _, cli_lang, db_option, note, open_for_reading, say
from monitor.errors import NotFound, Refused
from monitor.i18n import LANGUAGES


def add_status(commands) -> None:
    parser = commands.add_parser("status", help=_("cli_help_status"))
    _year_and_day(parser)
    parser.add_argument("--dept", help=_("cli_help_dept"))
    parser.add_argument("--json", action="store_true", help=_("cli_help_json"))
    db_option(parser)
    parser.set_defaults(run=_status)


def _year_and_day(parser: argparse.ArgumentParser) -> None:
    """The fiscal year and the as-of day every report is of."""
    parser.add_argument("--year", type=int, required=True, help=_("cli_help_year"))
    parser.add_argument("--as-of", required=True, type=_date, help=_("cli_help_as_of"))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("cli_bad_date", text=repr(text))) from None


def _status(args: argparse.Namespace) -> int:
    from monitor.rules.disbursement import status_label, status_report
    from monitor.rules.indicators import indicator_report, status_word

    lang = cli_lang()
    con = open_for_reading(args)
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


def add_report(commands) -> None:
    parser = commands.add_parser("report", help=_("cli_help_report"))
    _year_and_day(parser)
    parser.add_argument("--dept", help=_("cli_help_dept"))
    parser.add_argument("--out", required=True, help=_("cli_help_out"))
    parser.add_argument("--lang", choices=list(LANGUAGES), help=_("cli_help_lang"))
    parser.add_argument("--unit", choices=("元", "万元"), default="万元", help=_("cli_help_report_unit"))
    parser.add_argument("--fill", action="store_true", help=_("cli_help_fill"))
    parser.add_argument("--task", type=int, help=_("cli_help_fill_task"))
    db_option(parser)
    parser.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    from monitor.review.fill import build_fill_form
    from monitor.review.report import build_html, html_to_pdf
    from monitor.review.workbook import build_workbook
    from monitor.store.db import query_df

    out = Path(args.out)
    lang = args.lang or cli_lang()
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
    con = open_for_reading(args)
    try:
        data = builders[out.suffix.lower()](lambda name, **params: query_df(con, name, **params))
    finally:
        con.close()
    out.write_bytes(data)
    note("cli_written", out=out, size=f"{len(data):,}")
    return 0


def add_bulletin(commands) -> None:
    parser = commands.add_parser("bulletin", help=_("cli_help_bulletin"))
    _year_and_day(parser)
    parser.add_argument("--dept", help=_("cli_help_bulletin_dept"))
    parser.add_argument("--unit", choices=["万元", "元"], default="万元", help=_("cli_help_bulletin_unit"))
    parser.add_argument("--out", required=True, help=_("cli_help_bulletin_out"))
    db_option(parser)
    parser.set_defaults(run=_bulletin)


def _bulletin(args: argparse.Namespace) -> int:
    from monitor.review.bulletin import to_docx, to_xlsx
    from monitor.rules.bulletin import bulletin
    from monitor.store.db import query_df

    out = Path(args.out)
    builders = {".docx": to_docx, ".xlsx": to_xlsx}
    if out.suffix.lower() not in builders:
        raise Refused("cli_bulletin_suffix", out=out)
    con = open_for_reading(args)
    try:
        found = bulletin(lambda name, **params: query_df(con, name, **params), args.year, args.dept, args.as_of)
    finally:
        con.close()
    if found is None:
        raise NotFound("cli_bulletin_empty", year=args.year, dept=args.dept or _("bul_scope_all"))
    data = builders[out.suffix.lower()](found, args.unit, cli_lang(), dt.date.today())
    out.write_bytes(data)
    note("cli_written", out=out, size=f"{len(data):,}")
    return 0
