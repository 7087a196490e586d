"""The `hotline` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys

from aiohttp import web

from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("hotline")

MENU = {
    "button": [
        {"type": "click", "name": "我要投诉", "key": "COMPLAIN"},
        {
            "name": "查询",
            "sub_button": [
                {"type": "click", "name": "进度查询", "key": "QUERY"},
                {"type": "click", "name": "我的诉求", "key": "MY_COMPLAINTS"},
            ],
        },
        {"type": "click", "name": "咨询", "key": "CONSULT"},
    ]
}


def _settings(args: argparse.Namespace, **overrides: object) -> Settings:
    try:
        return load_settings(args.config, **overrides)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _logging(settings: Settings) -> None:
    from bot.logs import configure

    configure(settings.log_level)


async def _serve(settings: Settings) -> None:
    from bot.app import bind_api_base, create_app

    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    bind_api_base(app, f"http://127.0.0.1:{port}")
    log.info(
        "listening on http://%s:%s (WeChat callback at /wechat, staff console at /console/)",
        host,
        port,
    )
    log.info("database: %s", settings.describe_database())
    if settings.sandbox:
        log.info("WeChat API: built-in sandbox at http://127.0.0.1:%s/sandbox", port)
    else:
        log.info("WeChat API: %s", settings.wechat_api_base)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("shutting down")
        await runner.cleanup()


def cmd_serve(args: argparse.Namespace) -> None:
    settings = _settings(args, host=args.host, port=args.port)
    _logging(settings)
    try:
        asyncio.run(_serve(settings))
    except (OSError, RuntimeError) as error:
        log.error("cannot start: %s", error)
        raise SystemExit(1) from None


def cmd_chat(args: argparse.Namespace) -> None:
    from bot.chat import chat_main
    from bot.wechat_sim import SimulatedWeChat

    settings = _settings(args)
    url = args.url or f"http://127.0.0.1:{settings.port}"
    safe = args.safe if args.safe is not None else bool(settings.wechat_aes_key)
    if safe and not settings.wechat_aes_key:
        print("safe mode needs HOTLINE_WECHAT_AES_KEY", file=sys.stderr)
        raise SystemExit(2)
    wechat = SimulatedWeChat(
        token=settings.wechat_token,
        appid=settings.wechat_appid,
        aes_key=settings.wechat_aes_key,
        safe=safe,
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(chat_main(url, args.user, wechat))


def cmd_menu_push(args: argparse.Namespace) -> None:
    settings = _settings(args)
    _logging(settings)

    async def push() -> None:
        import aiohttp

        from bot.app import sandbox_secret
        from bot.cli_model import open_store
        from bot.wechat_api import WeChatAPI, WeChatError

        base = args.url.rstrip("/") + "/sandbox" if settings.sandbox else settings.wechat_api_base
        async with open_store(settings) as db, aiohttp.ClientSession() as http:
            api = WeChatAPI(
                http, base, settings.wechat_appid, sandbox_secret(settings), db.tokens, db.locks
            )
            try:
                await api.create_menu(MENU)
            except WeChatError as error:
                print(f"menu not created: {error}", file=sys.stderr)
                raise SystemExit(1) from None
        print("menu created: " + ", ".join(_menu_keys(MENU)))

    asyncio.run(push())


def _menu_keys(menu: dict) -> list[str]:
    keys = []
    for button in menu["button"]:
        for item in button.get("sub_button", [button]):
            if "key" in item:
                keys.append(item["key"])
    return keys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hotline", description="12345 hotline WeChat bot")
    parser.add_argument("--config", help="TOML settings file (or HOTLINE_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="callback + API + console + jobs")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)

    chat = commands.add_parser("chat", help="terminal WeChat simulator")
    chat.add_argument("--url", help="server URL (default http://127.0.0.1:PORT)")
    chat.add_argument("--user", default="o_citizen_dev", help="the simulated citizen's openid")
    chat.add_argument("--safe", action=argparse.BooleanOptionalAction, default=None)
    chat.set_defaults(func=cmd_chat)

    menu = commands.add_parser("menu", help="the official account's menu")
    menu_commands = menu.add_subparsers(dest="menu_command", required=True)
    menu_push = menu_commands.add_parser("push", help="create the menu through the API")
    menu_push.add_argument("--url", default="http://127.0.0.1:8080", help="server (sandbox)")
    menu_push.set_defaults(func=cmd_menu_push)

    from bot import cli_accounts, cli_model

    cli_model.add_commands(commands)
    cli_accounts.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except BrokenPipeError:
        # `hotline model list | head`: the reader has gone. Point stdout at nothing so
        # the interpreter's final flush does not print a traceback (Python's own recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
