"""Paging of GET /api/v1/complaints over real HTTP: `limit` and `offset` outside the
bounds bot/openapi.py documents are a 400 with the reason, never "everything"."""

from __future__ import annotations

from bot.app import hotline_key
from bot.openapi import document
from models.accounts import Role
from models.complaint import Location
from tests.bot.staff import api, make_token


async def register(server, count: int) -> None:
    service = server.app[hotline_key].complaints
    for i in range(count):
        await service.register(source_key=f"limits-{i}", openid=f"o_{i}",
                               description=f"第{i}个诉求：路灯不亮",
                               location=Location("西城区西直门南大街", "西城区"))  # fmt: skip


async def test_limit_and_offset_outside_their_bounds_are_refused(server):
    await register(server, 3)
    token = await make_token(server, "wang", Role.DISPATCHER)

    for query in ("limit=0", "limit=-1", "limit=201", "limit=100000", "offset=-1",
                  "offset=1000001", "limit=1.5", "offset=abc"):  # fmt: skip
        status, body = await api(server, "GET", f"/api/v1/complaints?{query}", token)
        name = query.split("=")[0]
        assert status == 400, (query, body)
        assert name in body["error"], (query, body)

    status, body = await api(server, "GET", "/api/v1/complaints?limit=1", token)
    assert status == 200 and body["limit"] == 1 and len(body["complaints"]) == 1
    assert body["total"] == 3
    status, body = await api(server, "GET", "/api/v1/complaints?limit=200&offset=2", token)
    assert status == 200 and (body["limit"], body["offset"]) == (200, 2)
    assert len(body["complaints"]) == 1
    status, body = await api(server, "GET", "/api/v1/complaints?offset=1000000", token)
    assert status == 200 and body["complaints"] == [] and body["total"] == 3
    status, body = await api(server, "GET", "/api/v1/complaints", token)
    assert status == 200 and (body["limit"], body["offset"]) == (50, 0)
    assert len(body["complaints"]) == 3


def test_the_document_states_the_same_bounds():
    listing = document()["paths"]["/api/v1/complaints"]["get"]["parameters"]
    schemas = {p["name"]: p["schema"] for p in listing}
    assert (schemas["limit"]["minimum"], schemas["limit"]["maximum"]) == (1, 200)
    assert (schemas["offset"]["minimum"], schemas["offset"]["maximum"]) == (0, 1000000)
