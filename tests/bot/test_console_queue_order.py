"""The dispatch queue puts emergencies first and says how long each case has left; the
overdue page puts the most pressing time limit first."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from bot.console.complaints import PAGE_SIZE, time_left
from models.accounts import Role
from models.sla import Urgency
from tests.bot.console import Browser, make_staff
from tests.bot.staff import register


def numbers(text: str) -> list[str]:
    """Ticket numbers in the order the page's rows list them (one link per row)."""
    return list(dict.fromkeys(re.findall(r'<td><a href="/console/complaints/([\d-]+)">', text)))


def row_of(text: str, no: str) -> str:
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{no}(?:(?!</tr>).)*</tr>", text, re.S)
    assert row, f"no row for {no}"
    return html.unescape(row.group(0))


def test_time_left_reads_in_whole_units():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert time_left(now + timedelta(hours=5, minutes=59), now) == "剩余 5 小时"
    assert time_left(now + timedelta(days=6, hours=23), now) == "剩余 6 天"
    assert time_left(now + timedelta(minutes=20), now) == "剩余 20 分钟"
    assert time_left((now - timedelta(days=2, hours=3)).isoformat(), now) == "已超期 2 天"
    assert time_left(now - timedelta(hours=30), now) == "已超期 30 小时"


async def test_a_new_emergency_tops_a_long_queue_with_its_urgency_and_time_left(server):
    service = server.app[hotline_key].complaints
    routine = [
        await register(server, f"第{i}号小区楼道灯坏了很久没人修", openid=f"o_q{i}")
        for i in range(PAGE_SIZE + 1)
    ]
    utility = await register(server, "整栋楼停水一天了，没人通知", openid="o_qu")
    await service.set_urgency(utility, Urgency.UTILITY, "disp-q")
    danger = await register(server, "楼道里有很浓的味道，请马上派人来看", openid="o_qd")
    await service.set_urgency(danger, Urgency.DANGER, "disp-q")
    await make_staff(server, "disp-q", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-q")
        first = await browser.get("/console/queue")
        second = await browser.get("/console/queue?page=2")
    finally:
        await browser.close()
    listed = numbers(first.text)
    # registered last, yet first: danger, then the utility case, then the routine ones
    # by their time limit (the oldest registered is due first)
    assert listed[:3] == [danger, utility, routine[0]]
    assert len(listed) == PAGE_SIZE
    # paging cuts across the groups without losing or repeating a case
    assert numbers(second.text) == routine[PAGE_SIZE - 2 :]
    row = row_of(first.text, danger)
    assert "紧急险情（2 小时）" in row and re.search(r"剩余 (1 小时|\d+ 分钟)", row)
    assert "剩余 6 天" in row_of(first.text, routine[0])
    assert "水电气热（24 小时）" in row_of(first.text, utility)
    # the one-click dispatch still carries what the dispatcher saw
    assert 'name="seen" value="submitted:"' in row_of(first.text, danger)


async def test_the_overdue_page_lists_the_nearest_time_limit_first(server):
    hotline = server.app[hotline_key]
    now = datetime.now(UTC)
    older = await register(server, "路边的垃圾桶满了好几天没人清", openid="o_o1")
    newer = await register(server, "燃气管道破了在呲气", openid="o_o2")
    # registered first but due later, and registered later but due in 20 minutes
    await hotline.db.complaints.set_fields(
        older, {"due_soon": True, "due_at": now + timedelta(hours=20)}
    )
    await hotline.db.complaints.set_fields(
        newer, {"due_soon": True, "due_at": now + timedelta(minutes=20)}
    )
    late = await register(server, "小区的路灯坏了两周", openid="o_o3")
    await hotline.db.complaints.set_fields(
        late, {"overdue": True, "due_at": now - timedelta(days=2, hours=1)}
    )
    await make_staff(server, "disp-o", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-o")
        page = await browser.get("/console/overdue")
    finally:
        await browser.close()
    assert numbers(page.text) == [late, newer, older]
    assert "已超期 2 天" in row_of(page.text, late)
    assert re.search(r"剩余 1\d 分钟", row_of(page.text, newer))
