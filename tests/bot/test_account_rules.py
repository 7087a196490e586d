"""What the 账号管理 form, the CLI and the store accept when an account is created:
the role the admin chose and nothing else, and one rule for account names."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import hotline_key
from models.accounts import (
    ACCOUNT_NAME_PATTERN,
    Account,
    InvalidAccountName,
    Role,
    check_account_name,
)
from tests.bot.console import Browser, make_staff

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def admin(server):
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    await browser.login("root")
    await browser.get("/console/accounts")
    yield browser
    await browser.close()


async def test_the_new_account_form_preselects_no_role(server, admin):
    page = await admin.get("/console/accounts")
    select = re.search(r'<select name="role"[^>]*>(.*?)</select>', page.text, re.S)
    assert select and "required" in select.group(0)
    options = re.findall(r"<option[^>]*>", select.group(1))
    # the only preselected option is the empty, unsendable prompt
    assert [o for o in options if "selected" in o] == ['<option value="" selected disabled>']
    page = await admin.post("/console/accounts", {"name": "newclerk", "department": "zjw"})
    assert page.status == 400 and "请选择账号的角色" in page.text
    assert await server.app[hotline_key].db.accounts.get("newclerk") is None


@pytest.mark.parametrize("role", ["admin", "dispatcher"])
async def test_a_department_with_another_role_is_refused_not_dropped(server, admin, role):
    form = {"name": "newclerk", "role": role, "department": "zjw"}
    page = await admin.post("/console/accounts", form)
    assert page.status == 400 and "只有承办部门账号属于某个部门" in page.text
    assert await server.app[hotline_key].db.accounts.get("newclerk") is None
    page = await admin.post("/console/accounts", {**form, "role": "department"})
    assert page.status == 200 and "已创建" in page.text
    account = await server.app[hotline_key].db.accounts.get("newclerk")
    assert account is not None and (account.role, account.department) == (Role.DEPARTMENT, "zjw")


BAD_NAMES = ["", "x", "ops/lead", "   ", "a" * 33, "wang li", "ab\n", "王五", "ops%2Flead"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_one_name_rule(name):
    with pytest.raises(InvalidAccountName):
        check_account_name(name)


@pytest.mark.parametrize("name", ["li", "wang-1", "zjw_clerk", "a" * 32])
def test_good_names(name):
    check_account_name(name)


async def test_the_store_refuses_a_name_outside_the_rule(db):
    now = datetime.now(UTC)
    for name in BAD_NAMES:
        with pytest.raises(InvalidAccountName):
            await db.accounts.create(Account(name, Role.DISPATCHER), now)
    assert await db.accounts.list() == []


async def test_the_console_refuses_a_name_outside_the_rule(server, admin):
    page = await admin.get("/console/accounts")
    assert f'pattern="{ACCOUNT_NAME_PATTERN}"' in page.text
    for name in ("ops/lead", "x", "a" * 33):
        page = await admin.post("/console/accounts", {"name": name, "role": "dispatcher"})
        assert page.status == 400, name
    assert [a.name for a in await server.app[hotline_key].db.accounts.list()] == ["root"]


def test_the_cli_refuses_a_name_outside_the_rule(mongo_uri, tmp_path):
    env = {**os.environ, "HOTLINE_MONGODB_URI": mongo_uri,
           "HOTLINE_DB_NAME": "cli_" + tmp_path.name, "HOTLINE_DATA_DIR": str(tmp_path)}  # fmt: skip

    def hotline(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "account", *args], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip

    for name in ("", "ops/lead", "  "):
        refused = hotline("create", name, "--role", "dispatcher")
        assert refused.returncode == 2, (name, refused.stdout)
        assert "account names are 2-32" in refused.stderr
    assert hotline("list").stdout.strip() == ""
    assert hotline("create", "ops-lead", "--role", "dispatcher").returncode == 0


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"name": "x", "role": "dispatcher"}, "账号名须为 2–32 个字符，现在是 1 个。"),
        ({"name": "a" * 40, "role": "dispatcher"}, "账号名须为 2–32 个字符，现在是 40 个。"),
        ({"name": "ops/lead", "role": "dispatcher"}, "账号名只能用英文字母、数字、下划线或短横线"),
        ({"name": "newclerk", "role": "department"}, "承办部门账号须选择所属部门。"),
        ({"name": "newclerk", "role": "department", "department": "nope"}, "须选择所属部门"),
        ({"name": "newclerk", "role": "dispatcher", "password": "short"},
         "密码至少 8 位，现在只有 5 位。"),
    ],
)  # fmt: skip
async def test_a_refused_account_form_says_which_rule_it_broke(server, admin, form, says):
    page = await admin.post("/console/accounts", form)
    assert page.status == 400 and says in page.text, page.text[-2000:]
    # and keeps what was typed, but the password
    assert f'value="{form["name"]}"' in page.text
    assert f'<option value="{form["role"]}" selected>' in page.text
    assert await server.app[hotline_key].db.accounts.get("newclerk") is None


async def test_a_short_password_on_reset_says_so(server, admin):
    await make_staff(server, "clerk", Role.DISPATCHER)
    page = await admin.post("/console/accounts/clerk/password", {"password": "1234567"})
    assert page.status == 400 and "密码至少 8 位，现在只有 7 位。" in page.text
    alert = re.search(r'<p class="error" role="alert">([^<]*)</p>', page.text).group(1)
    assert alert == "密码至少 8 位，现在只有 7 位。"  # not the whole rulebook
