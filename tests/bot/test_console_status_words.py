"""One state, one name for the clerk: a case dispatched to a department is 待受理 in its
lists, its case page and its status menu, which offers no 已登记，等待派单 (a state a
department never sees); a list URL with an invalid filter says so; the 超期与临期 page
offers open statuses only, and honours the one chosen."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import register


def menu(text: str) -> dict[str, str]:
    """The status filter's options: value -> label."""
    found = re.search(r'<select name="status"[^>]*>(.*?)</select>', text, re.S)
    assert found, "no status menu"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(1))
    return {value: html.unescape(label) for value, label in options}


async def test_a_department_reads_dispatched_as_waiting_for_acceptance(server):
    no = await register(server, "楼下餐馆油烟很大", openid="o_words")
    await server.app[hotline_key].complaints.dispatch(no, "zjw", "disp-w")
    await make_staff(server, "zj-w", Role.DEPARTMENT, "zjw")
    await make_staff(server, "disp-w", Role.DISPATCHER)
    clerk, dispatcher = Browser(server), Browser(server)
    try:
        await clerk.login("zj-w")
        await dispatcher.login("disp-w")
        listing = await clerk.get("/console/complaints")
        page = await clerk.get(f"/console/complaints/{no}")
        csv = await clerk.get("/console/complaints.csv")
        theirs = await dispatcher.get("/console/complaints")
    finally:
        await clerk.close()
        await dispatcher.close()
    row = re.search(rf"<tr[^>]*>\s*<td><input[^>]*value=\"{no}\".*?</tr>", listing.text, re.S)
    assert row and re.search(r"<td[^>]*>待受理</td>", row.group(0))
    assert "已派发承办部门" not in listing.text
    assert '<span class="status">待受理</span>' in page.text
    history = re.search(r'<table class="list history">.*?</table>', page.text, re.S)
    assert history and "待派单 → 待受理" in history.group(0) and "已派单" not in history.group(0)
    assert "待受理" in csv.text and "已派发承办部门" not in csv.text
    statuses = menu(listing.text)
    assert statuses["dispatched"] == "待受理"
    assert "submitted" not in statuses and "已登记，等待派单" not in statuses.values()
    # the centre keeps its own words (and the JSON API is unchanged)
    assert menu(theirs.text)["dispatched"] == "已派发承办部门"
    assert "submitted" in menu(theirs.text)


async def test_an_invalid_filter_is_said_rather_than_an_empty_list(server):
    await register(server, "公园健身器材损坏", openid="o_filter")
    await make_staff(server, "disp-f", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-f")
        bogus = await browser.get("/console/complaints?status=bogus")
        flag = await browser.get("/console/overdue?overdue=maybe")
        fine = await browser.get("/console/complaints?status=submitted")
    finally:
        await browser.close()
    assert bogus.status == 200
    assert "筛选条件无效：没有“bogus”这种状态" in html.unescape(bogus.text)
    assert "筛选条件无效：“仅超期”只能是 true 或 false" in html.unescape(flag.text)
    assert "筛选条件无效" not in html.unescape(fine.text)


async def test_the_overdue_page_offers_open_statuses_only_and_applies_the_choice(server):
    hotline = server.app[hotline_key]
    waiting = await register(server, "路口信号灯不亮", openid="o_late1")
    taken = await register(server, "井盖缺失", openid="o_late2")
    await hotline.complaints.dispatch(taken, "zjw", "disp-o")
    await hotline.complaints.accept(taken, "zj-o")
    # both well past their time limit
    await hotline.complaints.check_time_limits(datetime.now(UTC) + timedelta(days=30))
    await make_staff(server, "disp-o", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-o")
        everything = await browser.get("/console/overdue")
        accepted = await browser.get("/console/overdue?status=accepted")
    finally:
        await browser.close()
    statuses = menu(everything.text)
    assert "closed" not in statuses and "withdrawn" not in statuses
    assert {"submitted", "dispatched", "accepted"} <= set(statuses)
    assert waiting in everything.text and taken in everything.text
    assert taken in accepted.text and waiting not in accepted.text
