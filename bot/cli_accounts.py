"""`hotline account create|list|disable|enable|reset-token`: staff accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
from datetime import UTC, datetime

from bot.cli_model import _fail, _settings, open_store
from models.accounts import Account, InvalidAccountName, Role, check_account_name
from models.departments import default_departments
from store.accounts import AccountExists


def cmd_account(args: argparse.Namespace) -> None:
    settings = _settings(args)
    if args.account_command == "create":
        try:
            check_account_name(args.name)
        except InvalidAccountName as invalid:
            _fail(str(invalid))
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
            now = datetime.now(UTC)
            if args.account_command == "list":
                disabled = await db.accounts.disabled()
                for account in await db.accounts.list():
                    state = "disabled" if account.name in disabled else ""
                    print(f"{account.name:<20} {account.role.value:<11} "
                          f"{account.department:<8} {state}".rstrip())  # fmt: skip
                return
            if args.account_command in ("disable", "enable"):
                disable = args.account_command == "disable"
                if not await db.accounts.set_disabled(args.name, disable, now):
                    _fail(f"no account named {args.name}")
                if disable:
                    await db.console_sessions.delete_for(args.name)
                await db.accounts.audit("cli", f"{args.account_command}-account", args.name, now)
                print(f"account {args.name} {args.account_command}d")
                return
            if args.account_command == "reset-token":
                token = await db.accounts.reset_token(args.name)
                if token is None:
                    _fail(f"no account named {args.name}")
                await db.accounts.audit("cli", "reset-token", args.name, now)
                print(f"new API token for {args.name} (the old one stops working; shown once):")
                print(token)
                return
            account = Account(args.name, Role(args.role), args.department or "")
            try:
                token = await db.accounts.create(account, now, password)
            except AccountExists:
                _fail(f"account {args.name} exists already")
            # as the console's 新建账号 and the CLI's disable/enable are
            await db.accounts.audit("cli", "create-account", args.name, now)
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
    for name, text in (
        ("disable", "disable an account: its token and password stop working at once"),
        ("enable", "enable a disabled account again"),
        ("reset-token", "give an account a new API token; the old one stops working"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("name")
        command.set_defaults(func=cmd_account)
