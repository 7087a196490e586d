"""GET /api/v1/complaints over real HTTP: `sort=` orders (newest registered first by
default, an unknown order a 400) and the `supervised=` and `round=` filters, for a
department's own system pulling what is due first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.staff import api, make_token, register


async def test_sort_and_supervised_and_round(server):
    hotline = server.app[hotline_key]
    now = datetime.now(UTC)
    # registered in this order; due in the opposite order but for the middle one
    nos = [await register(server, f"第{i}件：望京西园路灯不亮，晚上很黑") for i in range(3)]
    for no, hours, created in zip(nos, (30, 10, 20), (3, 2, 1), strict=True):
        await hotline.db.complaints.set_fields(no, {
            "due_at": now + timedelta(hours=hours), "created_at": now - timedelta(hours=created),
        })  # fmt: skip
    await hotline.db.complaints.set_fields(nos[2], {"supervised": True, "round": 2})
    token = await make_token(server, "wang", Role.DISPATCHER)

    async def order(query: str) -> list[str]:
        status, body = await api(server, "GET", f"/api/v1/complaints?{query}", token)
        assert status == 200, (query, body)
        return [c["no"] for c in body["complaints"]]

    assert await order("") == [nos[2], nos[1], nos[0]]  # unchanged: newest registered first
    assert await order("sort=-created_at") == [nos[2], nos[1], nos[0]]
    assert await order("sort=created_at") == [nos[0], nos[1], nos[2]]
    assert await order("sort=due_at") == [nos[1], nos[2], nos[0]]
    assert await order("sort=-due_at") == [nos[0], nos[2], nos[1]]
    assert await order("sort=due_at&limit=1&offset=1") == [nos[2]]

    assert await order("supervised=true") == [nos[2]]
    assert await order("supervised=false&sort=created_at") == [nos[0], nos[1]]
    assert await order("supervised=") == [nos[2], nos[1], nos[0]]
    assert await order("round=2") == [nos[2]]
    assert await order("round=1&sort=due_at") == [nos[1], nos[0]]

    for query, name in (("sort=priority", "sort"), ("sort=due", "sort"),
                        ("supervised=maybe", "supervised"), ("round=0", "round"),
                        ("round=two", "round"), ("round=", "round")):  # fmt: skip
        status, body = await api(server, "GET", f"/api/v1/complaints?{query}", token)
        assert status == 400 and name in body["error"], (query, body)
    status, body = await api(server, "GET", "/api/v1/complaints?sort=priority", token)
    assert "due_at" in body["error"]  # the reason names the orders there are
    # other unknown parameters stay ignored
    assert await order("colour=red") == [nos[2], nos[1], nos[0]]
