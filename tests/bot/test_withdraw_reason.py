"""A citizen's reason for withdrawing ("撤回吧，灯已经修好了") reaches staff: on the
withdrawal's history event, in the API and on the console's case page; a withdrawal
without one reads "市民撤回" as before."""

from __future__ import annotations

import re

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register
from tests.bot.wechat import WeChatDriver


def _withdrawal(view: dict) -> dict:
    [event] = [e for e in view["history"] if e["action"] == "withdraw"]
    return event


async def test_the_reason_said_with_a_withdrawal_is_on_its_history(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_withdraw_reason"
    no = await register(server, "望京西园三区12号楼门口的路灯坏了一个多星期", openid=openid)
    asked = await driver.say(openid, "撤回吧，灯已经修好了")
    assert f"确定要撤回工单 {no}" in asked.text
    assert "已撤回" in (await driver.say(openid, "确定")).text

    token = await make_token(server, "disp-withdraw", Role.DISPATCHER)
    status, view = await api(server, "GET", f"/api/v1/complaints/{no}", token)
    assert status == 200 and view["status"] == "withdrawn"
    assert _withdrawal(view)["reason"] == "市民撤回：灯已经修好了"

    await make_staff(server, "disp-withdraw-page", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-withdraw-page")
        page = await browser.get(f"/console/complaints/{no}")
    finally:
        await browser.close()
    rows = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>(.*?)</td></tr>",
                      page.text)  # fmt: skip
    assert "市民撤回：灯已经修好了" in rows


async def test_a_withdrawal_without_a_reason_reads_as_before(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_withdraw_plain"
    no = await register(server, "楼下的下水道堵了好几天", openid=openid)
    await driver.say(openid, f"撤回 {no}")
    assert "已撤回" in (await driver.say(openid, "确定")).text
    doc = await server.app[hotline_key].db.complaints.get(no)
    [event] = [e for e in doc["history"] if e["action"] == "withdraw"]
    assert event["reason"] == "市民撤回"
