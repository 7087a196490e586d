"""向市民提问: the department holding a case asks the citizen a question or for more
material, end to end over real HTTP. The question is pushed through the sandbox WeChat
API, the citizen answers in chat (words and a photo) and the answer lands on the ticket
as supplements; the round stays open. A retried request is not pushed twice, other
departments cannot see the case, empty text is refused with the reason, and the console
offers the same action with the same refusals in Chinese."""

from __future__ import annotations

import asyncio

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, pushes, register, wait_for_push
from tests.bot.test_department_loop import register as register_in_chat
from tests.bot.wechat import WeChatDriver, upload_image

QUESTION = "请问是几号楼几单元门口的路灯？方便的话请拍一张现场照片。"
LEAD_IN = "补充询问"


async def _dispatched(server, settings, openid: str) -> tuple[str, str, WeChatDriver]:
    driver = WeChatDriver(server, settings)
    no = await register_in_chat(driver, openid)
    dispatcher = await make_token(server, "dispatch-ask", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                          {"department": "zjw"})  # fmt: skip
    assert status == 200
    dept = await make_token(server, "zjw-ask", Role.DEPARTMENT, "zjw")
    return no, dept, driver


async def test_question_pushed_and_the_answer_lands_on_the_ticket(server, settings):
    openid = "o_asked"
    no, dept, driver = await _dispatched(server, settings, openid)
    status, before = await api(server, "GET", f"/api/v1/complaints/{no}", dept)
    assert status == 200

    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dept,
                             {"text": f"  {QUESTION}\u200b "})  # fmt: skip
    assert status == 200, body
    # asking a dispatched case accepts it; the question is an event of its own
    assert body["status"] == "accepted" and body["round"] == 1
    assert [e["action"] for e in body["history"][-2:]] == ["accept", "ask"]
    assert body["history"][-1]["reason"] == QUESTION and body["history"][-1]["actor"] == "zjw-ask"
    assert body["due_at"] == before["due_at"]  # the time limit keeps running
    texts = await wait_for_push(server, openid, LEAD_IN)
    [pushed] = [t for t in texts if LEAD_IN in t]
    assert f"【工单 {no} 补充询问】" in pushed and QUESTION in pushed
    assert f"补充 {no}" in pushed  # how to answer
    assert "满意度" not in pushed

    # a retried request (same clerk, same question): no second event, no second push
    status, again = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dept,
                              {"text": QUESTION})  # fmt: skip
    assert status == 200 and len(again["history"]) == len(body["history"])
    await asyncio.sleep(0.5)
    assert sum(LEAD_IN in t for t in await pushes(server, openid)) == 1
    outbox = await server.app[hotline_key].db.outbox.find(dedupe_key={"$regex": "^ask:"})
    assert len(outbox) == 1

    # the citizen just answers: words, then a photo, both go onto the ticket
    reply = await driver.say(openid, "是12号楼3单元门口那一盏，晚上完全不亮")
    assert f"补充到工单 {no}" in reply.text
    media_id = await upload_image(server, b"\xff\xd8asked-photo")
    s = driver.sim
    image = s.xml(openid, "image", PicUrl="http://x", MediaId=media_id, MsgId=s.next_msg_id())
    assert f"照片已补充到工单 {no}" in (await driver.post(image)).text

    status, after = await api(server, "GET", f"/api/v1/complaints/{no}", dept)
    assert after["status"] == "accepted" and after["due_at"] == before["due_at"]
    supplements = [e for e in after["history"] if e["action"] == "supplement"]
    assert [e["actor"] for e in supplements] == ["citizen", "citizen"]
    assert supplements[0]["reason"] == "是12号楼3单元门口那一盏，晚上完全不亮"
    assert len(after["photos"]) == 1
    assert "ask" in [p["key"].split(":")[0] for p in after["pushes"]]

    # the department can still answer: the round ends only then
    status, answered = await api(server, "POST", f"/api/v1/complaints/{no}/reply", dept,
                                 {"text": "已更换12号楼3单元门口路灯灯泡。"})  # fmt: skip
    assert status == 200 and answered["status"] == "replied"
    # asking is for a case being handled, not one answered
    status, refused = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dept,
                                {"text": "还有别的问题吗？"})  # fmt: skip
    assert status == 409, refused


async def test_who_may_ask_and_what(server, settings):
    no, dept, _ = await _dispatched(server, settings, "o_ask_refused")
    other = await make_token(server, "sw-ask", Role.DEPARTMENT, "sw")
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/ask", other,
                             {"text": QUESTION})  # fmt: skip
    assert status == 404, body  # another department cannot learn the case exists
    dispatcher = await make_token(server, "dispatch-ask-2", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dispatcher,
                          {"text": QUESTION})  # fmt: skip
    assert status == 403

    for text in ("", "\u200b\u200b", "？？12"):
        status, body = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dept,
                                 {"text": text})  # fmt: skip
        assert status == 400 and body["error"], (text, body)
    assert body["code"] == "no_content" and body["min_letters"] == 2
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dept,
                             {"text": "请说明" * 300})  # fmt: skip
    assert status == 400 and body["code"] == "question_too_long" and body["excess_chars"] > 0

    status, body = await api(server, "GET", f"/api/v1/complaints/{no}", dept)
    assert body["status"] == "dispatched"  # nothing refused changed anything
    assert "ask" not in [e["action"] for e in body["history"]]


async def test_phone_citizen_is_asked_by_phone(server):
    no = await register(server, "小区3号楼电梯坏了一周没人修", openid="")
    hotline = server.app[hotline_key]
    await hotline.complaints.dispatch(no, "zjw", "dispatch-x")
    dept = await make_token(server, "zjw-phone", Role.DEPARTMENT, "zjw")
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/ask", dept,
                             {"text": "请问是哪个单元的电梯？"})  # fmt: skip
    assert status == 200, body
    dispatcher = await make_token(server, "dispatch-phone", Role.DISPATCHER)
    status, body = await api(server, "GET", "/api/v1/follow-ups", dispatcher)
    [call] = [f for f in body["follow_ups"] if f["complaint"] == no]
    assert call["channel"] == "phone" and "请问是哪个单元的电梯？" in call["text"]
    assert call["contact_phone"] == "13812345678"


async def test_console_ask_form(server, settings):
    no, _, _ = await _dispatched(server, settings, "o_ask_console")
    await make_staff(server, "zjw-clerk", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zjw-clerk")
        page = await browser.get(f"/console/complaints/{no}")
        assert f'action="/console/complaints/{no}/ask"' in page.text and "向市民提问" in page.text

        refused = await browser.post(f"/console/complaints/{no}/ask", {"text": "？？。"})
        assert refused.status == 400
        assert "问题没有实际文字" in refused.text and "？？。" in refused.text  # kept as typed

        done = await browser.post(f"/console/complaints/{no}/ask", {"text": QUESTION})
        assert done.status == 200 and done.url.endswith(f"/console/complaints/{no}?done=ask")
        assert "问题已发送给市民" in done.text
        assert "向市民提问" in done.text and QUESTION in done.text  # in the history
        await wait_for_push(server, "o_ask_console", LEAD_IN)
    finally:
        await browser.close()
