"""Open311 GeoReport v2 round trip over real HTTP."""

from __future__ import annotations

import aiohttp

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.staff import api, make_token


async def call(server, method: str, path: str, **kwargs):
    async with aiohttp.ClientSession() as http:
        async with http.request(method, server.make_url(path), **kwargs) as response:
            return response.status, await response.json(content_type=None)


async def test_open311_round_trip(server):
    status, services = await call(server, "GET", "/open311/v2/services.json")
    assert status == 200
    codes = {s["service_code"]: s["service_name"] for s in services}
    assert codes["environment"] == "环境保护" and len(codes) == 7

    form = {"service_code": "environment", "description": "工地夜间施工噪音扰民，凌晨还在打桩",
            "address_string": "海淀区学院路30号", "lat": "39.99", "long": "116.35",
            "phone": "13912345678"}  # fmt: skip
    status, body = await call(server, "POST", "/open311/v2/requests.json", data=form)
    assert status == 403
    token = await make_token(server, "phone-centre", Role.DISPATCHER)
    status, body = await call(server, "POST", "/open311/v2/requests.json",
                              data={**form, "api_key": token})  # fmt: skip
    assert status == 201
    no = body[0]["service_request_id"]

    complaint = await server.app[hotline_key].complaints.get(no)
    assert complaint.channel == "open311" and complaint.category == "环境保护"
    assert complaint.location.district == "海淀区" and complaint.history[0].actor == "phone-centre"

    status, public = await call(server, "GET", f"/open311/v2/requests/{no}.json")
    assert status == 200 and public[0]["status"] == "open"
    assert "description" not in public[0] and public[0]["address"] == "海淀区"
    assert "13912345678" not in str(public)
    status, keyed = await call(server, "GET", "/open311/v2/requests.json",
                               params={"api_key": token, "service_code": "environment"})  # fmt: skip
    assert [r["service_request_id"] for r in keyed] == [no]
    assert keyed[0]["description"].startswith("工地夜间施工")

    # dispatching it works like any complaint, and nobody is pushed to
    await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", token, {"department": "sthjj"})
    assert await server.app[hotline_key].db.outbox.find(complaint_no=no) == []
    status, closed = await call(server, "GET", "/open311/v2/requests.json",
                                params={"status": "closed"})  # fmt: skip
    assert status == 200 and closed == []


async def test_open311_rejects_bad_requests(server):
    token = await make_token(server, "web-form", Role.DISPATCHER)
    bad = [
        {"api_key": token, "service_code": "nope", "description": "路灯坏了很久", "lat": "1", "long": "2"},
        {"api_key": token, "service_code": "urban", "description": "", "lat": "1", "long": "2"},
        {"api_key": token, "service_code": "urban", "description": "路灯坏了很久"},
    ]  # fmt: skip
    for form in bad:
        status, body = await call(server, "POST", "/open311/v2/requests.json", data=form)
        assert status == 400 and body[0]["description"]
    assert (await call(server, "GET", "/open311/v2/requests/19990101-0001.json"))[0] == 404
    assert (await call(server, "GET", "/open311/v2/requests.json", params={"status": "x"}))[
        0
    ] == 400
