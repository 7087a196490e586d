"""A refusal because a colleague acted first says who acted and when (Beijing time), as
the dispatch conflict already does: "这件诉求已由 zj-a 于 01:48 答复…"."""

from __future__ import annotations

import html
import re

from bot.app import hotline_key
from bot.console.complaints import beijing_moment
from models.accounts import Role
from tests.bot.console import Browser, Page, make_staff
from tests.bot.staff import register


def alert(page: Page) -> str:
    match = re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.S)
    assert match, f"no error message on {page.url} ({page.status})"
    return html.unescape(match.group(1))


async def test_a_colleagues_accept_and_answer_are_named_with_their_time(server):
    hotline = server.app[hotline_key]
    no = await register(server, "小区垃圾站三天没人清运", openid="o_conflict")
    await hotline.complaints.dispatch(no, "zjw", "disp-c")
    for name in ("zj-a", "zj-b"):
        await make_staff(server, name, Role.DEPARTMENT, "zjw")
    first, second = Browser(server), Browser(server)
    try:
        await first.login("zj-a")
        await second.login("zj-b")
        await second.get(f"/console/complaints/{no}")  # both have the page open
        await first.get(f"/console/complaints/{no}")
        await first.post(f"/console/complaints/{no}/accept", {})
        accepted = await second.post(f"/console/complaints/{no}/accept", {})
        await first.post(f"/console/complaints/{no}/reply", {"text": "已通知物业今日清运。"})
        replied = await second.post(f"/console/complaints/{no}/reply", {"text": "已清运。"})
        transfer = await second.post(f"/console/complaints/{no}/transfer", {"reason": "非本部门"})
    finally:
        await first.close()
        await second.close()
    history = (await hotline.complaints.get(no)).history
    at = {e.action: beijing_moment(e.at) for e in history}
    assert accepted.status == 409
    assert alert(accepted) == f"这件诉求已由 zj-a 于 {at['accept']} 受理，无需重复受理。"
    assert replied.status == 409
    assert alert(replied).startswith(f"这件诉求已由 zj-a 于 {at['reply']} 答复，不能重复答复。")
    assert "已通知物业今日清运" not in alert(replied)
    assert transfer.status == 409
    assert alert(transfer).startswith(
        f"这件诉求已经答复（zj-a 于 {at['reply']} 答复），现在不能退回派单。"
    )


async def test_a_case_already_handed_back_names_who_handed_it_back(server):
    hotline = server.app[hotline_key]
    no = await register(server, "河道里有死鱼，气味很大", openid="o_conflict2")
    await hotline.complaints.dispatch(no, "swj", "disp-c2")
    await hotline.complaints.transfer(no, "属于水务局职责", "sw-a")
    await make_staff(server, "admin-c", Role.ADMIN)
    admin = Browser(server)
    try:
        await admin.login("admin-c")
        await admin.get(f"/console/complaints/{no}")
        page = await admin.post(f"/console/complaints/{no}/transfer", {"reason": "再退一次"})
    finally:
        await admin.close()
    [event] = [e for e in (await hotline.complaints.get(no)).history if e.action == "transfer"]
    assert page.status == 409
    assert (
        alert(page) == f"这件诉求已由 sw-a 于 {beijing_moment(event.at)} 退回派单队列，无需再退回。"
    )
