"""Regressions from the sixth citizen-role review about registered tickets: a status
query however the number is written (A6), 撤回 and 不要了 right after registering
(A5, B4), a photo sent just after registering (A4), the answer in a status reply (B7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dialogs.ports import ComplaintDraft
from models.complaint import Complaint, ComplaintStatus
from tests.dialogs.chat import Chat

LAMP = "朝阳区望京西园三区12号楼楼道灯坏了，晚上漆黑一片"
REPLY = (
    "您好，经现场核实，该楼道灯线路老化导致不亮，已由物业于11月29日更换线路和灯具，"
    "现已恢复照明。今后如再出现类似问题，可直接联系物业值班电话，也可再次拨打12345反映。"
    "同时已请物业对小区其他楼道的照明设施进行全面排查，发现问题及时维修。感谢您对我们工作的监督与支持。"
)


def _seed(chat: Chat, no: str, description: str = LAMP, **fields: object) -> Complaint:
    """A complaint of the chat's citizen with a chosen number, registered now."""
    complaint = Complaint.submit(
        no=no,
        openid=chat.openid,
        description=description,
        created_at=chat.ports.now,
        due_at=chat.ports.now + timedelta(days=7),
        category="城乡建设",
        department_name="市住房城乡建设委",
    )
    complaint = replace(complaint, **fields)
    chat.ports.complaints[no] = complaint
    return complaint


async def _others(chat: Chat, count: int) -> None:
    """Tickets of other citizens, so that this one's next number is count + 1."""
    for n in range(count):
        await chat.ports.register_complaint(ComplaintDraft(f"x{n}", f"o_other{n}", LAMP))


async def _registered(chat: Chat, text: str = LAMP) -> str:
    chat.suggest("城乡建设")
    await chat.say(text)
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")
    return chat.session.last_no


# -- A6: a status query with the number spoken, without the dash, or dated -------------
@pytest.mark.parametrize(
    "asked",
    ["查询二零二六一一三零零零零九", "查询 202611300009", "202611300009", "2026-11-30-0009"],
)
async def test_a_ticket_number_in_other_forms_is_looked_up(asked: str):
    chat = Chat()
    _seed(chat, "20261130-0009")
    reply = await chat.say(asked)
    assert "工单 20261130-0009\n状态：" in reply, reply
    assert chat.session.form is None and "问题发生在哪里" not in reply


async def test_a_ticket_number_dictated_by_voice_is_looked_up():
    chat = Chat()
    _seed(chat, "20261130-0009")
    reply = await chat.voice("查询二零二六一一三零零零零九")
    assert "工单 20261130-0009\n状态：" in reply and chat.session.form is None


async def test_a_number_that_cannot_be_read_gets_the_format_not_a_complaint():
    chat = Chat()
    _seed(chat, "20261130-0001")
    reply = await chat.say("查询 2026113O-0001")
    assert "不是有效的工单编号" in reply and "20261128-0042" in reply and "字母 O" in reply
    assert "没看明白" not in reply and chat.session.form is None


@pytest.mark.parametrize("asked", ["查询二零二六一一三零零零九", "查 2026.11.30.0009"])
async def test_a_query_with_a_number_never_becomes_a_description(asked: str):
    chat = Chat()
    reply = await chat.say(asked)
    assert "不是有效的工单编号" in reply and chat.session.form is None


async def test_a_query_by_the_tail_of_the_number():
    chat = Chat()
    _seed(chat, "20261130-0009")
    _seed(chat, "20261130-0010", "东城区东四十条5号院门口垃圾没人清")
    reply = await chat.say("查询 0009")
    assert "工单 20261130-0009\n状态：" in reply
    assert "尾号为 0042" in await chat.say("查询 0042")


@pytest.mark.parametrize("asked", ["部门怎么答复的", "答复是什么"])
async def test_the_departments_answer_asked_for(asked: str):
    chat = Chat()
    _seed(chat, "20261130-0008", "东城区东四十条5号院门口垃圾没人清")
    reply_entry = {"round": 1, "text": REPLY, "by": "zjw", "at": chat.ports.now}
    _seed(chat, "20261130-0009", status=ComplaintStatus.REPLIED, replies=(reply_entry,))
    reply = await chat.say(asked)
    assert "工单 20261130-0009" in reply and "的答复" in reply and REPLY in reply
    assert "1 满意" in reply and chat.session.form is None


async def test_the_answer_asked_for_with_two_waiting_lists_them():
    chat = Chat()
    entry = {"round": 1, "text": REPLY, "by": "zjw", "at": chat.ports.now}
    _seed(chat, "20261130-0008", status=ComplaintStatus.REPLIED, replies=(entry,))
    _seed(chat, "20261130-0009", status=ComplaintStatus.REPLIED, replies=(entry,))
    reply = await chat.say("部门怎么答复的")
    assert "请发送工单编号" in reply and "20261130-0008" in reply and "20261130-0009" in reply


# -- A5 / B4: 不要了 and 撤回 right after registering -----------------------------------
@pytest.mark.parametrize(
    "said", ["不要了", "撤回", "撤回刚才那个", "撤回 0033", "刚才那个不要了，物业已经清了"]
)
async def test_dropping_the_ticket_just_registered_asks_to_withdraw_it(said: str):
    chat = Chat()
    await _others(chat, 32)
    no = await _registered(chat)
    assert no == "20261128-0033"
    chat.wait(2)
    reply = await chat.say(said)
    assert f"确定要撤回工单 {no}" in reply, reply
    assert "当前没有进行中的登记" not in reply and "请写明要撤回的工单编号" not in reply
    assert chat.session.form is None
    assert "已撤回" in await chat.say("确定")
    assert chat.ports.complaints[no].status is ComplaintStatus.WITHDRAWN


async def test_a_second_no_longer_wanted_says_it_is_withdrawn_already():
    chat = Chat()
    await _registered(chat)
    await chat.say("不要了")
    await chat.say("确定")
    reply = await chat.say("不要了")
    assert "已经撤回" in reply and "当前没有进行中的登记" not in reply


async def test_the_only_open_ticket_is_asked_about_later_too():
    chat = Chat()
    no = await _registered(chat)
    chat.wait(24 * 60)
    assert f"确定要撤回工单 {no}" in await chat.say("撤回")


async def test_with_several_open_the_citizen_picks_which_to_withdraw():
    chat = Chat()
    first = await _registered(chat)
    second = await _registered(chat, "东城区东四十条5号院门口垃圾堆了好几天没人清")
    chat.wait(60)
    reply = await chat.say("撤回")
    assert "要撤回哪一件" in reply and f"1. {second}" in reply and f"2. {first}" in reply
    assert f"确定要撤回工单 {first}" in await chat.say("2")
    await chat.say("确定")
    assert chat.ports.complaints[first].status is ComplaintStatus.WITHDRAWN
    assert chat.ports.complaints[second].status is ComplaintStatus.SUBMITTED


async def test_no_longer_wanted_with_nothing_registered_is_as_before():
    chat = Chat()
    assert "当前没有进行中的登记" in await chat.say("不要了")


# -- A4: a photo sent just after registering ------------------------------------------
async def test_a_photo_just_after_registering_is_asked_about_and_added():
    chat = Chat()
    no = await _registered(chat)
    chat.wait(1)
    reply = await chat.photo("m1")
    assert f"补充到刚登记的工单 {no}" in reply and "新问题" in reply
    assert chat.session.form is None
    reply = await chat.say("是")
    assert f"照片已补充到工单 {no}" in reply
    assert chat.ports.complaints[no].photos == ("photo-m1",) and chat.session.form is None


async def test_forgot_the_photo_after_sending_it_adds_it_to_the_ticket():
    chat = Chat()
    no = await _registered(chat)
    await chat.photo("m1")
    reply = await chat.say("刚才忘发照片了，这是现场的")
    assert f"照片已补充到工单 {no}" in reply and "问题发生在哪里" not in reply
    assert chat.ports.complaints[no].photos == ("photo-m1",) and chat.session.form is None


async def test_forgot_the_photo_before_sending_it_adds_it_to_the_ticket():
    chat = Chat()
    no = await _registered(chat)
    reply = await chat.say("刚才忘发照片了，这是现场的")
    assert f"请直接发送照片，我会补充到工单 {no}" in reply and chat.session.form is None
    assert f"照片已补充到工单 {no}" in await chat.photo("m1")
    assert f"照片已补充到工单 {no}" in await chat.photo("m2")
    assert chat.ports.complaints[no].photos == ("photo-m1", "photo-m2")


async def test_a_photo_of_a_new_problem_starts_a_complaint_with_it():
    chat = Chat()
    no = await _registered(chat)
    await chat.photo("m1")
    reply = await chat.say("新问题")
    assert "请描述您遇到的问题" in reply and chat.session.form == "complaint"
    assert chat.session.slots["_photos"] == ["photo-m1"]
    assert chat.ports.complaints[no].photos == ()


async def test_a_photo_long_after_registering_starts_a_complaint_as_before():
    chat = Chat()
    await _registered(chat)
    chat.wait(60)
    reply = await chat.photo("m1")
    assert "请再用文字描述" in reply and chat.session.form == "complaint"


# -- B7: a status reply shows the department's answer ---------------------------------
@pytest.mark.parametrize("status", [ComplaintStatus.REPLIED, ComplaintStatus.CLOSED])
async def test_the_status_of_an_answered_ticket_shows_the_answer(status: ComplaintStatus):
    chat = Chat()
    entry = {"round": 1, "text": REPLY, "by": "zjw", "at": chat.ports.now}
    _seed(chat, "20261130-0016", status=status, replies=(entry,))
    reply = await chat.say("查询 20261130-0016")
    assert len(REPLY) > 100 and f"\n答复：{REPLY[:100]}…" in reply


async def test_the_status_of_an_open_ticket_has_no_answer_line():
    chat = Chat()
    _seed(chat, "20261130-0016")
    assert "答复：" not in await chat.say("20261130-0016")


async def test_another_number_instead_of_the_yes_withdraws_that_one_only():
    chat = Chat()
    first = await _registered(chat)
    second = await _registered(chat, "东城区东四十条5号院门口垃圾堆了好几天没人清")
    assert f"确定要撤回工单 {second}" in await chat.say("不要了")
    reply = await chat.say(f"撤回 {first[-4:]}")
    assert f"工单 {second} 没有撤回" in reply and f"确定要撤回工单 {first}" in reply
    await chat.say("确定")
    assert chat.ports.complaints[first].status is ComplaintStatus.WITHDRAWN
    assert chat.ports.complaints[second].status is ComplaintStatus.SUBMITTED
