"""A case a department handed back (退回) is marked in the dispatch queue and on its
page, is never offered back to that department by default, and goes back to it only
after the dispatcher confirms."""

from __future__ import annotations

import html
import re

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, Page, make_staff
from tests.bot.staff import api, make_token, register


def row_of(text: str, no: str) -> str:
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{no}(?:(?!</tr>).)*</tr>", text, re.S)
    assert row, f"no row for {no}"
    return html.unescape(row.group(0))


def selected(fragment: str) -> list[str]:
    """The values of the selected options of a page fragment's department select."""
    select = re.search(r'<select name="department"[^>]*>(.*?)</select>', fragment, re.S)
    assert select
    return re.findall(r'<option value="([^"]*)" selected>', select.group(1))


def dispatch_form(page: Page) -> str:
    form = re.search(r"<h2>派单</h2>.*?</form>", page.text, re.S)
    assert form, "no dispatch form"
    return form.group(0)


async def test_a_handed_back_case_is_marked_and_not_sent_back_without_confirmation(server):
    hotline = server.app[hotline_key]
    no = await register(server, "小区外墙脱落砸坏了车", openid="o_back")
    fresh = await register(server, "小区楼道的墙皮脱落了", openid="o_fresh")
    await hotline.complaints.dispatch(no, "zjw", "disp-back")
    clerk = await make_token(server, "zj-back", Role.DEPARTMENT, "zjw")
    status, _ = await api(
        server, "POST", f"/api/v1/complaints/{no}/transfer", clerk, {"reason": "不是我们的"}
    )
    assert status == 200
    await make_staff(server, "disp-back", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-back")
        queue = await browser.get("/console/queue")
        row = row_of(queue.text, no)
        assert "已退回" in row and "市住房城乡建设委 — 不是我们的" in row
        # the one-click dispatch no longer starts on the department that refused it
        assert selected(row) == [""] and "市住房城乡建设委（已退回）" in row
        # a case nobody refused still starts on the suggestion
        assert selected(row_of(queue.text, fresh)) == ["zjw"]
        assert "已退回" not in row_of(queue.text, fresh)
        page = await browser.get(f"/console/complaints/{no}")
        assert "市住房城乡建设委 — 不是我们的" in html.unescape(page.text)
        assert selected(dispatch_form(page)) == [""]
        # sending it back there anyway asks first and changes nothing
        page = await browser.post(
            f"/console/complaints/{no}/dispatch", {"department": "zjw", "seen": "submitted:"}
        )
        assert page.status == 409
        text = html.unescape(page.text)
        assert (
            "市住房城乡建设委已于" in text and "由 zj-back 退回这件诉求（理由：不是我们的）" in text
        )
        assert "仍然派至市住房城乡建设委" in text
        [doc] = await hotline.db.complaints.find({"no": no})
        assert doc["status"] == "submitted"
        # in bulk there is no confirmation: refused, the case page is the place for it
        page = await browser.post(
            "/console/bulk", {"action": "dispatch", "department": "zjw", "no": no}
        )
        assert page.status == 207 and "在本轮已退回过这件诉求" in html.unescape(page.text)
        # confirmed, it goes
        page = await browser.post(
            f"/console/complaints/{no}/dispatch",
            {"department": "zjw", "seen": "submitted:", "confirm": "1"},
        )
        assert page.status == 200 and "已派单" in page.text
        [doc] = await hotline.db.complaints.find({"no": no})
        assert (doc["status"], doc["department"]) == ("dispatched", "zjw")
        # another department needs no confirmation
        await api(server, "POST", f"/api/v1/complaints/{no}/transfer", clerk, {"reason": "再退"})
        page = await browser.post(
            f"/console/complaints/{no}/dispatch", {"department": "swj", "seen": "submitted:"}
        )
        assert page.status == 200 and "已派单" in page.text
    finally:
        await browser.close()


async def refused_only_with_confirmation(server, browser: Browser, no: str, reason: str) -> None:
    """The queue marks `no` as handed back by 市住房城乡建设委 (zjw) for `reason`, its
    dispatch select does not start there, and sending it back needs 仍然派至."""
    queue = await browser.get("/console/queue")
    row = row_of(queue.text, no)
    assert "已退回" in row and f"市住房城乡建设委 — {reason}" in row
    assert selected(row) == [""] and "市住房城乡建设委（已退回）" in row
    page = await browser.get(f"/console/complaints/{no}")
    assert selected(dispatch_form(page)) == [""]
    page = await browser.post(
        f"/console/complaints/{no}/dispatch", {"department": "zjw", "seen": "submitted:"}
    )
    assert page.status == 409 and "仍然派至市住房城乡建设委" in html.unescape(page.text)
    page = await browser.post(
        "/console/bulk", {"action": "dispatch", "department": "zjw", "no": no}
    )
    assert page.status == 207 and "在本轮已退回过这件诉求" in html.unescape(page.text)
    [doc] = await server.app[hotline_key].db.complaints.find({"no": no})
    assert doc["status"] == "submitted"


# An admin handing a case back (on the department's word) has no department of its
# own, and an automatic dispatch or one with the dispatcher's own note does not say
# 派至… : only the history event itself says which department refused the case.
async def test_an_automatically_dispatched_case_handed_back_names_its_department(server):
    no = await register(server, "小区外墙瓷砖掉落砸坏了车", openid="o_auto", confidence=0.9)
    [doc] = await server.app[hotline_key].db.complaints.find({"no": no})
    assert (doc["status"], doc["history"][-1]["actor"]) == ("dispatched", "system")
    admin = await make_token(server, "admin-auto", Role.ADMIN)
    status, _ = await api(
        server, "POST", f"/api/v1/complaints/{no}/transfer", admin, {"reason": "住建委说不归他们"}
    )
    assert status == 200
    await make_staff(server, "disp-auto", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-auto")
        await refused_only_with_confirmation(server, browser, no, "住建委说不归他们")
    finally:
        await browser.close()


async def test_a_case_dispatched_with_a_note_and_handed_back_names_its_department(server):
    no = await register(server, "小区电梯井墙体开裂", openid="o_note")
    await server.app[hotline_key].complaints.dispatch(no, "zjw", "disp-note", "请尽快核实")
    admin = await make_token(server, "admin-note", Role.ADMIN)
    status, _ = await api(
        server, "POST", f"/api/v1/complaints/{no}/transfer", admin, {"reason": "应由区里处理"}
    )
    assert status == 200
    await make_staff(server, "disp-note", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-note")
        await refused_only_with_confirmation(server, browser, no, "应由区里处理")
    finally:
        await browser.close()
