"""The clerk's console home (/console/ for a department account) over real HTTP: a
strip of counts (待受理 · 办理中 · 临期 · 超期 · 督办) over the list, each a link to the
list it counts, and supervised (督办) cases first in the list of open cases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register

STRIP = re.compile(r'<a href="(/console/complaints\?[^"]+)"[^>]*>(\S+) <b>(\d+)</b></a>')
ROW = re.compile(r'<a href="/console/complaints/(\d{8}-\d{4})">')


async def test_the_strip_counts_what_its_links_list_and_supervised_come_first(server):
    hotline = server.app[hotline_key]
    service = hotline.complaints
    now = datetime.now(UTC)
    waiting, soon, late, reopened = [
        await register(server, f"望京西园三区{what}，请尽快处理")
        for what in ("路灯不亮", "电梯坏了", "楼道堵塞", "井盖松动")
    ]
    elsewhere = await register(server, "望京西园三区工地夜间施工噪音扰民", category="环境保护")
    await register(server, "望京西园三区的垃圾桶满了好几天没人清理")  # queued: nobody's yet
    for no in (waiting, soon, late, reopened):
        await service.dispatch(no, "zjw", "d")
    await service.dispatch(elsewhere, "sthjj", "d")
    for no in (soon, late):
        await service.accept(no, "zj1")
    changes = {
        waiting: {"due_at": now + timedelta(hours=30)},
        soon: {"due_at": now + timedelta(hours=10), "due_soon": True},
        late: {"due_at": now - timedelta(hours=3), "overdue": True},
        reopened: {"due_at": now + timedelta(hours=100), "supervised": True, "round": 2},
        elsewhere: {"supervised": True, "overdue": True},
    }
    for no, fields in changes.items():
        await hotline.db.complaints.set_fields(no, fields)
    await make_staff(server, "zj1", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj1")
        home = await browser.get("/console/")
        assert home.status == 200
        strip = {label: (unescape(href), int(n)) for href, label, n in STRIP.findall(home.text)}
        assert {label: n for label, (_, n) in strip.items()} == {
            "待受理": 2, "办理中": 2, "临期": 1, "超期": 1, "督办": 1,
        }  # fmt: skip
        # each link lists exactly the complaints it counts
        expected = {"待受理": {waiting, reopened}, "办理中": {soon, late}, "临期": {soon},
                    "超期": {late}, "督办": {reopened}}  # fmt: skip
        for label, (href, _) in strip.items():
            page = await browser.get(href)
            assert page.status == 200, href
            assert set(ROW.findall(page.text)) == expected[label], (label, href)
            assert re.search(f'class="current[^"]*" aria-current="page">{label} ', page.text)
        # the home list: the supervised case first, then by the nearest time limit
        assert list(dict.fromkeys(ROW.findall(home.text))) == [reopened, late, soon, waiting]
    finally:
        await browser.close()


async def test_a_case_warned_then_past_its_limit_is_only_overdue(server):
    """The time-limit job warns a case (临期) before its limit and flags it 超期 after;
    the warning's flag stays, but 临期 counts and lists only what is not yet past."""
    hotline = server.app[hotline_key]
    service = hotline.complaints
    now = datetime.now(UTC)
    soon, late = [await register(server, f"望京西园三区{what}，请尽快处理")
                  for what in ("路灯不亮", "电梯坏了")]  # fmt: skip
    for no in (soon, late):
        await service.dispatch(no, "zjw", "d")
        await hotline.db.complaints.set_fields(no, {"due_at": now + timedelta(hours=10)})
    await service.check_time_limits(now)  # both warned: close to their limit
    await hotline.db.complaints.set_fields(late, {"due_at": now - timedelta(hours=1)})
    await service.check_time_limits(now)  # one of them now past it
    flags = {no: (c.due_soon, c.overdue) for no in (soon, late)
             if (c := await service.get(no))}  # fmt: skip
    assert flags == {soon: (True, False), late: (True, True)}
    await make_staff(server, "zj1", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj1")
        home = await browser.get("/console/")
        strip = {label: (unescape(href), int(n)) for href, label, n in STRIP.findall(home.text)}
        assert strip["临期"][1] == 1 and strip["超期"][1] == 1
        for label, expected in (("临期", {soon}), ("超期", {late})):
            page = await browser.get(strip[label][0])
            assert set(ROW.findall(page.text)) == expected, label
    finally:
        await browser.close()
    # the API's filter is the same one
    token = await make_token(server, "zj-api", Role.DEPARTMENT, "zjw")
    status, listed = await api(server, "GET", "/api/v1/complaints?due_soon=true", token)
    assert status == 200 and [c["no"] for c in listed["complaints"]] == [soon]


async def test_dispatchers_see_no_strip(server):
    await make_staff(server, "disp", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp")
        page = await browser.get("/console/complaints?status=dispatched,accepted")
        assert page.status == 200 and 'class="summary"' not in page.text
    finally:
        await browser.close()
