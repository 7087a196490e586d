"""`hotline account create|list`: staff accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
from datetime import UTC, datetime

from bot.cli_model import _fail, _settings, open_store
from models.accounts import Account, Role
from models.departments import default_departments
from store.accounts import AccountExists


def cmd_account(args: argparse.Namespace) -> None:
    settings = _settings(args)
    if args.account_command == "create":
        codes = {d.code for d in default_departments()}
        if args.role == Role.DEPARTMENT.value and args.department not in codes:
            _fail(f"--department must be one of {', '.join(sorted(codes))}")
        if args.role != Role.DEPARTMENT.value and args.department:
            _fail("--department is only for the department role")
        password = None
        if args.password:
            password = os.environ.get("HOTLINE_ACCOUNT_PASSWORD") or getpass.getpass("密码：")
            if len(password) < 8:
                _fail("the password must have at least 8 characters")

    async def run() -> None:
        async with open_store(settings) as db:
            if args.account_command == "list":
                for account in await db.accounts.list():
                    print(f"{account.name:<20} {account.role.value:<11} {account.department}")
                return
            account = Account(args.name, Role(args.role), args.department or "")
            try:
                token = await db.accounts.create(account, datetime.now(UTC), password)
            except AccountExists:
                _fail(f"account {args.name} exists already")
            print(f"account {args.name} ({args.role}) created. API token (shown only once):")
            print(token)

    asyncio.run(run())


def add_commands(commands: argparse._SubParsersAction) -> None:
    account = commands.add_parser("account", help="staff accounts")
    sub = account.add_subparsers(dest="account_command", required=True)
    create = sub.add_parser("create", help="create an account and print its API token")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--department", help="department code (department role)")
    create.add_argument(
        "--password",
        action="store_true",
        help="also set a console password (prompted, or from HOTLINE_ACCOUNT_PASSWORD)",
    )
    create.set_defaults(func=cmd_account)
    sub.add_parser("list", help="list accounts").set_defaults(func=cmd_account)
