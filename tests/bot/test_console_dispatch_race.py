"""Two dispatchers working one queue: the second to act on a page that is no longer
true is told who did what, and the citizen hears of one department only."""

from __future__ import annotations

import html
import re

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import Rating, Satisfaction
from models.sla import Urgency
from tests.bot.console import Browser, Page, make_staff
from tests.bot.staff import api, make_token, pushes, register, wait_for_push


def seen_on(page: Page, no: str) -> str:
    """The hidden `seen` field of the dispatch form for complaint `no` on a page."""
    form = re.search(
        rf'action="/console/complaints/{no}/dispatch">\s*<input type="hidden" name="seen" '
        r'value="([^"]*)"',
        page.text,
    )
    assert form, f"no dispatch form for {no}"
    return html.unescape(form.group(1))


async def test_the_second_dispatcher_from_a_stale_queue_is_told_and_nothing_is_sent_twice(
    server,
):
    no = await register(server, "小区门口的井盖丢了，晚上很危险", openid="o_race")
    await make_staff(server, "disp-a", Role.DISPATCHER)
    await make_staff(server, "disp-b", Role.DISPATCHER)
    first, second = Browser(server), Browser(server)
    try:
        await first.login("disp-a")
        await second.login("disp-b")
        queue_a = await first.get("/console/queue")
        queue_b = await second.get("/console/queue")
        assert seen_on(queue_a, no) == seen_on(queue_b, no) == "submitted:"
        page = await first.post(
            f"/console/complaints/{no}/dispatch",
            {"department": "swj", "seen": seen_on(queue_a, no)},
        )
        assert page.status == 200
        page = await second.post(
            f"/console/complaints/{no}/dispatch",
            {"department": "zjw", "seen": seen_on(queue_b, no)},
        )
        assert page.status == 409
        assert "刚刚已由 disp-a 派至市商务局" in html.unescape(page.text)
        # the refusal shows the complaint as it is now, with a fresh form to re-dispatch
        assert seen_on(page, no) == "dispatched:swj"
        page = await second.post(
            f"/console/complaints/{no}/dispatch", {"department": "zjw", "seen": seen_on(page, no)}
        )
        assert page.status == 200
    finally:
        await first.close()
        await second.close()
    texts = await wait_for_push(server, "o_race", "已转交", count=2)
    assert [t for t in texts if "已转交" in t] == [
        f"您的诉求 {no} 已转交市商务局办理，请耐心等待答复。",
        f"您的诉求 {no} 已转交市住房城乡建设委办理，请耐心等待答复。",
    ]
    assert len(await pushes(server, "o_race")) == 2
    hotline = server.app[hotline_key]
    [doc] = await hotline.db.complaints.find({"no": no})
    dispatches = [e for e in doc["history"] if e["action"] == "dispatch"]
    assert [(e["actor"], e["reason"]) for e in dispatches] == [
        ("disp-a", "派至市商务局"),
        ("disp-b", "派至市住房城乡建设委"),
    ]


async def test_dispatching_to_the_same_department_again_changes_nothing(server):
    no = await register(server, "楼道灯坏了两个星期没人修", openid="o_twice")
    dispatcher = await make_token(server, "disp-twice", Role.DISPATCHER)
    for _ in range(2):
        status, body = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch",
                                 dispatcher, {"department": "zjw"})  # fmt: skip
        assert status == 200 and body["status"] == "dispatched"
    hotline = server.app[hotline_key]
    [doc] = await hotline.db.complaints.find({"no": no})
    assert sum(e["action"] == "dispatch" for e in doc["history"]) == 1
    texts = await wait_for_push(server, "o_twice", "已转交")
    assert sum("已转交" in t for t in texts) == 1


async def test_a_stale_seen_value_through_the_api_is_a_409(server):
    no = await register(server, "公交站台顶棚漏雨", openid="o_api_race")
    dispatcher = await make_token(server, "disp-api", Role.DISPATCHER)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                          {"department": "jtw", "seen": "submitted:"})  # fmt: skip
    assert status == 200
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                             {"department": "zjw", "seen": "submitted:"})  # fmt: skip
    assert status == 409 and "changed meanwhile" in body["error"]
    assert body["code"] == "stale_dispatch"
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", dispatcher,
                             {"department": "zjw", "seen": 3})  # fmt: skip
    assert status == 400


async def test_a_page_past_the_end_shows_the_last_page(server):
    no = await register(server, "小区垃圾桶满了三天没人清", openid="o_pages")
    await make_staff(server, "disp-pages", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-pages")
        for page_number in ("999", "99999999999999999999"):
            page = await browser.get(f"/console/complaints?page={page_number}")
            assert page.status == 200 and no in page.text and "第 1/1 页" in page.text
    finally:
        await browser.close()


async def test_an_earlier_rounds_rating_is_labelled_with_its_round(server):
    service = server.app[hotline_key].complaints
    no = await register(server, "楼下餐馆夜里十二点还在营业很吵", openid="o_round")
    await service.dispatch(no, "sthjj", "disp")
    await service.reply(no, "已责令整改。", "sthjj-1", [])
    await service.rate(no, "o_round", Rating(Satisfaction.UNSATISFIED, False, "还是很吵"))
    await make_staff(server, "disp-round", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-round")
        page = await browser.get(f"/console/complaints/{no}")
    finally:
        await browser.close()
    assert "（第 2 轮）" in page.text  # the case is in its second round
    assert "<h2>市民评价（第 1 轮）</h2>" in page.text and "还是很吵" in page.text


async def test_a_departments_home_lists_its_work_nearest_limit_first_and_says_so(server):
    service = server.app[hotline_key].complaints
    week = await register(server, "小区绿化带杂草很多没人修剪", openid="o_week")
    urgent = await register(server, "小区井盖丢了，有孩子差点掉下去", openid="o_urgent")
    answered = await register(server, "楼道声控灯不亮了", openid="o_done")
    for no in (week, urgent, answered):
        await service.dispatch(no, "zjw", "disp")
    await service.set_urgency(urgent, Urgency.DANGER, "disp")
    await service.reply(answered, "已修好。", "zjw-1", [])
    await make_staff(server, "zjw-home", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        page = await browser.login("zjw-home")
    finally:
        await browser.close()
    assert "status=dispatched,accepted" in page.url
    assert "待办诉求（按办理时限排序）" in page.text
    assert (
        '<option value="dispatched,accepted" selected>待办（待受理与办理中）</option>' in page.text
    )
    listed = re.findall(r'href="/console/complaints/(\d{8}-\d{4})"', page.text)
    assert [no for no in dict.fromkeys(listed)] == [urgent, week]  # the answered one is not in hand


async def test_bulk_dispatch_from_a_stale_list_is_refused_per_ticket_and_names_the_dispatcher(
    server,
):
    no = await register(server, "小区门口的共享单车堆成山了", openid="o_bulk_race")
    await make_staff(server, "disp-b1", Role.DISPATCHER)
    await make_staff(server, "disp-b2", Role.DISPATCHER)
    first, second = Browser(server), Browser(server)
    try:
        await first.login("disp-b1")
        await second.login("disp-b2")
        seen = []
        for browser in (first, second):
            page = await browser.get("/console/complaints?status=submitted")
            [value] = re.findall(rf'name="seen:{no}" value="([^"]*)"', page.text)
            seen.append(html.unescape(value))
        assert seen == ["submitted:", "submitted:"]
        page = await first.post("/console/bulk", {"no": no, "action": "dispatch",
                                                  "department": "jtw", f"seen:{no}": seen[0]})  # fmt: skip
        assert page.status == 200
        # a department accepts before the second dispatcher acts: still disp-b1's dispatch
        await server.app[hotline_key].complaints.accept(no, "jtw-clerk")
        page = await second.post("/console/bulk", {"no": no, "action": "dispatch",
                                                   "department": "zjw", f"seen:{no}": seen[1]})  # fmt: skip
        assert page.status == 207  # some refused
        assert "刚刚已由 disp-b1 派至市交通委" in html.unescape(page.text)
    finally:
        await first.close()
        await second.close()
    texts = await wait_for_push(server, "o_bulk_race", "已转交")
    assert sum("已转交" in t for t in texts) == 1
