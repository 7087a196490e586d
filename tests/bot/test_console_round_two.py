"""A reopened case (round 2) shows the citizen's reason and this round's supplements
right under 诉求内容, not only in the history; the lists mark it 第2轮."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import Action, Rating, Satisfaction
from tests.bot.console import Browser, make_staff
from tests.bot.staff import register

REASON = "灯还是不亮，根本没人来修"
LATER = "灯杆上的灯泡换了但是电路没修好，晚上七点以后还是黑的，电话13812345678"
EARLIER = "第一轮时补充的：路口东侧第三根灯杆"


async def test_round_two_shows_the_reason_and_its_supplements_under_the_description(server):
    hotline = server.app[hotline_key]
    service = hotline.complaints
    no = await register(server, "小区门口路灯不亮", openid="o_round2")

    async def supplement(text: str) -> None:
        now = datetime.now(UTC)
        await service.change(no, lambda c: c.apply(Action.SUPPLEMENT, "citizen", now, text))

    await service.dispatch(no, "zjw", "disp-r2")
    await supplement(EARLIER)
    await service.accept(no, "zj-r2")
    await service.reply(no, "已安排维修。", "zj-r2")
    await service.rate(no, "o_round2", Rating(Satisfaction.UNSATISFIED, False, REASON))
    await supplement(LATER)
    await make_staff(server, "zj-r2", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj-r2")
        page = await browser.get(f"/console/complaints/{no}")
        listing = await browser.get("/console/complaints")
    finally:
        await browser.close()
    text = html.unescape(page.text)
    box = re.search(r'<div class="round-box">(.*?)</div>', text, re.S)
    assert box, "no round-2 box"
    assert "第 2 轮 · 市民不满意的原因与补充" in box.group(1)
    assert REASON in box.group(1)
    # this round's supplement, masked for a department as everywhere else
    assert "灯杆上的灯泡换了但是电路没修好" in box.group(1)
    assert "13812345678" not in box.group(1) and "138****5678" in box.group(1)
    assert EARLIER not in box.group(1)  # last round's supplement stays in the history
    # right under 诉求内容, before photos, answers and the history
    assert text.index("<h2>诉求内容</h2>") < text.index('<div class="round-box">')
    assert text.index('<div class="round-box">') < text.index("<h2>答复</h2>")
    row = re.search(rf"<tr[^>]*>\s*<td><input[^>]*value=\"{no}\".*?</tr>", listing.text, re.S)
    assert row and "第2轮" in row.group(0)


async def test_a_first_round_case_has_no_round_box_nor_mark(server):
    no = await register(server, "人行道地砖松动", openid="o_round1")
    await server.app[hotline_key].complaints.dispatch(no, "zjw", "disp-r1")
    await make_staff(server, "zj-r1", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj-r1")
        page = await browser.get(f"/console/complaints/{no}")
        listing = await browser.get("/console/complaints")
    finally:
        await browser.close()
    assert 'class="round-box"' not in page.text
    assert no in listing.text and "第1轮" not in listing.text
