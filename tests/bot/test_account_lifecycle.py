"""Disabling an account and resetting its token: a clerk who leaves, a token that
leaked. Over real HTTP with a real database; the CLI as a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.app import hotline_key
from models.accounts import Account, Role
from tests.bot.console import PASSWORD, Browser, make_staff
from tests.bot.staff import api

ROOT = Path(__file__).resolve().parents[2]


async def test_the_store_refuses_a_disabled_account_everywhere_and_a_reset_token(db):
    now = datetime.now(UTC)
    token = await db.accounts.create(Account("clerk", Role.DEPARTMENT, "zjw"), now, PASSWORD)
    assert await db.accounts.by_token(token) == Account("clerk", Role.DEPARTMENT, "zjw")
    assert await db.accounts.set_disabled("clerk", True, now)
    assert await db.accounts.by_token(token) is None
    assert await db.accounts.by_token_id(token.partition(".")[0]) is None
    assert await db.accounts.get("clerk") is None
    login = await db.accounts.login("clerk", PASSWORD, now)
    assert login.account is None and login.disabled
    assert (await db.accounts.login("clerk", "wrong password", now)).disabled is False
    assert [a.name for a in await db.accounts.list()] == ["clerk"]  # kept, for the history
    assert await db.accounts.disabled() == {"clerk"}
    assert await db.accounts.set_disabled("clerk", False, now)
    assert (await db.accounts.by_token(token)).name == "clerk"

    fresh = await db.accounts.reset_token("clerk")
    assert fresh and fresh != token
    assert await db.accounts.by_token(token) is None
    assert (await db.accounts.by_token(fresh)).name == "clerk"
    assert await db.accounts.reset_token("nobody") is None
    assert not await db.accounts.set_disabled("nobody", True, now)


async def open311_status(server, key: str) -> int:
    form = {"api_key": key, "service_code": "urban", "description": "路灯坏了一个月",
            "address_string": "朝阳区望京西园三区"}  # fmt: skip
    async with aiohttp.ClientSession() as http:
        async with http.post(server.make_url("/open311/v2/requests.json"), data=form) as response:
            return response.status


@pytest.fixture
async def admin(server):
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    await browser.login("root")
    yield browser
    await browser.close()


async def test_disabling_in_the_console_shuts_every_door_at_once(server, admin):
    accounts = server.app[hotline_key].db.accounts
    token = await accounts.create(Account("wang", Role.DISPATCHER), datetime.now(UTC), PASSWORD)
    clerk = Browser(server)
    try:
        await clerk.login("wang")
        # used once, so the verification is cached on this instance
        assert (await api(server, "GET", "/api/v1/complaints", token))[0] == 200
        assert await open311_status(server, token) == 201

        page = await admin.get("/console/accounts")
        assert "停用" in page.text and "重置令牌" in page.text
        page = await admin.post("/console/accounts/wang/disable", {"disable": "1"})
        assert page.status == 200 and "已停用" in page.text

        assert (await api(server, "GET", "/api/v1/complaints", token))[0] == 401
        assert await open311_status(server, token) == 403
        page = await clerk.get("/console/queue")
        assert page.url.split("?")[0].endswith("/console/login")  # the session ended
        page = await clerk.login("wang")
        assert page.status == 401 and "已停用" in page.text

        page = await admin.post("/console/accounts/wang/disable", {"disable": "0"})
        assert "已启用" in page.text
        assert (await api(server, "GET", "/api/v1/complaints", token))[0] == 200
        assert (await clerk.login("wang")).status == 200
    finally:
        await clerk.close()
    log = [e["action"] for e in await accounts.audit_entries()]
    assert "disable-account" in log and "enable-account" in log


async def test_a_reset_token_is_shown_once_and_the_old_one_fails_at_once(server, admin):
    accounts = server.app[hotline_key].db.accounts
    old = await accounts.create(Account("phone", Role.DISPATCHER), datetime.now(UTC))
    assert (await api(server, "GET", "/api/v1/complaints", old))[0] == 200
    page = await admin.post("/console/accounts/phone/token", {})
    assert page.status == 200 and "旧令牌立即失效" in page.text
    new = re.search(r'<p class="token"><code>([^<]+)</code>', page.text).group(1)
    assert new != old
    assert (await api(server, "GET", "/api/v1/complaints", old))[0] == 401
    assert (await api(server, "GET", "/api/v1/complaints", new))[0] == 200
    assert (await admin.post("/console/accounts/nobody/token", {})).status == 404


async def test_an_admin_cannot_disable_the_account_in_use(server, admin):
    page = await admin.get("/console/accounts")
    assert 'action="/console/accounts/root/disable"' not in page.text
    page = await admin.post("/console/accounts/root/disable", {"disable": "1"})
    assert page.status == 400 and "不能停用自己" in page.text
    assert (await admin.get("/console/accounts")).status == 200


def test_the_cli_disables_enables_and_resets_tokens(mongo_uri, tmp_path):
    env = {**os.environ, "HOTLINE_MONGODB_URI": mongo_uri,
           "HOTLINE_DB_NAME": "cli_" + tmp_path.name, "HOTLINE_DATA_DIR": str(tmp_path)}  # fmt: skip

    def hotline(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "account", *args], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip

    created = hotline("create", "li", "--role", "dispatcher")
    assert created.returncode == 0, created.stderr
    first = created.stdout.strip().splitlines()[-1]
    assert hotline("disable", "li").returncode == 0
    assert "disabled" in hotline("list").stdout
    missing = hotline("disable", "nobody")
    assert missing.returncode != 0 and "nobody" in missing.stderr
    assert hotline("enable", "li").returncode == 0
    assert "disabled" not in hotline("list").stdout
    reset = hotline("reset-token", "li")
    assert reset.returncode == 0 and "stops working" in reset.stdout
    second = reset.stdout.strip().splitlines()[-1]
    assert second != first and second.count(".") == 1
