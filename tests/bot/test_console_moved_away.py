"""A clerk whose case was taken away while they typed (a colleague's 退回, a
dispatcher's 改派) is told who moved it and when, and gets the typed text back; a
refused 退回 keeps its reason."""

from __future__ import annotations

import html
import re

from bot.app import hotline_key
from models.accounts import Role
from store.complaints import BEIJING
from tests.bot.console import Browser, make_staff
from tests.bot.staff import register

ANSWER = "经我委核查，已责令施工单位整改，并于本周五前完成复查。" * 3


def typed_back(text: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<textarea readonly[^>]*>(.*?)</textarea>",
                                                 text, re.S)]  # fmt: skip


async def test_a_colleagues_hand_back_is_named_and_the_typed_answer_kept(server):
    hotline = server.app[hotline_key]
    no = await register(server, "工地夜间施工噪音很大", openid="o_moved")
    await hotline.complaints.dispatch(no, "zjw", "disp-m")
    for name in ("zj-one", "zj-two"):
        await make_staff(server, name, Role.DEPARTMENT, "zjw")
    one, two = Browser(server), Browser(server)
    try:
        await one.login("zj-one")
        await two.login("zj-two")
        await two.get(f"/console/complaints/{no}")  # the reply form is open
        await one.get(f"/console/complaints/{no}")
        await one.post(f"/console/complaints/{no}/accept", {})
        await one.post(f"/console/complaints/{no}/transfer", {"reason": "属于区城管执法局职责"})
        page = await two.post(
            f"/console/complaints/{no}/reply",
            {"text": ANSWER, "attachments": "整改通知书 https://zjw.example.cn/1.pdf"},
        )
    finally:
        await one.close()
        await two.close()
    assert page.status == 409
    text = html.unescape(page.text)
    [event] = [e for e in (await hotline.complaints.get(no)).history if e.action == "transfer"]
    at = event.at.astimezone(BEIJING)
    assert f"zj-one 已于 {at:%H:%M} 将该诉求退回派单，您的答复未提交。" in text
    assert "没有编号为" not in text
    assert typed_back(page.text) == [ANSWER, "整改通知书 https://zjw.example.cn/1.pdf"]


async def test_a_redispatch_is_named_and_a_department_that_never_held_it_gets_404(server):
    hotline = server.app[hotline_key]
    no = await register(server, "商场门口的台阶坏了", openid="o_moved2")
    await hotline.complaints.dispatch(no, "zjw", "disp-m2", "请核实")  # a note, no 派至
    await make_staff(server, "zj-three", Role.DEPARTMENT, "zjw")
    await make_staff(server, "jt-one", Role.DEPARTMENT, "jtw")
    clerk, stranger = Browser(server), Browser(server)
    try:
        await clerk.login("zj-three")
        await stranger.login("jt-one")
        await clerk.get(f"/console/complaints/{no}")
        await hotline.complaints.dispatch(no, "swj", "disp-m2", "商场归商务局")
        page = await clerk.post(f"/console/complaints/{no}/reply", {"text": ANSWER})
        assert page.status == 409
        text = html.unescape(page.text)
        assert "disp-m2 已于" in text and "将该诉求改派至市商务局，您的答复未提交。" in text
        assert typed_back(page.text) == [ANSWER]
        # nothing about a case the department never had
        await stranger.get("/console/complaints")
        page = await stranger.post(f"/console/complaints/{no}/reply", {"text": ANSWER})
        assert page.status == 404 and "没有编号为" in html.unescape(page.text)
        assert "disp-m2" not in page.text and ANSWER not in page.text
    finally:
        await clerk.close()
        await stranger.close()


async def test_a_refused_hand_back_keeps_its_reason(server):
    hotline = server.app[hotline_key]
    no = await register(server, "楼顶漏水很严重", openid="o_reason")
    await hotline.complaints.dispatch(no, "zjw", "disp-r")
    await make_staff(server, "zj-four", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    reason = "不属于本委职责，" + "应由物业处理" * 90
    try:
        await browser.login("zj-four")
        await browser.get(f"/console/complaints/{no}")
        page = await browser.post(f"/console/complaints/{no}/transfer", {"reason": reason})
    finally:
        await browser.close()
    assert page.status == 400 and "退回理由太长" in html.unescape(page.text)
    field = re.search(r'<input name="reason" required[^>]*value="([^"]*)"', page.text)
    assert field and html.unescape(field.group(1)) == reason
