"""Time limits and survey timing, driven through the service on the real store."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from bot.app import hotline_key
from models.accounts import Role
from models.beijing import short_time
from models.complaint import (
    Complaint,
    ComplaintStatus,
    DomainError,
    Location,
    Rating,
    Satisfaction,
)
from models.sla import Urgency
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, pushes, wait_for_push
from tests.bot.test_console_clerk_home import STRIP
from tests.bot.wechat import WeChatDriver
from tests.conftest import start_server

# a list row's number and its 标记 cell
FLAGGED_ROW = re.compile(
    r'<a href="/console/complaints/(\d{8}-\d{4})">.*?<td[^>]*>(?:<span class="flag">([^<]*)</span>)?</td>\s*</tr>',
    re.S,
)


async def registered(server, settings, openid: str, text: str) -> Complaint:
    driver = WeChatDriver(server, settings)
    await driver.say(openid, text)
    for answer in ("1", "13800001111", "没有", "确认"):
        await driver.say(openid, answer)
    [doc] = await server.app[hotline_key].db.complaints.list_for(openid, 1)
    return Complaint.from_dict(doc)


async def test_urgent_utility_outage_is_due_in_24_hours(server, settings):
    complaint = await registered(
        server, settings, "o_urgent", "朝阳区望京西园三区12号楼停水两天了，没人来修"
    )
    assert complaint.urgency == "utility"
    assert complaint.due_at - complaint.created_at == timedelta(hours=24)


async def test_overdue_is_flagged_listed_and_apologised_for_once(server, settings):
    hotline = server.app[hotline_key]
    complaint = await registered(
        server, settings, "o_late", "朝阳区望京西园三区12号楼的路灯坏了一个月"
    )
    dispatcher = await make_token(server, "d-late", Role.DISPATCHER)
    await api(server, "POST", f"/api/v1/complaints/{complaint.no}/dispatch", dispatcher,
              {"department": "zjw"})  # fmt: skip
    await hotline.db.complaints.set_fields(
        complaint.no, {"due_at": datetime.now(UTC) - timedelta(hours=1)}
    )
    for _ in range(3):
        await hotline.sweep()
    status, body = await api(server, "GET", "/api/v1/complaints?overdue=true", dispatcher)
    assert status == 200
    assert [c["no"] for c in body["complaints"]] == [complaint.no]
    texts = await wait_for_push(server, "o_late", "超过答复期限")
    assert sum("超过答复期限" in t for t in texts) == 1


async def test_dispatcher_extends_a_complex_case(server, settings):
    complaint = await registered(
        server, settings, "o_complex", "丰台区方庄芳城园一区的违建拆了一半就停工了"
    )
    dispatcher = await make_token(server, "d-complex", Role.DISPATCHER)
    status, body = await api(server, "POST", f"/api/v1/complaints/{complaint.no}/urgency",
                             dispatcher, {"urgency": "complex"})  # fmt: skip
    assert status == 200
    due = datetime.fromisoformat(body["due_at"])
    assert due - complaint.created_at == timedelta(days=15)
    assert body["history"][-1]["action"] == "adjust"
    bad = await api(server, "POST", f"/api/v1/complaints/{complaint.no}/urgency", dispatcher,
                    {"urgency": "whenever"})  # fmt: skip
    assert bad[0] == 400


async def test_unanswered_survey_closes_after_seven_days(server, settings):
    hotline = server.app[hotline_key]
    complaint = await registered(
        server, settings, "o_silent", "海淀区中关村大街27号楼下饭馆油烟太大"
    )
    service = hotline.complaints
    await service.dispatch(complaint.no, "sthjj", "dispatcher")
    await service.reply(complaint.no, "已责令整改。", "sthjj-1")
    await hotline.db.complaints.set_fields(
        complaint.no, {"survey_sent_at": datetime.now(UTC) - timedelta(days=8)}
    )
    await hotline.sweep()
    closed = await service.get(complaint.no)
    assert closed.status is ComplaintStatus.CLOSED and closed.rating is None
    assert closed.history[-1].reason == "未评价，自动办结"


async def test_confident_model_suggestion_dispatches_at_once(server, settings):
    """Above the confidence threshold the dispatcher queue is skipped."""
    hotline = server.app[hotline_key]
    complaint = await registered(server, settings, "o_auto", "西城区广安门内大街10号的电梯坏了")
    assert complaint.status is ComplaintStatus.SUBMITTED  # keyword guess: no confidence
    confident = replace(complaint, category_confidence=0.93)
    await hotline.db.complaints.set_fields(complaint.no, {"category_confidence": 0.93})
    dispatched = await hotline.complaints.auto_dispatch(confident)
    assert dispatched.status is ComplaintStatus.DISPATCHED
    assert dispatched.department == "zjw"
    assert "自动派单" in dispatched.history[-1].reason


async def test_dispatchers_are_warned_before_and_after_the_limit(server, settings):
    hotline = server.app[hotline_key]
    complaint = await registered(
        server, settings, "o_soon", "朝阳区望京西园三区12号楼的电梯坏了困过人"
    )
    dispatcher = await make_token(server, "d-soon", Role.DISPATCHER)
    # 7-day limit with 20 hours left: inside the one-day warning window
    await hotline.db.complaints.set_fields(
        complaint.no, {"due_at": datetime.now(UTC) + timedelta(hours=20)}
    )
    await hotline.sweep()
    await hotline.sweep()
    status, body = await api(server, "GET", "/api/v1/complaints?due_soon=true", dispatcher)
    assert status == 200 and [c["no"] for c in body["complaints"]] == [complaint.no]
    status, body = await api(server, "GET", "/api/v1/notifications", dispatcher)
    assert [(n["kind"], n["no"]) for n in body["notifications"]] == [("due_soon", complaint.no)]

    await hotline.db.complaints.set_fields(
        complaint.no, {"due_at": datetime.now(UTC) - timedelta(minutes=5)}
    )
    await hotline.sweep()
    status, body = await api(server, "GET", "/api/v1/notifications", dispatcher)
    assert sorted(n["kind"] for n in body["notifications"]) == ["due_soon", "overdue"]
    department = await make_token(server, "dept-soon", Role.DEPARTMENT, "zjw")
    # a department reads only the warnings about complaints it holds (this one it does not)
    status, body = await api(server, "GET", "/api/v1/notifications", department)
    assert status == 200 and complaint.no not in {n["no"] for n in body["notifications"]}


async def test_plenty_of_time_raises_no_warning(server, settings):
    hotline = server.app[hotline_key]
    await registered(server, settings, "o_calm", "朝阳区望京西园三区12号楼的路灯坏了")
    await hotline.sweep()
    assert await hotline.complaints.notifications() == []


async def _dispatched(hotline, openid: str, text: str) -> Complaint:
    complaint = await hotline.complaints.register(
        source_key=f"t:{openid}", openid=openid, description=text,
        location=Location("望京西园三区12号楼", "朝阳区"), category="城乡建设",
    )  # fmt: skip
    if complaint.status is ComplaintStatus.SUBMITTED:
        complaint = await hotline.complaints.dispatch(complaint.no, "zjw", "d")
    return complaint


async def test_a_reopened_round_gets_its_own_time_limit_and_warnings(server, settings):
    hotline = server.app[hotline_key]
    complaint = await _dispatched(hotline, "o_round", "路灯坏了一个月")
    no = complaint.no
    await hotline.db.complaints.set_fields(no, {"due_at": datetime.now(UTC) - timedelta(hours=1)})
    await hotline.sweep()
    assert (await hotline.complaints.get(no)).overdue
    await hotline.complaints.reply(no, "已修好", "zjw-1")
    before_reopen = datetime.now(UTC)
    reopened = await hotline.complaints.rate(
        no, "o_round", Rating(Satisfaction.UNSATISFIED, False, "还是不亮", 1)
    )
    assert reopened.round == 2 and reopened.status is ComplaintStatus.DISPATCHED
    assert not reopened.overdue and not reopened.due_soon
    assert reopened.round_started_at >= before_reopen
    assert reopened.due_at - reopened.round_started_at == timedelta(days=7)
    # the round's limit counts from the reopening, not from registration a week ago
    faster = await hotline.complaints.set_urgency(no, Urgency.UTILITY, "d")
    assert faster.due_at - faster.round_started_at == timedelta(hours=24)
    assert not faster.overdue
    assert faster.history[-1].reason == "紧急程度调整为水电气热，24 小时内办理"
    # and round 2 is watched again: past its limit it is flagged and the citizen told
    await hotline.db.complaints.set_fields(no, {"due_at": datetime.now(UTC) - timedelta(hours=1)})
    await hotline.sweep()
    assert (await hotline.complaints.get(no)).overdue
    texts = await wait_for_push(server, "o_round", "超过答复期限", count=2)
    assert sum("超过答复期限" in t for t in texts) == 2  # once per round


async def test_changing_urgency_re_judges_the_near_limit_warning_and_ignores_no_ops(
    server, settings
):
    hotline = server.app[hotline_key]
    complaint = await _dispatched(hotline, "o_relax", "楼道里的电线掉下来了")
    assert complaint.urgency is Urgency.DANGER
    await hotline.db.complaints.set_fields(
        complaint.no, {"due_at": datetime.now(UTC) + timedelta(minutes=20)}
    )
    await hotline.sweep()
    assert (await hotline.complaints.get(complaint.no)).due_soon
    relaxed = await hotline.complaints.set_urgency(complaint.no, Urgency.NORMAL, "d")
    assert not relaxed.due_soon and relaxed.due_at - relaxed.created_at == timedelta(days=7)
    await hotline.sweep()
    assert not (await hotline.complaints.get(complaint.no)).due_soon
    events = len(relaxed.history)
    again = await hotline.complaints.set_urgency(complaint.no, Urgency.NORMAL, "d")
    assert len(again.history) == events  # the same urgency again changes nothing
    same = await hotline.complaints.recategorise(complaint.no, "城乡建设", "d")
    assert len(same.history) == events
    assert await hotline.db.db.category_corrections.count_documents({"_id": complaint.no}) == 0


async def test_solved_is_added_to_the_rating_once_and_only_by_its_citizen(server, settings):
    hotline = server.app[hotline_key]
    complaint = await _dispatched(hotline, "o_solved", "路灯坏了一个月")
    await hotline.complaints.reply(complaint.no, "已修好", "zjw-1")
    await hotline.complaints.rate(complaint.no, "o_solved", Rating(Satisfaction.SATISFIED))
    with pytest.raises(DomainError):
        await hotline.complaints.record_solved(complaint.no, "o_someone_else", 1, False)
    with pytest.raises(DomainError):
        await hotline.complaints.record_solved(complaint.no, "o_solved", 2, False)
    rated = await hotline.complaints.record_solved(complaint.no, "o_solved", 1, True)
    assert rated.rating.solved is True and rated.status is ComplaintStatus.CLOSED
    late = await hotline.complaints.record_solved(complaint.no, "o_solved", 1, False)
    assert late.rating.solved is True  # the first answer stands


async def test_the_reason_said_with_not_solved_is_kept_on_the_rating(server, settings):
    hotline = server.app[hotline_key]
    complaint = await registered(server, settings, "o_reason", "朝阳区望京西园三区12号楼路灯坏了")
    if complaint.status is ComplaintStatus.SUBMITTED:
        await hotline.complaints.dispatch(complaint.no, "zjw", "d")
    await hotline.complaints.reply(complaint.no, "已修好", "zjw-1")
    driver = WeChatDriver(server, settings)
    await driver.say("o_reason", "1")
    await driver.say("o_reason", "没有，还是不亮")
    rating = (await hotline.complaints.get(complaint.no)).rating
    assert rating.solved is False and rating.comment == "还是不亮"


async def test_an_extension_after_the_limit_passed_keeps_the_answer_late(server, settings):
    hotline = server.app[hotline_key]
    complaint = await registered(
        server, settings, "o_extend", "丰台区方庄芳城园一区5号楼井盖丢了，很危险"
    )
    service = hotline.complaints
    await service.dispatch(complaint.no, "zjw", "dispatcher")
    # the limit passed an hour ago, unanswered; then the dispatcher extends it
    limit = complaint.due_at - complaint.created_at
    await shift_back(server, complaint.no, limit / timedelta(hours=1) + 1)
    passed = (await service.get(complaint.no)).due_at
    extended = await service.set_urgency(complaint.no, Urgency.COMPLEX, "dispatcher")
    assert extended.due_at > datetime.now(UTC)
    assert abs(extended.missed_due_at - passed) < timedelta(seconds=1)
    # the citizen is told the new limit
    await wait_for_push(server, "o_extend", "答复期限调整为")
    await service.reply(complaint.no, "井盖已补上。", "zjw-1")
    from bot.statistics import dashboard

    docs = await hotline.db.complaints.find({"no": complaint.no})
    now = datetime.now(UTC)
    figures = dashboard(docs, now - timedelta(days=1), now + timedelta(minutes=1), {})
    response = figures.to_dict()["rates"]["response"]
    assert (response["numerator"], response["denominator"]) == (0, 1)
    # extending in time is a fair new limit: a second complaint answered within it counts
    timely = await registered(server, settings, "o_extend2", "丰台区方庄芳城园一区的违建停工了")
    await service.dispatch(timely.no, "zjw", "dispatcher")
    await service.set_urgency(timely.no, Urgency.COMPLEX, "dispatcher")
    await service.reply(timely.no, "已督促施工方复工。", "zjw-1")
    docs = await hotline.db.complaints.find({"no": timely.no})
    figures = dashboard(docs, now - timedelta(days=1), now + timedelta(minutes=1), {})
    response = figures.to_dict()["rates"]["response"]
    assert (response["numerator"], response["denominator"]) == (1, 1)


async def shift_back(server, no: str, hours: float) -> None:
    """As if the complaint and everything in its history happened `hours` earlier."""
    db = server.app[hotline_key].db
    doc = await db.complaints.get(no)
    back = timedelta(hours=hours)
    history = [{**event, "at": event["at"] - back} for event in doc["history"]]
    await db.complaints.set_fields(no, {"created_at": doc["created_at"] - back,
                                        "due_at": doc["due_at"] - back, "history": history})  # fmt: skip


def response_rate(docs) -> tuple[int, int]:
    from bot.statistics import dashboard

    now = datetime.now(UTC)
    figures = dashboard(docs, now - timedelta(days=3), now + timedelta(minutes=1), {})
    response = figures.to_dict()["rates"]["response"]
    return response["numerator"], response["denominator"]


async def test_a_late_response_stays_late_when_the_limit_is_then_moved_past_it(server, settings):
    hotline = server.app[hotline_key]
    service = hotline.complaints
    complaint = await registered(server, settings, "o_moved", "朝阳区望京西园三区12号楼路灯坏了")
    await service.dispatch(complaint.no, "zjw", "dispatcher")
    await service.set_urgency(complaint.no, Urgency.DANGER, "dispatcher")  # 2 hours
    await shift_back(server, complaint.no, 27)
    await service.accept(complaint.no, "zjw-1")  # 25 hours late
    moved = await service.set_urgency(complaint.no, Urgency.UTILITY, "dispatcher")  # 24 h
    assert moved.missed_due_at is not None and moved.due_at < datetime.now(UTC)
    # a new limit already past is no news for the citizen
    texts = [t for t in await pushes(server, "o_moved") if "答复期限调整为" in t]
    assert texts == []
    assert response_rate(await hotline.db.complaints.find({"no": complaint.no})) == (0, 1)


async def test_a_corrected_urgency_misclick_is_not_a_missed_limit(server, settings):
    hotline = server.app[hotline_key]
    service = hotline.complaints
    complaint = await registered(server, settings, "o_misclick", "丰台区方庄芳城园一区违建停工了")
    await service.dispatch(complaint.no, "zjw", "dispatcher")
    await service.set_urgency(complaint.no, Urgency.COMPLEX, "dispatcher")
    await shift_back(server, complaint.no, 5)
    await service.set_urgency(complaint.no, Urgency.DANGER, "dispatcher")  # oops: 2 h, past
    fixed = await service.set_urgency(complaint.no, Urgency.COMPLEX, "dispatcher")
    assert fixed.missed_due_at is None
    # the citizen hears the limit that stands again, whatever came in between (the
    # time-limit job may have apologised for the mistaken 2 hours meanwhile)
    texts = await wait_for_push(server, "o_misclick", "答复期限调整为", count=2)
    extensions = [t for t in texts if "答复期限调整为" in t]
    assert len(extensions) == 2 and any(short_time(fixed.due_at) in t for t in extensions)
    await service.accept(complaint.no, "zjw-1")
    assert response_rate(await hotline.db.complaints.find({"no": complaint.no})) == (1, 1)


async def test_a_past_due_case_is_flagged_however_many_are_merely_due_soon(server, settings):
    """More than one batch of cases near their limit must not hide one past it."""
    hotline = server.app[hotline_key]
    late = await _dispatched(hotline, "o_buried", "路灯坏了一个月")
    template = await _dispatched(hotline, "o_crowd", "小区门口的路灯坏了")
    now = datetime.now(UTC)
    doc = await hotline.db.complaints.get(template.no)
    doc.pop("_id", None)
    crowd = [
        {**doc, "no": f"{template.no}-{i:03d}", "source_key": f"t:crowd:{i}",
         "due_at": now + timedelta(hours=12) + timedelta(seconds=i)}
        for i in range(250)
    ]  # fmt: skip
    await hotline.db.db.complaints.insert_many(crowd)
    await hotline.db.complaints.set_fields(late.no, {"due_at": now - timedelta(minutes=10)})

    await hotline.sweep()

    flagged = await hotline.complaints.get(late.no)
    assert flagged.overdue
    kinds = {(n["kind"], n["no"]) for n in await hotline.complaints.notifications(limit=1000)}
    assert ("overdue", late.no) in kinds
    await wait_for_push(server, "o_buried", "超过答复期限")
    # and every case near its limit was warned, in batches, once
    warned = await hotline.db.complaints.count({"due_soon": True})
    assert warned == len(crowd)
    assert sum(kind == "due_soon" for kind, _ in kinds) == len(crowd)
    assert await hotline.complaints.check_time_limits(datetime.now(UTC)) == 0


@pytest.fixture
async def unswept(settings, mongo_uri):
    """The app with its periodic sweep out of the way: the test runs it when it means to."""
    test_server = await start_server(replace(settings, jobs_interval=3600), mongo_uri)
    yield test_server
    await test_server.app[hotline_key].db.client.drop_database(settings.db_name)
    await test_server.close()


async def test_a_case_past_its_limit_reads_as_overdue_before_the_sweep_flags_it(unswept):
    """Warned 临期, then its limit passes: every list, count and filter says 超期 at once;
    the sweep, when it comes, still records the escalation and apologises once."""
    server, hotline = unswept, unswept.app[hotline_key]
    complaint = await _dispatched(hotline, "o_past", "望京西园三区12号楼的路灯坏了一个月")
    no, now = complaint.no, datetime.now(UTC)
    await hotline.complaints.accept(no, "zj1")
    await hotline.db.complaints.set_fields(no, {"due_at": now + timedelta(hours=10)})
    await hotline.complaints.check_time_limits(now)
    await hotline.db.complaints.set_fields(no, {"due_at": now - timedelta(minutes=1)})
    stored = await hotline.complaints.get(no)
    assert (stored.due_soon, stored.overdue) == (True, False)  # no sweep since

    dispatcher = await make_token(server, "d-past", Role.DISPATCHER)
    status, body = await api(server, "GET", f"/api/v1/complaints/{no}", dispatcher)
    assert status == 200 and (body["overdue"], body["due_soon"]) == (True, False)
    for flag, listed in (("overdue", [no]), ("due_soon", [])):
        status, body = await api(server, "GET", f"/api/v1/complaints?{flag}=true", dispatcher)
        assert status == 200 and [c["no"] for c in body["complaints"]] == listed, flag
        assert body["total"] == len(listed), flag

    await make_staff(server, "zj1", Role.DEPARTMENT, "zjw")
    await make_staff(server, "d-past-console", Role.DISPATCHER)
    clerk, dispatcher_browser = Browser(server), Browser(server)
    try:
        await clerk.login("zj1")
        home = await clerk.get("/console/")
        strip = {label: (unescape(href), int(n)) for href, label, n in STRIP.findall(home.text)}
        assert (strip["临期"][1], strip["超期"][1]) == (0, 1)
        page = await clerk.get(strip["超期"][0])
        assert [(n, flag) for n, flag in FLAGGED_ROW.findall(page.text)] == [(no, "超期")]
        page = await clerk.get(strip["临期"][0])
        assert FLAGGED_ROW.findall(page.text) == []
        await dispatcher_browser.login("d-past-console")
        page = await dispatcher_browser.get("/console/overdue?overdue=true")
        assert [(n, flag) for n, flag in FLAGGED_ROW.findall(page.text)] == [(no, "超期")]
        page = await dispatcher_browser.get(f"/console/complaints/{no}")
        assert (
            '<span class="flag">超期</span>' in page.text and 'class="flag soon"' not in page.text
        )
    finally:
        await clerk.close()
        await dispatcher_browser.close()

    # the sweep still escalates: the flag, the dispatchers' notification, one apology
    assert await hotline.complaints.notifications(kind="overdue") == []
    await hotline.complaints.check_time_limits(datetime.now(UTC))
    await hotline.complaints.check_time_limits(datetime.now(UTC))
    assert (await hotline.complaints.get(no)).overdue
    assert [n["no"] for n in await hotline.complaints.notifications(kind="overdue")] == [no]
    [apology] = await hotline.db.outbox.find(dedupe_key=f"overdue:{no}:1")
    assert "超过答复期限" in apology["payload"]["text"]
