"""`add-user`: a user who can sign in to the app, with a role and optionally a unit scope."""

from __future__ import annotations

import argparse
import getpass
import sys

from monitor.cli.common import _, cli_user, db_option, say, writing
from monitor.errors import Refused


def add_add_user(commands) -> None:
    from monitor.auth import ROLES

    parser = commands.add_parser("add-user", help=_("cli_help_add_user"))
    parser.add_argument("name")
    parser.add_argument("--role", choices=ROLES, required=True)
    parser.add_argument("--unit", help=_("cli_help_user_unit"))
    parser.add_argument("--password-stdin", action="store_true", help=_("cli_help_password_stdin"))
    db_option(parser)
    parser.set_defaults(run=add_user)


def add_user(args: argparse.Namespace) -> int:
    from monitor.auth import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(_("cli_password") + ": ")
        if getpass.getpass(_("cli_password_again") + ": ") != password:
            raise Refused("cli_passwords_differ")
    with writing(args) as con:
        user = add_user(con, args.name, args.role, password, cli_user(), scope=args.unit)
    say("cli_user_created", name=user.name, role=_(f"role_{user.role}"))
    return 0
