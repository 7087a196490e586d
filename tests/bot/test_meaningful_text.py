"""An answer or a transfer reason must say something: invisible characters (Unicode
format characters such as a zero-width space) and bare punctuation are refused, by
the API with a reason and by the console in Chinese with the typed text kept."""

from __future__ import annotations

import html

import pytest

from bot.app import hotline_key
from models.accounts import Role
from models.text import letters, visible
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register

EMPTY_LOOKING = ["\u200b", "\ufeff\u2060", "。", " \u200b。！ ", "\u3164", "12", "修"]


@pytest.mark.parametrize("text", EMPTY_LOOKING)
def test_invisible_or_bare_punctuation_has_too_few_letters(text):
    assert letters(text) < 2


def test_real_answers_keep_their_text_without_format_characters():
    assert letters("已修") == 2 and letters("OK") == 2
    assert visible("\ufeff已\u200b修复。\u2060 ") == "已修复。"


async def _dispatched(server, openid: str) -> tuple[str, str]:
    no = await register(server, f"{openid}门口的路灯坏了一个多星期", openid=openid)
    dispatcher = await make_token(server, f"d-{openid}", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                          {"department": "zjw"})  # fmt: skip
    assert status == 200
    return no, await make_token(server, f"zjw-{openid}", Role.DEPARTMENT, "zjw")


async def test_the_api_refuses_an_answer_or_reason_without_content(server):
    no, clerk = await _dispatched(server, "o_blank")
    for text in EMPTY_LOOKING:
        status, body = await api(server, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                                 {"text": text})  # fmt: skip
        assert status == 400, text
        if visible(text):  # something is there, but nothing a citizen can read
            assert body["code"] == "no_content" and body["min_letters"] == 2, text
        status, body = await api(server, "POST", f"/api/v1/complaints/{no}/transfer", clerk,
                                 {"reason": text})  # fmt: skip
        assert status == 400, text
    doc = await server.app[hotline_key].db.complaints.get(no)
    assert doc["status"] == "dispatched" and not doc.get("replies")
    pushed = await server.app[hotline_key].db.outbox.find(complaint_no=no)
    assert not [p for p in pushed if p["dedupe_key"].startswith("reply:")]
    # a short real answer is accepted, stored without the invisible characters
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                             {"text": "\u200b已修。"})  # fmt: skip
    assert status == 200 and body["status"] == "replied"
    assert body["replies"][-1]["text"] == "已修。"


async def test_the_console_explains_in_chinese_and_keeps_the_text(server):
    no, _ = await _dispatched(server, "o_blank_console")
    await make_staff(server, "zjw-blank", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zjw-blank")
        page = await browser.post(f"/console/complaints/{no}/reply", {"text": "\ufeff\u2060"})
        assert page.status == 400 and "请填写答复内容" in page.text
        page = await browser.post(f"/console/complaints/{no}/reply", {"text": "。。"})
        assert page.status == 400 and "答复内容没有实际文字" in html.unescape(page.text)
        assert "请至少写 2 个字" in page.text
        assert "。。</textarea>" in page.text  # the typed text is still in the form
        page = await browser.post(f"/console/complaints/{no}/transfer", {"reason": "？"})
        assert page.status == 400 and "退回理由没有实际文字" in page.text
    finally:
        await browser.close()
    doc = await server.app[hotline_key].db.complaints.get(no)
    assert doc["status"] == "dispatched"
