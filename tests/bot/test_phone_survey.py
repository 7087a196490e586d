"""The satisfaction survey taken on the phone (电话回访): a dispatcher records the verdict
of a citizen with no WeChat (or whose pushes failed) on the follow-up list; it is rated
as a chat rating is (counted in 满意率, 不满意 reopens), once, and never over the
citizen's own rating in chat."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import ComplaintStatus, Rating, Satisfaction
from tests.bot.console import Browser, Page, make_staff
from tests.bot.staff import api, fault, make_token, register, wait_for_push
from tests.bot.test_phone_channel import _answered


def _error(page: Page) -> str:
    found = re.search(r'<p class="error" role="alert">([^<]*)</p>', page.text)
    return found.group(1) if found else ""


def _notice(page: Page) -> str:
    found = re.search(r'<p class="notice" role="status">([^<]*)</p>', page.text)
    return found.group(1) if found else ""


async def _satisfaction_rate(browser: Browser, days: int) -> tuple[int, int]:
    """满意率 over the last `days` (each period is cached apart: one read per period)."""
    url = browser.server.make_url(f"/console/dashboard.json?days={days}")
    async with browser.http.get(url) as r:
        assert r.status == 200
        rate = (await r.json())["rates"]["satisfied"]
    return rate["numerator"], rate["denominator"]


async def _survey_due(server, no: str) -> str:
    """The answer told by phone, then the survey call brought forward to now."""
    hotline = server.app[hotline_key]
    assert await hotline.complaints.follow_up_called(f"reply:{no}:1", "disp-a", "已告知答复")
    await hotline.db.db.outbox.update_one(
        {"dedupe_key": f"survey:{no}:1"},
        {"$set": {"run_at": datetime.now(UTC) - timedelta(seconds=1)}},
    )
    return f"survey:{no}:1"


async def test_a_satisfied_phone_survey_closes_the_case_counts_and_is_taken_once(server):
    hotline = server.app[hotline_key]
    no, intake, _ = await _answered(server)
    key = await _survey_due(server, no)
    await make_staff(server, "disp-a", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-a")
        page = await browser.get("/console/follow-ups")
        [form] = re.findall(rf'<form[^>]*>(?:(?!</form>).)*value="{key}".*?</form>', page.text,
                            re.S)  # fmt: skip
        assert 'name="satisfaction"' in form and "未接通" in form and "基本满意" in form

        page = await browser.post("/console/follow-ups", {
            "key": key, "solved": "solved", "satisfaction": "满意", "note": "电梯已正常运行",
        })  # fmt: skip
        assert page.status == 200, page.text
        assert _notice(page) == f"已记录电话回访（满意，已解决），工单 {no} 已办结。"

        rated = await hotline.complaints.get(no)
        assert rated.status is ComplaintStatus.CLOSED
        assert rated.rating == Rating(Satisfaction.SATISFIED, True, "电梯已正常运行", 1,
                                      "phone", "disp-a")  # fmt: skip
        event = rated.history[-1]
        assert (event.action, event.actor) == ("close", "disp-a")
        assert event.reason == "电话回访：满意，已解决（电梯已正常运行）"
        # the only rated case of the (fresh) database: the phone rating is counted
        assert await _satisfaction_rate(browser, 7) == (1, 1)

        # the API reads it too, and the item is off the list
        status, body = await api(server, "GET", f"/api/v1/complaints/{no}", intake)
        assert status == 200 and body["rating"]["channel"] == "phone"
        assert body["rating"]["by"] == "disp-a"
        status, body = await api(server, "GET", "/api/v1/follow-ups", intake)
        assert status == 200
        assert [r for r in body["follow_ups"] if r["complaint"] == no] == []

        # a second submission (a page still open) rates nothing again
        page = await browser.post("/console/follow-ups", {
            "key": key, "solved": "unsolved", "satisfaction": "不满意",
        })  # fmt: skip
        assert page.status == 409
        assert "disp-a 已于" in _error(page) and "（满意，已解决），未重复记录" in _error(page)
        again = await hotline.complaints.get(no)
        assert again.status is ComplaintStatus.CLOSED and again.history == rated.history
        assert await _satisfaction_rate(browser, 30) == (1, 1)
    finally:
        await browser.close()


async def test_an_unsatisfied_phone_answer_reopens_the_case_for_the_department(server):
    """The answer's call asks the survey's question straight away: 不满意 reopens the case,
    round 2, supervised, back with the department, as a chat 不满意 does."""
    hotline = server.app[hotline_key]
    no, intake, clerk = await _answered(server)
    status, body = await api(server, "GET", "/api/v1/follow-ups", intake)
    [row] = [r for r in body["follow_ups"] if r["complaint"] == no]
    assert status == 200 and row["ratable"] is True
    await make_staff(server, "disp-b", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-b")
        page = await browser.get("/console/follow-ups")
        assert f'value="reply:{no}:1"' in page.text and "记录回访结果" in page.text
        page = await browser.post("/console/follow-ups", {
            "key": f"reply:{no}:1", "solved": "unsolved", "satisfaction": "不满意",
            "note": "电梯还是停着",
        })  # fmt: skip
        assert page.status == 200, page.text
        assert "已重新派回市住房城乡建设委办理（第 2 轮，督办）" in _notice(page)
    finally:
        await browser.close()

    reopened = await hotline.complaints.get(no)
    assert reopened.status is ComplaintStatus.DISPATCHED and reopened.round == 2
    assert reopened.supervised and reopened.department == "zjw"
    assert reopened.rating is not None and reopened.rating.satisfaction is Satisfaction.UNSATISFIED
    assert (reopened.rating.round, reopened.rating.by) == (1, "disp-b")
    event = reopened.history[-1]
    assert (event.action, event.actor) == ("reopen", "disp-b")
    # the department sees it again, and no survey call for the finished round follows
    status, body = await api(server, "GET", f"/api/v1/complaints/{no}", clerk)
    assert status == 200 and body["status"] == "dispatched" and body["round"] == 2
    assert await hotline.db.outbox.find(dedupe_key=f"survey:{no}:1") == []
    status, body = await api(server, "GET", "/api/v1/follow-ups", intake)
    assert [r for r in body["follow_ups"] if r["complaint"] == no] == []


async def test_two_dispatchers_recording_one_survey_give_one_rating(server):
    hotline = server.app[hotline_key]
    no, _, _ = await _answered(server)
    key = await _survey_due(server, no)
    browsers = []
    for name in ("disp-c", "disp-d"):
        await make_staff(server, name, Role.DISPATCHER)
        browser = Browser(server)
        await browser.login(name)
        await browser.get("/console/follow-ups")
        browsers.append(browser)
    try:
        pages = await asyncio.gather(*(
            b.post("/console/follow-ups", {"key": key, "satisfaction": said})
            for b, said in zip(browsers, ("基本满意", "不满意"), strict=True)
        ))  # fmt: skip
        assert sorted(p.status for p in pages) == [200, 409]
        [refused] = [p for p in pages if p.status == 409]
        assert "已于" in _error(refused) and "未重复记录" in _error(refused)
    finally:
        for browser in browsers:
            await browser.close()
    rated = await hotline.complaints.get(no)
    ratings = [e for e in rated.history if e.action in ("close", "reopen")]
    assert len(ratings) == 1 and rated.round in (1, 2)
    assert rated.rating is not None and rated.rating.by == ratings[0].actor


async def test_a_case_the_citizen_rated_in_chat_is_not_rated_again_by_phone(server):
    """A WeChat citizen whose answer WeChat would not deliver is on the list; when they
    rate in chat meanwhile, the phone rating is refused, naming the citizen's."""
    hotline = server.app[hotline_key]
    no = await register(server, "小区路灯坏了一周", openid="o_rated")
    dispatcher = await make_token(server, "disp-api", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                          {"department": "zjw"})  # fmt: skip
    assert status == 200
    await wait_for_push(server, "o_rated", "已转交")
    await fault(server, "custom_send", 45015, times=5)
    clerk = await make_token(server, "zj9", Role.DEPARTMENT, "zjw")
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                          {"text": "路灯已修好"})  # fmt: skip
    assert status == 200
    for _ in range(200):
        [item] = await hotline.db.outbox.find(dedupe_key=f"reply:{no}:1")
        if item["state"] == "undeliverable":
            break
        await asyncio.sleep(0.05)
    assert item["state"] == "undeliverable"

    await make_staff(server, "disp-e", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-e")
        page = await browser.get("/console/follow-ups")
        assert f'value="reply:{no}:1"' in page.text and 'name="satisfaction"' in page.text
        # the citizen rates in chat (the dialog's port) while the page is open
        await hotline.complaints.rate(no, "o_rated", Rating(Satisfaction.SATISFIED, True))
        page = await browser.post("/console/follow-ups", {
            "key": f"reply:{no}:1", "solved": "unsolved", "satisfaction": "不满意",
        })  # fmt: skip
        assert page.status == 409
        assert _error(page).startswith("市民已于") and "在微信中评价了这件诉求（满意，已解决）" in (
            _error(page))  # fmt: skip
    finally:
        await browser.close()
    rated = await hotline.complaints.get(no)
    assert rated.status is ComplaintStatus.CLOSED and rated.rating is not None
    assert (rated.rating.satisfaction, rated.rating.by) == (Satisfaction.SATISFIED, "")


async def test_an_unreached_survey_call_records_only_the_attempt(server):
    hotline = server.app[hotline_key]
    no, _, _ = await _answered(server)
    key = await _survey_due(server, no)
    await make_staff(server, "disp-f", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-f")
        await browser.get("/console/follow-ups")
        page = await browser.post("/console/follow-ups",
                                  {"key": key, "solved": "unreached", "satisfaction": "满意"})  # fmt: skip
        assert page.status == 400 and "未接通" in _error(page)
        page = await browser.post("/console/follow-ups", {"key": key, "solved": "unreached"})
        assert page.status == 200 and "未接通" in _notice(page) and "7 天后" in _notice(page)
    finally:
        await browser.close()
    complaint = await hotline.complaints.get(no)
    assert complaint.status is ComplaintStatus.REPLIED and complaint.rating is None
    assert complaint.survey_sent_at is not None  # closes unrated after the usual days
    [item] = await hotline.db.outbox.find(dedupe_key=key)
    assert item["state"] == "called" and item["call_note"] == "未接通"


# -- the same through the JSON API: POST /api/v1/follow-ups/{key}/rating -----------------


def _rating(key: str) -> str:
    return f"/api/v1/follow-ups/{key}/rating"


async def test_the_api_records_a_phone_rating_once_and_names_who_rated_it(server):
    hotline = server.app[hotline_key]
    no, intake, _ = await _answered(server)
    key = await _survey_due(server, no)
    status, body = await api(server, "POST", _rating(key), intake, {
        "outcome": "solved", "satisfaction": "满意", "note": "电梯已正常运行",
    })  # fmt: skip
    assert status == 200, body
    assert (body["key"], body["recorded"]) == (key, "rating")
    assert body["complaint"]["status"] == "closed"
    assert body["complaint"]["rating"] == {
        "satisfaction": "满意", "solved": True, "comment": "电梯已正常运行", "round": 1,
        "channel": "phone", "by": "phone-centre",
    }  # fmt: skip
    rated = await hotline.complaints.get(no)
    event = rated.history[-1]
    assert (event.action, event.actor) == ("close", "phone-centre")
    assert event.reason == "电话回访：满意，已解决（电梯已正常运行）"  # as from the console
    status, listed = await api(server, "GET", "/api/v1/follow-ups", intake)
    assert [r for r in listed["follow_ups"] if r["complaint"] == no] == []

    # the same submission again (a retry), or another verdict: one rating, the first
    other = await make_token(server, "disp-api-2", Role.DISPATCHER)
    for token, verdict in ((intake, "满意"), (other, "不满意")):
        status, body = await api(server, "POST", _rating(key), token,
                                 {"outcome": "unsolved", "satisfaction": verdict})  # fmt: skip
        assert status == 409, body
        assert (body["code"], body["rated_by"], body["satisfaction"]) == (
            "already_rated", "phone-centre", "满意")  # fmt: skip
        assert "phone-centre" in body["error"]
        assert datetime.fromisoformat(body["rated_at"]) == event.at
    assert (await hotline.complaints.get(no)).history == rated.history

    # the console says the same about it
    await make_staff(server, "disp-g", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-g")
        await browser.get("/console/follow-ups")
        page = await browser.post("/console/follow-ups", {"key": key, "satisfaction": "满意"})
        assert page.status == 409 and _error(page).startswith("phone-centre 已于")
    finally:
        await browser.close()


async def test_an_unsatisfied_api_rating_reopens_the_case(server):
    no, intake, _ = await _answered(server)
    status, body = await api(server, "POST", _rating(f"reply:{no}:1"), intake,
                             {"outcome": "unsolved", "satisfaction": "不满意"})  # fmt: skip
    assert status == 200, body
    assert (body["complaint"]["status"], body["complaint"]["round"]) == ("dispatched", 2)
    assert body["complaint"]["supervised"] is True


async def test_a_rating_taken_on_the_console_is_not_repeated_through_the_api(server):
    hotline = server.app[hotline_key]
    no, intake, _ = await _answered(server)
    key = await _survey_due(server, no)
    await make_staff(server, "disp-h", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-h")
        await browser.get("/console/follow-ups")
        page = await browser.post("/console/follow-ups",
                                  {"key": key, "solved": "solved", "satisfaction": "基本满意"})  # fmt: skip
        assert page.status == 200, page.text
    finally:
        await browser.close()
    status, body = await api(server, "POST", _rating(key), intake, {"satisfaction": "满意"})
    assert status == 409 and (body["code"], body["rated_by"]) == ("already_rated", "disp-h")
    assert (await hotline.complaints.get(no)).rating.satisfaction is Satisfaction.BASICALLY


# what makes no sense, as the console's form and as the API's body: refused the same
NONSENSE = [
    ({"solved": "unreached", "satisfaction": "满意"},
     {"outcome": "unreached", "satisfaction": "满意"}, "unreached_rated"),
    ({"solved": "solved"}, {"outcome": "solved"}, "rating_incomplete"),
    ({"solved": "unsolved", "note": "还是坏的"}, {"outcome": "unsolved", "note": "还是坏的"},
     "rating_incomplete"),
    ({"satisfaction": "很好"}, {"satisfaction": "很好"}, "bad_value"),
    ({"solved": "maybe"}, {"outcome": "maybe", "satisfaction": "满意"}, "bad_value"),
    ({"solved": "maybe", "satisfaction": "满意"}, {"outcome": "", "satisfaction": "满意"},
     "bad_value"),
]  # fmt: skip


async def test_bad_combinations_are_refused_alike_by_the_console_and_the_api(server):
    hotline = server.app[hotline_key]
    no, intake, clerk = await _answered(server)
    key = await _survey_due(server, no)
    await make_staff(server, "disp-i", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-i")
        await browser.get("/console/follow-ups")
        for form, payload, code in NONSENSE:
            page = await browser.post("/console/follow-ups", {"key": key, **form})
            assert page.status == 400 and _error(page), form
            status, body = await api(server, "POST", _rating(key), intake, payload)
            assert (status, body.get("code")) == (400, code), (payload, body)
            assert body["error"]
    finally:
        await browser.close()
    # the API only takes a call's result: a body saying nothing is incomplete
    for payload in ({}, {"note": "已告知答复"}):
        status, body = await api(server, "POST", _rating(key), intake, payload)
        assert (status, body.get("code")) == (400, "rating_incomplete"), payload
    for payload in ({"satisfaction": 1}, {"satisfaction": "满意", "note": None}, ["满意"]):
        status, body = await api(server, "POST", _rating(key), intake, payload)
        assert status == 400 and body["error"], payload
    complaint = await hotline.complaints.get(no)
    assert complaint.status is ComplaintStatus.REPLIED and complaint.rating is None
    [item] = await hotline.db.outbox.find(dedupe_key=key)
    assert item["state"] != "called"  # still on the list

    # who may, and what exists
    status, body = await api(server, "POST", _rating(key), clerk, {"satisfaction": "满意"})
    assert status == 403 and body["error"]
    status, body = await api(server, "POST", _rating("survey:20200101-0001:1"), intake,
                             {"satisfaction": "满意"})  # fmt: skip
    assert status == 404 and body["error"]
    complaint = await hotline.complaints.get(no)
    await hotline.complaints.push(complaint, f"late:{no}", "您的工单仍在处理中", call=True)
    status, body = await api(server, "POST", _rating(f"late:{no}"), intake,
                             {"satisfaction": "满意"})  # fmt: skip
    assert (status, body.get("code")) == (400, "not_a_survey")


async def test_an_unreached_call_through_the_api_records_only_the_attempt_once(server):
    hotline = server.app[hotline_key]
    no, intake, _ = await _answered(server)
    key = await _survey_due(server, no)
    status, body = await api(server, "POST", _rating(key), intake,
                             {"outcome": "unreached", "note": "关机"})  # fmt: skip
    assert status == 200, body
    assert (body["recorded"], body["complaint"]["status"]) == ("unreached", "replied")
    assert body["complaint"]["rating"] is None
    [item] = await hotline.db.outbox.find(dedupe_key=key)
    assert item["state"] == "called" and item["call_note"] == "未接通：关机"  # as the console
    status, body = await api(server, "POST", _rating(key), intake, {"outcome": "unreached"})
    assert status == 404 and body["error"]


async def test_two_api_ratings_at_once_give_one(server):
    hotline = server.app[hotline_key]
    no, intake, _ = await _answered(server)
    key = await _survey_due(server, no)
    other = await make_token(server, "disp-api-3", Role.DISPATCHER)
    answers = await asyncio.gather(*(
        api(server, "POST", _rating(key), token, {"satisfaction": said})
        for token, said in ((intake, "满意"), (other, "不满意"))
    ))  # fmt: skip
    assert sorted(status for status, _ in answers) == [200, 409]
    [(_, refused)] = [a for a in answers if a[0] == 409]
    [(_, done)] = [a for a in answers if a[0] == 200]
    assert refused["rated_by"] == done["complaint"]["rating"]["by"]
    rated = await hotline.complaints.get(no)
    assert len([e for e in rated.history if e.action in ("close", "reopen")]) == 1
