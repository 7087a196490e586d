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
from tests.bot.staff import register

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


async def test_dispatchers_see_no_strip(server):
    await make_staff(server, "disp", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp")
        page = await browser.get("/console/complaints?status=dispatched,accepted")
        assert page.status == 200 and 'class="summary"' not in page.text
    finally:
        await browser.close()
