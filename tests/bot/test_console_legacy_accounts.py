"""Accounts created before the account-name rule may have names it refuses ("/",
spaces, "..", nothing but blanks). The console still manages them: every
per-account form on 账号管理 reaches the account it is shown for, while a new
account must still keep the rule."""

from __future__ import annotations

import html
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import PASSWORD, Browser, make_staff
from tests.bot.staff import api

LEGACY = ["old/clerk", "王 五", "..", "   ", "a", "~x", "x?y#z%2F"]
ROW = re.compile(r'<tr>\s*<td>(.*?)(?: <span class="hint"[^>]*>[^<]*</span>)?</td>(.*?)</tr>', re.S)


async def insert_legacy(server, name: str, role: Role = Role.DISPATCHER, **extra) -> str:
    """An account as an old version stored it, straight into the store; its API token."""
    hasher = PasswordHasher()
    token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
    await server.app[hotline_key].db.db.accounts.insert_one(
        {
            "_id": name,
            "role": role.value,
            "department": "zjw" if role is Role.DEPARTMENT else "",
            "token_id": token_id,
            "token_hash": hasher.hash(secret),
            "created_at": datetime.now(UTC),
            "failed_logins": 0,
            **extra,
        }
    )
    return f"{token_id}.{secret}"


def forms(page_text: str) -> dict[str, dict[str, str]]:
    """Each listed account's per-account forms, as a browser reads them: {name: {what:
    action}}, e.g. {"wang": {"token": "/console/accounts/wang/token"}}."""
    found: dict[str, dict[str, str]] = {}
    for name, row in ROW.findall(page_text):
        actions = [html.unescape(a) for a in re.findall(r'action="([^"]+)"', row)]
        found[html.unescape(name)] = {a.rsplit("/", 1)[-1]: a for a in actions}
    return found


@pytest.fixture
async def admin(server):
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    await browser.login("root")
    yield browser
    await browser.close()


async def test_every_per_account_form_reaches_an_account_named_before_the_rule(server, admin):
    accounts = server.app[hotline_key].db.accounts
    tokens = {name: await insert_legacy(server, name) for name in LEGACY}
    page = await admin.get("/console/accounts")
    assert page.status == 200
    listed = forms(page.text)
    assert set(LEGACY) <= set(listed)
    for name in LEGACY:
        actions = listed[name]
        assert set(actions) == {"password", "token", "disable"}, (name, actions)
        # 重置令牌: the new token works, the old one no longer does
        page = await admin.post(actions["token"], {})
        assert page.status == 200, (name, page.status)
        new = re.search(r'<p class="token"><code>([^<]+)</code>', page.text)
        assert new, name
        assert (await api(server, "GET", "/api/v1/departments", new.group(1)))[0] == 200
        assert (await api(server, "GET", "/api/v1/departments", tokens[name]))[0] == 401
        # 停用, then 启用 again: the form shown for it now
        page = await admin.post(actions["disable"], {"disable": "1"})
        assert page.status == 200 and name in await accounts.disabled(), name
        assert (await api(server, "GET", "/api/v1/departments", new.group(1)))[0] == 401
        enable = forms(page.text)[name]["disable"]
        page = await admin.post(enable, {"disable": "0"})
        assert page.status == 200 and name not in await accounts.disabled(), name
    # nothing reached another account: the rule-keeping ones are untouched
    assert "root" not in await accounts.disabled()
    assert "旧名称：空白" in page.text  # a blank name is pointed out, not an empty cell


async def test_a_locked_legacy_account_is_unlocked_and_given_a_password(server, admin):
    name = "old/clerk"
    locked = datetime.now(UTC) + timedelta(minutes=10)
    await insert_legacy(server, name, Role.DEPARTMENT, failed_logins=0, locked_until=locked)
    page = await admin.get("/console/accounts")
    actions = forms(page.text)[name]
    assert set(actions) == {"unlock", "password", "token", "disable"}
    page = await admin.post(actions["unlock"], {})
    assert page.status == 200
    assert name not in await server.app[hotline_key].db.accounts.locked(datetime.now(UTC))
    page = await admin.post(actions["password"], {"password": PASSWORD})
    assert page.status == 200
    clerk = Browser(server)
    try:
        page = await clerk.login(name)
        assert page.status == 200 and "/console/login" not in page.url, page.url
    finally:
        await clerk.close()
    audit = await server.app[hotline_key].db.accounts.audit_entries()
    assert {(e["action"], e["target"]) for e in audit} >= {
        ("unlock-account", name),
        ("set-password", name),
    }


async def test_new_accounts_still_keep_the_rule_and_bad_addresses_find_nothing(server, admin):
    await admin.get("/console/accounts")
    for name in ("new/one", "王 五", "~x", "  "):
        page = await admin.post("/console/accounts", {"name": name, "role": "dispatcher"})
        assert page.status == 400, name
    assert [a.name for a in await server.app[hotline_key].db.accounts.list()] == ["root"]
    for segment in ("~!!", "~", "~_w", "nobody"):
        page = await admin.post(f"/console/accounts/{segment}/token", {})
        assert page.status == 404, segment
