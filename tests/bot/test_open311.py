"""Open311 GeoReport v2 round trip over real HTTP."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.staff import api, make_token
from tests.conftest import start_server


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


async def file_request(server, token: str, **fields: str) -> str:
    status, body = await call(server, "POST", "/open311/v2/requests.json",
                              data={"api_key": token, **fields})  # fmt: skip
    assert status == 201, body
    return body[0]["service_request_id"]


async def test_a_department_key_reads_in_open311_only_what_it_reads_in_the_api(server):
    dispatcher = await make_token(server, "phone-centre", Role.DISPATCHER)
    clerk = await make_token(server, "env-clerk", Role.DEPARTMENT, "sthjj")
    place = {"address_string": "朝阳区工体北路8号院3号楼", "lat": "39.932345", "long": "116.456789"}
    own = await file_request(server, dispatcher, service_code="environment",
                             description="楼下烧烤店油烟太大，窗户都不敢开", **place)  # fmt: skip
    other = await file_request(server, dispatcher, service_code="urban",
                               description="小区电梯坏了一周没人修", **place)  # fmt: skip
    queued = await file_request(server, dispatcher, service_code="environment",
                                description="河道里有人倾倒垃圾，味道很大", **place)  # fmt: skip
    await api(server, "POST", f"/api/v1/complaints/{own}/dispatch", dispatcher, {"department": "sthjj"})  # fmt: skip
    await api(server, "POST", f"/api/v1/complaints/{other}/dispatch", dispatcher, {"department": "zjw"})  # fmt: skip
    # `queued` stays submitted, although its category is the clerk's department's
    # filing is intake, not a department's work
    status, body = await call(server, "POST", "/open311/v2/requests.json",
                              data={"api_key": clerk, "service_code": "urban",
                                    "description": "小区电梯坏了一周没人修", **place})  # fmt: skip
    assert status == 403 and "dispatcher" in body[0]["description"]

    # the JSON API's rule, which Open311 must follow
    assert (await api(server, "GET", f"/api/v1/complaints/{own}", clerk))[0] == 200
    assert (await api(server, "GET", f"/api/v1/complaints/{other}", clerk))[0] == 404
    assert (await api(server, "GET", f"/api/v1/complaints/{queued}", clerk))[0] == 404

    status, listed = await call(
        server, "GET", "/open311/v2/requests.json", params={"api_key": clerk}
    )
    assert status == 200
    by_no = {r["service_request_id"]: r for r in listed}
    assert set(by_no) == {own, other, queued}  # every request, like the keyless list
    assert by_no[own]["description"].startswith("楼下烧烤店")
    assert by_no[own]["address"] == "朝阳区工体北路8号院3号楼"
    assert (by_no[own]["lat"], by_no[own]["long"]) == (39.932345, 116.456789)
    for no in (other, queued):
        assert "description" not in by_no[no], no
        assert by_no[no]["address"] == "朝阳区", no
        assert (by_no[no]["lat"], by_no[no]["long"]) == (39.932, 116.457), no
    assert "电梯" not in str(listed) and "倾倒" not in str(listed) and "工体北路" in str(listed)

    for no in (other, queued):
        status, single = await call(server, "GET", f"/open311/v2/requests/{no}.json",
                                    params={"api_key": clerk})  # fmt: skip
        assert status == 200
        assert "description" not in single[0] and single[0]["address"] == "朝阳区"
        assert "工体北路" not in str(single) and single[0]["lat"] == 39.932
    status, single = await call(server, "GET", f"/open311/v2/requests/{own}.json",
                                params={"api_key": clerk})  # fmt: skip
    assert status == 200 and single[0]["description"].startswith("楼下烧烤店")

    # dispatchers read everything, with the exact position
    status, single = await call(server, "GET", f"/open311/v2/requests/{queued}.json",
                                params={"api_key": dispatcher})  # fmt: skip
    assert single[0]["description"].startswith("河道里") and single[0]["lat"] == 39.932345


async def test_public_reads_do_not_locate_the_citizen(server):
    token = await make_token(server, "phone-centre", Role.DISPATCHER)
    no = await file_request(server, token, service_code="environment",
                            description="隔壁装修噪音，晚上十点还在电钻", lat="39.912345",
                            long="116.456789", address_string="东城区东四十条甲22号")  # fmt: skip
    status, single = await call(server, "GET", f"/open311/v2/requests/{no}.json")
    assert status == 200
    status, listed = await call(server, "GET", "/open311/v2/requests.json")
    assert status == 200 and [r["service_request_id"] for r in listed] == [no]
    for view in (single[0], listed[0]):
        assert (view["lat"], view["long"]) == (39.912, 116.457)
        assert view["address"] == "东城区" and "description" not in view
    for text in ("39.912345", "116.456789", "39.9123", "116.4567", "东四十条"):
        assert text not in str(single) + str(listed), text
    # an unknown key is no key
    status, keyed = await call(server, "GET", f"/open311/v2/requests/{no}.json",
                               params={"api_key": "not-a-token"})  # fmt: skip
    assert status == 200 and keyed == single


async def test_open311_refuses_coordinates_off_the_globe(server):
    token = await make_token(server, "web-form", Role.DISPATCHER)
    form = {"api_key": token, "service_code": "urban", "description": "路灯坏了很久",
            "address_string": "西城区西直门南大街"}  # fmt: skip
    bad = [
        ({"lat": "999", "long": "-999"}, "lat"),
        ({"lat": "90.0001", "long": "116.4"}, "lat"),
        ({"lat": "-91", "long": "116.4"}, "lat"),
        ({"lat": "39.9", "long": "180.5"}, "long"),
        ({"lat": "39.9", "long": "-181"}, "long"),
        ({"lat": "nan", "long": "116.4"}, "lat"),
        ({"lat": "39.9", "long": "inf"}, "long"),
        ({"lat": "北纬39度", "long": "116.4"}, "lat"),
        ({"lat": "39.9", "long": "east"}, "long"),
        ({"lat": "39.9"}, "together"),
    ]
    for coordinates, reason in bad:
        status, body = await call(server, "POST", "/open311/v2/requests.json",
                                  data={**form, **coordinates})  # fmt: skip
        assert status == 400, (coordinates, body)
        assert body[0]["code"] == 400 and reason in body[0]["description"], (coordinates, body)
    status, listed = await call(server, "GET", "/open311/v2/requests.json")
    assert listed == []  # nothing was registered

    # the edges of the globe and an address without coordinates are fine
    for coordinates in ({"lat": "-90", "long": "180"}, {"lat": "90", "long": "-180"}, {}):
        status, body = await call(server, "POST", "/open311/v2/requests.json",
                                  data={**form, **coordinates})  # fmt: skip
        assert status == 201, (coordinates, body)


async def test_a_retried_post_with_the_same_idempotency_key_files_one_complaint(server):
    phone = await make_token(server, "phone-centre", Role.DISPATCHER)
    web_form = await make_token(server, "web-form", Role.DISPATCHER)
    form = {"service_code": "urban", "description": "小区门口路灯坏了一个月",
            "address_string": "朝阳区望京西园三区"}  # fmt: skip

    async def post(token: str, key: str | None) -> tuple[int, str]:
        headers = {"Idempotency-Key": key} if key else {}
        status, body = await call(server, "POST", "/open311/v2/requests.json",
                                  data={**form, "api_key": token}, headers=headers)  # fmt: skip
        return status, body[0]["service_request_id"]

    first = await post(phone, "call-0017")
    # the client timed out and tries again, twice at once
    again = await asyncio.gather(post(phone, "call-0017"), post(phone, "call-0017"))
    assert first[0] == 201 and {no for _, no in again} == {first[1]}
    assert {status for status, _ in again} <= {200, 201}
    # keys belong to their account; without a key every POST is a new request
    other = await post(web_form, "call-0017")
    plain = [await post(phone, None), await post(phone, None)]
    numbers = {first[1], other[1], *(no for _, no in plain)}
    assert len(numbers) == 4 and other[0] == 201
    complaints = server.app[hotline_key].db.complaints
    assert await complaints.count({"channel": "open311"}) == 4


async def test_simultaneous_first_posts_with_one_key_burn_no_ticket_number(
    server, settings, mongo_uri
):
    # two instances behind a load balancer, and a client that fires its retry while the
    # first POST is still running: one complaint, and no gap in the day's numbers
    twin = await start_server(settings, mongo_uri)
    try:
        phone = await make_token(server, "phone-centre", Role.DISPATCHER)
        form = {"service_code": "urban", "description": "人行道地砖翘起来了，老人绊倒过",
                "address_string": "海淀区学院路20号", "api_key": phone}  # fmt: skip

        async def post(instance, key: str | None) -> tuple[int, str]:
            headers = {"Idempotency-Key": key} if key else {}
            status, body = await call(instance, "POST", "/open311/v2/requests.json",
                                      data=form, headers=headers)  # fmt: skip
            return status, body[0]["service_request_id"]

        burst = await asyncio.gather(*(post(s, "call-0042") for s in (server, twin, server, twin)))
        assert len({no for _, no in burst}) == 1
        assert sorted(status for status, _ in burst) == [200, 200, 200, 201]
        _, after = await post(twin, None)
        day, number = burst[0][1].split("-")
        assert after == f"{day}-{int(number) + 1:04d}"
    finally:
        await twin.close()
