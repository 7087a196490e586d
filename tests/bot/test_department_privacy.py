"""Departments read phone and ID numbers masked wherever the citizen wrote them
(description, address, supplements, rating comments), in the API, the console, its
CSV and Open311; dispatchers and admins read the text as written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import Action, Rating, Satisfaction
from models.text import mask_personal_numbers
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register
from tests.bot.test_open311 import call, file_request

FULL = ("13712345678", "110105198001011234", "13655556666", "136 5555 6666", "87654321")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系人王女士13712345678，身份证110105198001011234",
         "联系人王女士137****5678，身份证110105********1234"),
        ("我手机136 5555 6666", "我手机136****6666"),
        ("电话137-1234-5678或+86 139 0000 1111", "电话137****5678或139****1111"),
        ("固话010-87654321，(0755) 8888 6666", "固话010-****4321，0755-****6666"),
        ("身份证号11010519800101123x", "身份证号110105********123x"),
        # ticket numbers, dates, house numbers and long amounts are not phone numbers
        ("工单20261130-0297，2026-11-30 12:00，3-2-301室", "工单20261130-0297，2026-11-30 12:00，3-2-301室"),
        ("流水号12345678901234567890", "流水号12345678901234567890"),
    ],
)  # fmt: skip
def test_one_function_masks_mobiles_landlines_and_id_numbers(text, masked):
    assert mask_personal_numbers(text) == masked


def _no_full_numbers(text: str) -> bool:
    return not any(number in text for number in FULL)


async def test_departments_read_numbers_masked_dispatchers_as_written(server):
    hotline = server.app[hotline_key]
    intake = await make_token(server, "phone-centre", Role.DISPATCHER)
    clerk = await make_token(server, "zj1", Role.DEPARTMENT, "zjw")
    # the phone line: an Open311 request with the numbers in its text
    phoned = await file_request(
        server, intake, service_code="urban", lat="39.99", long="116.47", phone="13712345678",
        description="小区电梯坏了一周没人修，联系人王女士13712345678，身份证110105198001011234",
        address_string="朝阳区望京西园三区3号楼，物业电话010-87654321",
    )  # fmt: skip
    # chat: numbers in a supplement and in an unsatisfied rating's comment
    chatted = await register(server, "望京西园三区路灯坏了", openid="o_citB")
    for no in (phoned, chatted):
        status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", intake,
                              {"department": "zjw"})  # fmt: skip
        assert status == 200
    await hotline.complaints.change(chatted, lambda c: c.apply(
        Action.SUPPLEMENT, "citizen", datetime.now(UTC), "灯杆也歪了，我手机136 5555 6666"))  # fmt: skip
    await hotline.complaints.reply(chatted, "已修好", "zj1")
    comment = "不满意，灯还是不亮，你们联系我13655556666"
    await hotline.complaints.rate(
        chatted, "o_citB", Rating(Satisfaction.UNSATISFIED, False, comment)
    )

    for no in (phoned, chatted):
        status, seen = await api(server, "GET", f"/api/v1/complaints/{no}", clerk)
        assert status == 200 and _no_full_numbers(str(seen)), seen
        status, whole = await api(server, "GET", f"/api/v1/complaints/{no}", intake)
        assert status == 200 and not _no_full_numbers(str(whole))
    status, seen = await api(server, "GET", f"/api/v1/complaints/{phoned}", clerk)
    assert "王女士137****5678，身份证110105********1234" in seen["description"]
    assert seen["location"]["text"].endswith("010-****4321")
    status, seen = await api(server, "GET", f"/api/v1/complaints/{chatted}", clerk)
    assert any("我手机136****6666" in h["reason"] for h in seen["history"])
    assert any("联系我136****6666" in h["reason"] for h in seen["history"])
    assert seen["rating"]["comment"] == "不满意，灯还是不亮，你们联系我136****6666"
    status, listed = await api(server, "GET", "/api/v1/complaints?department=zjw", clerk)
    assert status == 200 and listed["total"] == 2 and _no_full_numbers(str(listed))

    # Open311 with the department's key: the full view, numbers masked
    status, [own] = await call(server, "GET", f"/open311/v2/requests/{phoned}.json",
                               params={"api_key": clerk})  # fmt: skip
    assert status == 200 and "description" in own and _no_full_numbers(str(own))
    status, [whole] = await call(server, "GET", f"/open311/v2/requests/{phoned}.json",
                                 params={"api_key": intake})  # fmt: skip
    assert "13712345678" in whole["description"]

    # the console and its CSV, for the department and for a dispatcher
    await make_staff(server, "zj-web", Role.DEPARTMENT, "zjw")
    await make_staff(server, "disp-web", Role.DISPATCHER)
    department, dispatcher = Browser(server), Browser(server)
    try:
        await department.login("zj-web")
        for path in (f"/console/complaints/{phoned}", f"/console/complaints/{chatted}",
                     "/console/complaints", "/console/complaints.csv"):  # fmt: skip
            page = await department.get(path)
            assert page.status == 200 and _no_full_numbers(page.text), path
        page = await department.get(f"/console/complaints/{phoned}")
        assert "110105********1234" in page.text
        await dispatcher.login("disp-web")
        page = await dispatcher.get(f"/console/complaints/{phoned}")
        assert "110105198001011234" in page.text
    finally:
        await department.close()
        await dispatcher.close()
