"""Texts staff write that reach someone else: a knowledge base answer must fit one
WeChat message (the bot sends it whole), a transfer's reason has a sane length."""

from __future__ import annotations

import re

import pytest

from bot.app import hotline_key
from bot.console.admin import answer_excess
from bot.ports import shipped_knowledge
from bot.staff_actions import MAX_REASON_CHARS
from bot.wechat_api import TEXT_LIMIT_BYTES
from dialogs.messages import CONSULT_FOOTER
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register


@pytest.fixture
async def browser(server):
    client = Browser(server)
    yield client
    await client.close()


async def test_a_knowledge_answer_too_long_for_one_message_is_refused(server, browser):
    await make_staff(server, "disp", Role.DISPATCHER)
    await browser.login("disp")
    await browser.get("/console/knowledge")
    fits = "办" * ((TEXT_LIMIT_BYTES - len(CONSULT_FOOTER.encode())) // 3)
    assert answer_excess(fits) == 0 and answer_excess(fits + "办") > 0
    entry = {"id": "long-answer", "question": "居住证怎么办？", "keywords": "居住证"}
    # the reviewer's answer: 3,031 characters, 9,091 bytes
    long = "办理居住证需要携带身份证" * 252 + "请到派出所。"
    assert len(long) == 3030 and len(long.encode()) == 9090
    page = await browser.post("/console/knowledge", {**entry, "answer": long})
    cut = len(long) - len(fits)
    assert page.status == 400 and f"请删减 {cut} 个字后再保存" in page.text, page.text
    assert long in page.text  # the draft is kept to shorten
    assert all(e["id"] != "long-answer" for e in await server.app[hotline_key].db.knowledge.all())
    page = await browser.post("/console/knowledge", {**entry, "answer": fits})
    assert page.status == 200 and "已保存" in page.text
    # Latin letters count one byte each: the number to cut follows the bytes
    slack = TEXT_LIMIT_BYTES - len((fits + CONSULT_FOOTER).encode())  # under 3 bytes
    page = await browser.post("/console/knowledge", {**entry, "answer": fits + "abcd"})
    assert page.status == 400 and f"请删减 {4 - slack} 个字" in page.text


def test_every_shipped_answer_fits_one_message():
    assert [e["id"] for e in shipped_knowledge() if answer_excess(e["answer"])] == []


async def test_a_transfer_reason_is_limited_in_the_api_and_the_console(server, browser):
    first = await register(server, "公交站牌被撞歪了", openid="o_limits")
    second = await register(server, "地铁口共享单车堆满了", openid="o_limits")
    dispatcher = await make_token(server, "disp", Role.DISPATCHER)
    clerk = await make_token(server, "zjw-api", Role.DEPARTMENT, "zjw")
    for no in (first, second):
        status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                              {"department": "zjw"})  # fmt: skip
        assert status == 200
    status, body = await api(server, "POST", f"/api/v1/complaints/{first}/transfer", clerk,
                             {"reason": "x" * 100_000})  # fmt: skip
    assert status == 400 and body["code"] == "reason_too_long", body
    assert body["max_chars"] == MAX_REASON_CHARS == 500 and body["excess_chars"] == 99_500
    await make_staff(server, "zjw-web", Role.DEPARTMENT, "zjw")
    await browser.login("zjw-web")
    await browser.get(f"/console/complaints/{second}")
    page = await browser.post(f"/console/complaints/{second}/transfer", {"reason": "理" * 501})
    assert page.status == 400 and "退回理由太长，最多 500 个字" in page.text
    for no in (first, second):
        assert (await server.app[hotline_key].complaints.get(no)).status.value == "dispatched"
    status, body = await api(server, "POST", f"/api/v1/complaints/{first}/transfer", clerk,
                             {"reason": "理" * 500})  # fmt: skip
    assert status == 200 and body["status"] == "submitted"


async def test_a_dispatch_note_is_limited_too_and_the_console_says_so(server, browser):
    no = await register(server, "小区门口的井盖响了好几天", openid="o_limits")
    dispatcher = await make_token(server, "disp-note", Role.DISPATCHER)
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                             {"department": "zjw", "reason": "说" * 600})  # fmt: skip
    assert status == 400 and body["code"] == "reason_too_long" and body["excess_chars"] == 100
    await make_staff(server, "disp-web", Role.DISPATCHER)
    await browser.login("disp-web")
    page = await browser.get(f"/console/complaints/{no}")
    seen = re.search(r'name="seen" value="([^"]*)"', page.text)
    assert seen
    page = await browser.post(
        f"/console/complaints/{no}/dispatch",
        {"department": "zjw", "reason": "说" * 501, "seen": seen.group(1)},
    )
    assert page.status == 400 and "派单说明太长，最多 500 个字，请删减 1 个字" in page.text
    assert (await server.app[hotline_key].complaints.get(no)).status.value == "submitted"
