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


async def test_a_colleagues_answer_first_shows_the_typed_answer_question_and_reason(server):
    """The case stays in the department, but its answer, question and 退回 forms are gone
    (a colleague answered): what the clerk typed is shown to copy, not dropped."""
    hotline = server.app[hotline_key]
    no = await register(server, "小区垃圾站三天没人清运", openid="o_typed")
    await hotline.complaints.dispatch(no, "zjw", "disp-t")
    for name in ("zj-five", "zj-six"):
        await make_staff(server, name, Role.DEPARTMENT, "zjw")
    first, second = Browser(server), Browser(server)
    links = "清运记录 https://zjw.example.cn/2.pdf"
    question, reason = "请问垃圾站具体在几号楼旁边？", "垃圾清运属于区城管委职责"
    try:
        await first.login("zj-five")
        await second.login("zj-six")
        await second.get(f"/console/complaints/{no}")  # both have the page open
        await first.get(f"/console/complaints/{no}")
        await first.post(f"/console/complaints/{no}/reply", {"text": "已通知物业今日清运。"})
        replied = await second.post(f"/console/complaints/{no}/reply",
                                    {"text": ANSWER, "attachments": links})  # fmt: skip
        asked = await second.post(f"/console/complaints/{no}/ask", {"text": question})
        transfer = await second.post(f"/console/complaints/{no}/transfer", {"reason": reason})
    finally:
        await first.close()
        await second.close()
    for page, typed in ((replied, [ANSWER, links]), (asked, [question]),
                        (transfer, [reason])):  # fmt: skip
        assert page.status == 409
        assert "zj-five" in html.unescape(page.text)  # who answered first
        assert typed_back(page.text) == typed
    assert "提问内容" in html.unescape(asked.text)


async def test_a_form_still_on_the_page_comes_back_filled_in_not_twice(server):
    # a dispatch a colleague's re-dispatch overtook: the form is there with the note in it
    hotline = server.app[hotline_key]
    no = await register(server, "商场门口的台阶坏了", openid="o_typed2")
    await make_staff(server, "disp-t2", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-t2")
        await browser.get(f"/console/complaints/{no}")
        await hotline.complaints.dispatch(no, "swj", "disp-other")
        page = await browser.post(f"/console/complaints/{no}/dispatch",
                                  {"department": "zjw", "reason": "台阶属物业维修",
                                   "seen": "submitted:"})  # fmt: skip
    finally:
        await browser.close()
    assert page.status == 409 and typed_back(page.text) == []
    field = re.search(r'<input name="reason" placeholder="说明（可选）" value="([^"]*)"', page.text)
    assert field and html.unescape(field.group(1)) == "台阶属物业维修"


async def test_an_answer_sent_after_the_session_ended_is_shown_to_copy(server):
    hotline = server.app[hotline_key]
    no = await register(server, "工地夜间施工噪音很大", openid="o_expired")
    await hotline.complaints.dispatch(no, "zjw", "disp-e")
    await make_staff(server, "zj-seven", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj-seven")
        detail = await browser.get(f"/console/complaints/{no}")
        # 8 idle hours while the clerk typed, or a password reset
        await hotline.db.console_sessions.delete_for("zj-seven")
        page = await browser.post(f"/console/complaints/{no}/reply", {"text": ANSWER})
        assert page.status == 401
        assert "登录已超时，刚才的操作没有保存" in html.unescape(page.text)
        assert typed_back(page.text) == [ANSWER]
        # a form another site posted: its text is not shown as the clerk's
        async with browser.http.post(
            server.make_url(f"/console/complaints/{no}/reply"),
            data={"text": "请拨打 400-000-0000 重新激活账号", "csrf": detail.csrf},
            headers={"Origin": "https://evil.example"},
        ) as response:
            assert response.status == 401
            assert typed_back(await response.text()) == []
        # logged in again in another tab: the old page's form has a stale CSRF token
        await browser.login("zj-seven")
        page = await browser.post(f"/console/complaints/{no}/reply", {"text": ANSWER},
                                  csrf=detail.csrf)  # fmt: skip
        assert page.status == 403 and typed_back(page.text) == [ANSWER]
    finally:
        await browser.close()
    assert (await hotline.complaints.get(no)).replies == ()


async def test_a_phone_case_moved_away_is_named_from_its_history(server):
    """A phone-line case (no WeChat citizen, so no dispatch notice to read) dispatched
    with a note, then re-dispatched or handed back by an admin: the history events say
    which department held it, and the clerk gets the moved page, not 没有编号为…."""
    hotline = server.app[hotline_key]
    redispatched = await register(server, "商场门口的台阶坏了", openid="")
    handed_back = await register(server, "小区门口的井盖松了", openid="")
    for no in (redispatched, handed_back):
        await hotline.complaints.dispatch(no, "zjw", "disp-p", "请核实")  # a note, no 派至
    await make_staff(server, "zj-eight", Role.DEPARTMENT, "zjw")
    clerk = Browser(server)
    try:
        await clerk.login("zj-eight")
        await clerk.get(f"/console/complaints/{redispatched}")
        await hotline.complaints.dispatch(redispatched, "swj", "disp-p", "商场归商务局")
        await hotline.complaints.transfer(handed_back, "井盖归水务局管", "admin-p")
        page = await clerk.post(f"/console/complaints/{redispatched}/reply", {"text": ANSWER})
        assert page.status == 409
        text = html.unescape(page.text)
        assert "disp-p 已于" in text and "将该诉求改派至市商务局，您的答复未提交。" in text
        assert typed_back(page.text) == [ANSWER]
        page = await clerk.post(f"/console/complaints/{handed_back}/reply", {"text": ANSWER})
        assert page.status == 409
        assert "admin-p 已于" in html.unescape(page.text)
        assert typed_back(page.text) == [ANSWER]
    finally:
        await clerk.close()


async def _as_recorded_before_departments(server, no: str) -> None:
    """The complaint's history as records before events carried `department` have it."""
    db = server.app[hotline_key].db
    [doc] = await db.complaints.find({"no": no})
    history = [{k: v for k, v in e.items() if k != "department"} for e in doc["history"]]
    await db.complaints.set_fields(no, {"history": history})


async def test_old_records_without_departments_in_history_still_name_the_move(server):
    # the note (派至…), the dispatch notice and the hand-back's clerk say it instead
    hotline = server.app[hotline_key]
    handed_back = await register(server, "楼道里的灯坏了", openid="o_old1")
    redispatched = await register(server, "路边的树倒了", openid="o_old2")
    for no in (handed_back, redispatched):
        await hotline.complaints.dispatch(no, "zjw", "disp-o", "请核实")  # a note, no 派至
    await make_staff(server, "zj-nine", Role.DEPARTMENT, "zjw")
    await make_staff(server, "zj-ten", Role.DEPARTMENT, "zjw")
    await hotline.complaints.transfer(handed_back, "路灯归城管委", "zj-ten")
    await hotline.complaints.dispatch(redispatched, "swj", "disp-o", "改派")
    for no in (handed_back, redispatched):
        await _as_recorded_before_departments(server, no)
        assert all(not e.department for e in (await hotline.complaints.get(no)).history)
    clerk = Browser(server)
    try:
        await clerk.login("zj-nine")
        await clerk.get("/console/complaints")
        page = await clerk.post(f"/console/complaints/{handed_back}/reply", {"text": ANSWER})
        assert page.status == 409 and "zj-ten 已于" in html.unescape(page.text)
        page = await clerk.post(f"/console/complaints/{redispatched}/reply", {"text": ANSWER})
        assert page.status == 409
        assert "将该诉求改派至市商务局，您的答复未提交。" in html.unescape(page.text)
    finally:
        await clerk.close()
