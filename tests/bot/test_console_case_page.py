"""The case page's actions in working order (受理 before 答复市民 before 退回), and a push
that will never be sent shows no time rather than a future one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from models.accounts import Role
from store.complaints import BEIJING
from tests.bot.console import Browser, make_staff
from tests.bot.staff import register


async def test_actions_come_in_working_order_and_a_push_never_sent_has_no_time(server):
    hotline = server.app[hotline_key]
    no = await register(server, "楼道里堆满了杂物", openid="o_order")
    await hotline.complaints.dispatch(no, "zjw", "disp-order")
    now = datetime.now(UTC)
    later = now + timedelta(days=1)
    # a reminder meant for a replied round: the case was never answered, so it never goes
    await hotline.db.outbox.enqueue(
        dedupe_key=f"survey-reminder:{no}:1", kind="text", openid="o_order",
        payload={"text": "请评价", "only_if": {"no": no, "round": 1, "status": "replied"}},
        run_at=later, now=now, complaint_no=no,
    )  # fmt: skip
    await make_staff(server, "zj-order", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj-order")
        page = await browser.get(f"/console/complaints/{no}")
    finally:
        await browser.close()
    actions = re.findall(r'action="/console/complaints/[\d-]+/(\w+)"', page.text)
    assert actions == ["accept", "reply", "ask", "transfer"]
    row = re.search(r"<tr><td>回访提醒</td>.*?</tr>", page.text, re.S)
    assert row and "无需发送" in row.group(0)
    assert "<td>—</td>" in row.group(0)
    assert f"{later.astimezone(BEIJING):%Y-%m-%d}" not in row.group(0)
