"""What the 账号管理 form, the CLI and the store accept when an account is created:
the role the admin chose and nothing else, and one rule for account names."""

from __future__ import annotations

import re

import pytest

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff


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
