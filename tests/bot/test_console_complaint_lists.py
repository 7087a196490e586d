"""The complaint lists and their CSV say who holds a complaint: one waiting in the
dispatch queue is shown under its suggested department as a suggestion, and a
department filter lists only what that department holds, as its own list does."""

from __future__ import annotations

import csv
import io
import re

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import Location
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token


async def csv_rows(browser: Browser, path: str) -> list[dict[str, str]]:
    async with browser.http.get(browser.server.make_url(path)) as response:
        assert response.status == 200
        text = (await response.read()).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


async def test_a_queued_complaint_is_shown_as_a_suggestion_not_as_held(server):
    service = server.app[hotline_key].complaints
    db = server.app[hotline_key].db
    queued = await service.register(
        source_key="list:queued", openid="o_lq", description="公交站牌被撞坏了没人管",
        location=Location("海淀区学院路", "海淀区"), category="交通运输", category_confidence=0.3,
    )  # fmt: skip
    code, name = queued.department, queued.department_name
    assert queued.status.value == "submitted" and code and name  # the model's suggestion
    held = await service.register(
        source_key="list:held", openid="o_lh", description="公交站牌歪了",
        location=Location("海淀区学院路", "海淀区"), category="交通运输", category_confidence=0.3,
    )  # fmt: skip
    await service.dispatch(held.no, code, "dispatcher")
    for no in (queued.no, held.no):  # both past their limit: on the overdue list
        await db.complaints.set_fields(no, {"overdue": True})
    await make_staff(server, "root-list", Role.ADMIN)
    token = await make_token(server, "dept-list", Role.DEPARTMENT, code)
    status, own = await api(server, "GET", "/api/v1/complaints", token)
    assert status == 200 and [c["no"] for c in own["complaints"]] == [held.no]
    browser = Browser(server)
    try:
        await browser.login("root-list")
        # the department filter: what the department holds, as its own list
        page = await browser.get(f"/console/complaints?department={code}")
        assert held.no in page.text and queued.no not in page.text
        for path in (f"/console/complaints.csv?department={code}",
                     f"/console/overdue.csv?department={code}"):  # fmt: skip
            assert [r["工单编号"] for r in await csv_rows(browser, path)] == [held.no]
        page = await browser.get(f"/console/overdue?department={code}")
        assert held.no in page.text and queued.no not in page.text
        # unfiltered: the queued one is there, its department shown as a suggestion
        page = await browser.get("/console/complaints")
        row = re.search(
            rf"<tr[^>]*>(?:(?!</tr>).)*{queued.no}(?:(?!</tr>).)*</tr>", page.text, re.S
        )
        assert row and f"（建议：{name}）" in row.group(0) and "等待派单" in row.group(0)
        for path in ("/console/complaints.csv", "/console/overdue.csv"):
            rows = {r["工单编号"]: r for r in await csv_rows(browser, path)}
            assert rows[queued.no]["承办部门"] == "" and rows[queued.no]["建议部门"] == name
            assert "等待派单" in rows[queued.no]["状态"]
            assert rows[held.no]["承办部门"] == name and rows[held.no]["建议部门"] == ""
        # the dispatch queue is still filtered by suggested department
        page = await browser.get(f"/console/queue?department={code}")
        assert queued.no in page.text and held.no not in page.text
        # and the case page says the same: nobody holds it yet
        page = await browser.get(f"/console/complaints/{queued.no}")
        held_by = re.search(r"<dt>承办部门</dt><dd>(.*?)</dd>", page.text, re.S)
        assert (
            held_by
            and held_by.group(1).startswith("未派单")
            and f"（建议：{name}）" in held_by.group(1)
        )
        page = await browser.get(f"/console/complaints/{held.no}")
        assert f"<dt>承办部门</dt><dd>{name}</dd>" in page.text
    finally:
        await browser.close()
