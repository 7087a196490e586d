"""A complaint with no WeChat citizen behind it (Open311, the phone line): the
department's answer and then the survey become phone calls on the follow-up list,
the case closes unrated in time, and the intake system can read the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import ComplaintStatus
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token
from tests.bot.test_open311 import call, file_request

ANSWER = "答复A：已修复，小区3号楼电梯恢复运行"


async def _answered(server, phone: str = "13912345678") -> tuple[str, str, str]:
    intake = await make_token(server, "phone-centre", Role.DISPATCHER)
    fields = {"service_code": "urban", "description": "小区3号楼电梯坏了一周没人修",
              "address_string": "朝阳区望京西园三区3号楼", "lat": "39.99", "long": "116.47"}  # fmt: skip
    if phone:
        fields["phone"] = phone
    no = await file_request(server, intake, **fields)
    status, _ = await api(server, "POST", f"/api/v1/complaints/{no}/dispatch", intake,
                          {"department": "zjw"})  # fmt: skip
    assert status == 200
    clerk = await make_token(server, "zj1", Role.DEPARTMENT, "zjw")
    status, body = await api(server, "POST", f"/api/v1/complaints/{no}/reply", clerk,
                             {"text": ANSWER})  # fmt: skip
    assert status == 200 and body["status"] == "replied"
    return no, intake, clerk


async def test_the_answer_then_the_survey_are_phone_calls_and_the_case_closes(server):
    hotline = server.app[hotline_key]
    no, intake, _ = await _answered(server)
    await hotline.sweep()  # nothing to send: the calls are never tried through WeChat
    status, body = await api(server, "GET", "/api/v1/follow-ups", intake)
    assert status == 200
    [row] = [r for r in body["follow_ups"] if r["complaint"] == no]
    assert ANSWER in row["text"] and row["contact_phone"] == "13912345678"
    assert row["channel"] == "phone"

    await make_staff(server, "disp-phone", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-phone")
        page = await browser.get("/console/follow-ups")
        assert no in page.text and "13912345678" in page.text
        assert "没有微信，请电话告知" in page.text
        page = await browser.post("/console/follow-ups", {"key": row["key"], "note": "已告知"})
        assert page.status == 200
    finally:
        await browser.close()

    # the survey call waits its delay like a chat survey, then is listed
    status, body = await api(server, "GET", "/api/v1/follow-ups", intake)
    assert [r for r in body["follow_ups"] if r["complaint"] == no] == []
    [survey] = await hotline.db.outbox.find(dedupe_key=f"survey:{no}:1")
    assert survey["openid"] == "" and survey["state"] == "undeliverable"
    await hotline.db.db.outbox.update_one(
        {"_id": survey["_id"]}, {"$set": {"run_at": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    status, body = await api(server, "GET", "/api/v1/follow-ups", intake)
    [row] = [r for r in body["follow_ups"] if r["complaint"] == no]
    assert row["key"] == f"survey:{no}:1" and "满意" in row["text"]
    assert await hotline.complaints.follow_up_called(row["key"], "disp-phone", "未接")
    assert (await hotline.complaints.get(no)).survey_sent_at is not None

    # unrated, it closes after the same seven days as a chat case
    await hotline.db.complaints.set_fields(
        no, {"survey_sent_at": datetime.now(UTC) - timedelta(days=8)}
    )
    # the server's own sweep (every 0.2 s here) may close it first: either closes it once
    closed = await hotline.complaints.close_unrated(datetime.now(UTC))
    after = await hotline.complaints.get(no)
    assert after.status is ComplaintStatus.CLOSED and closed in (0, 1)
    assert [e.actor for e in after.history if e.to_status == ComplaintStatus.CLOSED.value] == [
        "system"
    ]


async def test_a_request_nobody_can_be_told_of_still_closes_unrated(server):
    hotline = server.app[hotline_key]
    no, _, _ = await _answered(server, phone="")
    assert await hotline.db.outbox.find(complaint_no=no) == []
    assert await hotline.complaints.close_unrated(datetime.now(UTC) + timedelta(days=8)) == 1
    assert (await hotline.complaints.get(no)).status is ComplaintStatus.CLOSED


async def test_open311_reads_the_answer_with_a_key_that_may_read_the_request(server):
    no, intake, clerk = await _answered(server)
    status, [keyed] = await call(server, "GET", f"/open311/v2/requests/{no}.json",
                                 params={"api_key": intake})  # fmt: skip
    assert status == 200 and keyed["status_notes"] == f"部门已答复：{ANSWER}"
    status, [own] = await call(server, "GET", f"/open311/v2/requests/{no}.json",
                               params={"api_key": clerk})  # fmt: skip
    assert own["status_notes"] == f"部门已答复：{ANSWER}"
    # the public and other departments see the status only: an answer may name people
    other = await make_token(server, "jtw-1", Role.DEPARTMENT, "jtw")
    for params in ({}, {"api_key": other}):
        status, [public] = await call(server, "GET", f"/open311/v2/requests/{no}.json",
                                      params=params)  # fmt: skip
        assert status == 200 and public["status_notes"] == "部门已答复"
    status, listed = await call(server, "GET", "/open311/v2/requests.json",
                                params={"api_key": intake, "service_request_id": no})  # fmt: skip
    assert listed[0]["status_notes"] == f"部门已答复：{ANSWER}"
