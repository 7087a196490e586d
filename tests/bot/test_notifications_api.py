"""GET /api/v1/notifications over real HTTP: paged (`limit`, `offset`, `total`, bounds
as the complaint list's), filtered by `kind`, and readable by department staff for the
complaints their department holds, and only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.staff import api, make_token, register


async def test_paged_filtered_and_scoped_to_a_department(server):
    hotline = server.app[hotline_key]
    service = hotline.complaints
    now = datetime.now(UTC)
    zjw = [await register(server, f"第{i}件：望京西园三区的路灯不亮很久了") for i in range(3)]
    other = await register(server, "望京西园三区工地夜间施工噪音扰民", category="环境保护")
    queued = await register(server, "望京西园三区的垃圾桶满了好几天没人清理")
    for no in zjw:
        await service.dispatch(no, "zjw", "d")
    await service.dispatch(other, "sthjj", "d")
    await service.transfer(zjw[2], "不属于本部门职责范围，请改派", "zj1")  # no longer zjw's
    for no, hours in zip([*zjw, other, queued], (-5, -4, -3, -2, 10), strict=True):
        await hotline.db.complaints.set_fields(no, {"due_at": now + timedelta(hours=hours)})
    await service.check_time_limits(now)  # four overdue, the queued one due soon
    dispatcher = await make_token(server, "wang", Role.DISPATCHER)
    clerk = await make_token(server, "zj1", Role.DEPARTMENT, "zjw")

    async def read(token: str, query: str = "") -> dict:
        status, body = await api(server, "GET", f"/api/v1/notifications?{query}", token)
        assert status == 200, (query, body)
        return body

    body = await read(dispatcher)
    assert (body["total"], body["limit"], body["offset"]) == (5, 100, 0)
    assert len(body["notifications"]) == 5
    soon = await read(dispatcher, "kind=due_soon")
    assert [n["no"] for n in soon["notifications"]] == [queued]
    overdue = await read(dispatcher, "kind=overdue&limit=3")
    assert overdue["total"] == 4 and len(overdue["notifications"]) == 3
    rest = await read(dispatcher, "kind=overdue&limit=3&offset=3")
    assert len(rest["notifications"]) == 1
    seen = {n["no"] for n in overdue["notifications"] + rest["notifications"]}
    assert seen == {*zjw, other}

    # a department: only what it holds now (not the one it handed back, not another
    # department's, not the queue's), with the same paging and filter
    mine = await read(clerk)
    assert mine["total"] == 2
    assert sorted(n["no"] for n in mine["notifications"]) == sorted(zjw[:2])
    assert (await read(clerk, "kind=due_soon"))["total"] == 0
    page = await read(clerk, "kind=overdue&limit=1&offset=1")
    assert page["total"] == 2 and len(page["notifications"]) == 1

    # once answered, a case's warnings are no longer the department's work
    await service.accept(zjw[1], "zj1")
    await service.reply(zjw[1], "您好，路灯已修复，感谢您的反映。", "zj1")
    answered = await read(clerk)
    assert [n["no"] for n in answered["notifications"]] == [zjw[0]]

    # a department holding nothing warned reads an empty page, not an error
    nothing = await read(await make_token(server, "jt1", Role.DEPARTMENT, "jtw"))
    assert (nothing["total"], nothing["notifications"]) == (0, [])

    for query, name in (("limit=0", "limit"), ("limit=201", "limit"), ("offset=-1", "offset"),
                        ("kind=late", "kind"), ("kind=", "kind")):  # fmt: skip
        status, body = await api(server, "GET", f"/api/v1/notifications?{query}", clerk)
        assert status == 400 and name in body["error"], (query, body)
