"""A department's answer must reach the citizen or a person who will phone them: an
answer too long for WeChat is refused up front, a push WeChat refuses for good is on
the phone list at once, and passing it on by phone starts the survey."""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.app import hotline_key
from bot.complaints import reply_excess, reply_push
from bot.wechat_api import TEXT_LIMIT_BYTES
from models.accounts import Role
from models.complaint import Rating, Satisfaction
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, fault, make_token, pushes, wait_for_push
from tests.bot.test_department_loop import register
from tests.bot.wechat import WeChatDriver
from tests.conftest import start_server


async def quick_server(settings, mongo_uri, survey_delay: float):
    """A server whose jobs and retries run at once, with the given survey delay."""
    server = await start_server(
        replace(settings, survey_delay=survey_delay, outbox_backoff=0.05, jobs_interval=0.1),
        mongo_uri,
    )
    yield server
    await server.app[hotline_key].db.client.drop_database(settings.db_name)
    await server.close()


@pytest.fixture
async def fast(settings, mongo_uri):
    async for server in quick_server(settings, mongo_uri, survey_delay=0.2):
        yield server


async def dispatched(server, settings, openid: str) -> tuple[str, str]:
    no = await register(WeChatDriver(server, settings), openid)
    dispatcher = await make_token(server, f"d-{openid}", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                          {"department": "zjw"})  # fmt: skip
    assert status == 200
    await wait_for_push(server, openid, "已转交")  # sent: a fault injected next hits the answer
    return no, await make_token(server, f"zjw-{openid}", Role.DEPARTMENT, "zjw")


async def state_of(server, key: str, wanted: str) -> dict:
    db = server.app[hotline_key].db
    for _ in range(200):
        [item] = await db.outbox.find(dedupe_key=key)
        if item["state"] == wanted:
            return item
        await asyncio.sleep(0.05)
    raise AssertionError(f"{key} is {item['state']}, not {wanted}")


def test_the_limit_counts_bytes_of_the_whole_push_with_the_longest_department_name():
    departments = [type("D", (), {"name": "市住房城乡建设委"})(), type("D", (), {"name": "区"})()]
    overhead = len(reply_push("20260101-0000", "市住房城乡建设委", "", []).encode())
    fits = "修" * ((TEXT_LIMIT_BYTES - overhead) // 3)
    assert reply_excess(fits, [], departments) == 0
    assert reply_excess(fits + "修", [], departments) > 0
    # attachments travel in the same message
    link = [{"name": "全文", "url": "https://example.gov/" + "a" * 60}]
    assert reply_excess(fits, link, departments) > 0


async def test_an_answer_too_long_for_wechat_is_refused_by_api_and_console(fast, settings):
    no, clerk = await dispatched(fast, settings, "o_long")
    status, body = await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                             {"text": "经核查，" * 400})  # fmt: skip
    assert status == 400 and body["code"] == "reply_too_long" and body["excess_chars"] > 900
    assert "attachment" in body["error"]
    await make_staff(fast, "zjw-console", Role.DEPARTMENT, "zjw")
    browser = Browser(fast)
    try:
        await browser.login("zjw-console")
        page = await browser.post(f"/console/complaints/{no}/reply", {"text": "经核查，" * 400})
        assert page.status == 400
        assert re.search(r"答复太长.*请删减 \d+ 个字", page.text)
        # the long answer comes back in the form, not lost
        assert "经核查，" * 400 + "</textarea>" in page.text
    finally:
        await browser.close()
    [doc] = await fast.app[hotline_key].db.complaints.find({"no": no})
    assert doc["status"] == "dispatched" and not doc.get("replies")
    # the longest answer that fits is accepted and delivered whole
    overhead = len(reply_push(no, "市住房城乡建设委", "", []).encode())
    longest = max(len(d.name) for d in fast.app[hotline_key].complaints.departments)
    text = "修" * ((TEXT_LIMIT_BYTES - overhead - 3 * (longest - 8)) // 3)
    status, _ = await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk, {"text": text})
    assert status == 200
    texts = await wait_for_push(fast, "o_long", "【诉求答复】")
    assert any(text in t and len(t.encode()) <= TEXT_LIMIT_BYTES for t in texts)


async def test_a_push_wechat_refuses_as_too_long_goes_to_the_phone_list_at_once(fast):
    hotline = fast.app[hotline_key]
    # the sandbox refuses over-long texts as WeChat does
    now = datetime.now(UTC)
    await hotline.db.outbox.enqueue(dedupe_key="big", kind="text", openid="o_big",
                                    payload={"text": "长" * 700}, run_at=now, now=now)  # fmt: skip
    hotline.complaints.kick()
    item = await state_of(fast, "big", "undeliverable")
    assert item["attempts"] == 1 and item["last_errcode"] == 45002
    assert await pushes(fast, "o_big") == []
    dispatcher = await make_token(fast, "d-big", Role.DISPATCHER)
    status, body = await api(fast, "GET", "/api/v1/follow-ups", dispatcher)
    assert status == 200 and [row["key"] for row in body["follow_ups"]] == ["big"]


async def test_failed_answers_are_on_the_phone_list_and_the_call_starts_the_survey(fast, settings):
    no, clerk = await dispatched(fast, settings, "o_gone")
    hotline = fast.app[hotline_key]
    # the citizen unfollowed: WeChat refuses for good, and nobody would ever know
    await fault(fast, "custom_send", 43004)
    status, _ = await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                          {"text": "路灯已修复。"})  # fmt: skip
    assert status == 200
    await state_of(fast, f"reply:{no}:1", "failed")
    await make_staff(fast, "d-gone", Role.DISPATCHER)
    browser = Browser(fast)
    try:
        await browser.login("d-gone")
        # the case's page says the citizen did not get the answer
        page = await browser.get(f"/console/complaints/{no}")
        assert re.search(
            r"<td>答复</td><td><span class=\"flag\">微信无法送达，待电话回访", page.text
        )
        assert re.search(r"<td>派单通知</td><td>已送达</td>", page.text)
        page = await browser.get("/console/follow-ups")
        assert "路灯已修复" in page.text and "用户已取消关注" in page.text
        page = await browser.post("/console/follow-ups", {"key": f"reply:{no}:1", "note": "已告知"})
        assert page.status == 200 and "路灯已修复" not in page.text
        page = await browser.get(f"/console/complaints/{no}")
        assert "<td>答复</td><td>已电话告知</td>" in page.text
    finally:
        await browser.close()
    # the survey that waited for the answer now goes out, and the case can close
    await wait_for_push(fast, "o_gone", "满意度回访")
    for _ in range(100):
        [doc] = await hotline.db.complaints.find({"no": no})
        if doc.get("survey_sent_at"):
            break
        await asyncio.sleep(0.05)
    assert doc["survey_sent_at"] is not None


async def test_attachments_come_with_the_answer_before_the_survey_line(fast, settings):
    no, clerk = await dispatched(fast, settings, "o_attach")
    answer = {
        "text": "井盖已更换。",
        "attachments": [{"name": "照片", "url": "https://e.gov/1.jpg"}],
    }
    assert (await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk, answer))[0] == 200
    texts = await wait_for_push(fast, "o_attach", "井盖已更换")
    [push] = [t for t in texts if "井盖已更换" in t]
    assert push.index("附件：照片") < push.index("稍后会请您评价")


async def test_the_console_sends_attachment_links_with_the_answer(fast, settings):
    no, _ = await dispatched(fast, settings, "o_links")
    await make_staff(fast, "zjw-links", Role.DEPARTMENT, "zjw")
    browser = Browser(fast)
    try:
        await browser.login("zjw-links")
        answer = {"text": "井盖已更换，详见附件。", "attachments": "现场照片 ftp://x/1.jpg"}
        page = await browser.post(f"/console/complaints/{no}/reply", answer)
        assert page.status == 400 and "附件请每行填写一个：名称 网址" in html.unescape(page.text)
        assert "ftp://x/1.jpg</textarea>" in page.text  # kept for correcting
        answer["attachments"] = "现场照片 https://e.gov/1.jpg\n\nhttps://e.gov/report.pdf"
        page = await browser.post(f"/console/complaints/{no}/reply", answer)
        assert page.status == 200
    finally:
        await browser.close()
    texts = await wait_for_push(fast, "o_links", "井盖已更换")
    [push] = [t for t in texts if "井盖已更换" in t]
    assert "附件：现场照片 https://e.gov/1.jpg" in push
    assert "附件：附件2 https://e.gov/report.pdf" in push


@pytest.mark.parametrize("unit", ["a", "修", "😊"])
async def test_cutting_the_advised_number_of_characters_is_enough(fast, settings, unit):
    no, clerk = await dispatched(fast, settings, f"o_cut_{ord(unit)}")
    text = "经核查" + unit * 2100
    status, body = await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                             {"text": text})  # fmt: skip
    assert status == 400 and body["code"] == "reply_too_long"
    cut = body["excess_chars"]
    one_less = await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                         {"text": text[: -(cut - 1)]})  # fmt: skip
    assert one_less[0] == 400  # the advice is the least that works, not a guess
    shorter = text[:-cut]
    status, body = await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                             {"text": shorter})  # fmt: skip
    assert status == 200


@pytest.fixture
async def slow_survey(settings, mongo_uri):
    """A second between an answer and its survey: time to make WeChat refuse the survey."""
    async for server in quick_server(settings, mongo_uri, survey_delay=1.0):
        yield server


async def test_a_survey_passed_on_by_phone_counts_as_asked_and_an_answered_one_needs_no_call(
    slow_survey, settings
):
    fast = slow_survey
    hotline = fast.app[hotline_key]
    service = hotline.complaints
    calls = {}
    for openid in ("o_phone_survey", "o_answered"):
        no, clerk = await dispatched(fast, settings, openid)
        await api(fast, "POST", f"/api/v1/complaints/{no}/reply", clerk, {"text": "已修复。"})
        await wait_for_push(fast, openid, "已修复")
        await fault(fast, "custom_send", 45015)  # the survey finds the window closed
        calls[openid] = no
        await state_of(fast, f"survey:{no}:1", "undeliverable")
    dispatcher = await make_token(fast, "d-surveys", Role.DISPATCHER)
    # one citizen answers in chat meanwhile: their survey leaves the call list
    answered = calls["o_answered"]
    await service.rate(answered, "o_answered", Rating(Satisfaction.SATISFIED, True))
    status, body = await api(fast, "GET", "/api/v1/follow-ups", dispatcher)
    phoned = calls["o_phone_survey"]
    assert status == 200
    assert [row["key"] for row in body["follow_ups"]] == [f"survey:{phoned}:1"]
    # the other is asked on the phone: the case may now close unrated, with no reminder
    assert await service.follow_up_called(f"survey:{phoned}:1", "d-surveys", "电话回访")
    [doc] = await hotline.db.complaints.find({"no": phoned})
    assert doc["survey_sent_at"] is not None
    assert await hotline.db.outbox.find(dedupe_key=f"survey-reminder:{phoned}:1") == []
