"""Regressions from the ninth citizen-role review of the complaint dialog: agreement at
the summary said of one item or with "就这样" ("地址没问题", "就这样吧"), a place narrowed
by a landmark ("在超市那边"), a withdrawal's reason kept for staff ("撤回吧，灯已经修好
了", "不用处理了，已经好了"), a place outside Beijing named at the place or district
question ("郑州金水区"), and the district question answered with a hedge, two districts
or "不太清楚"."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from dialogs.extract import districts_named, outside_beijing
from models.complaint import ComplaintStatus
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"
PLACE = "海淀区学院路20号院门口"
NO_DISTRICT = "幸福花园小区门口的路灯坏了"


async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for said in (LAMP, "是", "13900001111"):
        await chat.say(said)
    assert (await chat.say("没有")).startswith("请核对您的诉求")


# -- 1. the summary: items said to be right, "就这样" --------------------------------------
# One item alone ("地址没问题") no longer registers (review 9b #7): see below
@pytest.mark.parametrize(
    "said",
    ["就这样吧", "就这样", "就这样提交", "地址和电话都没问题", "那就这样吧", "都没问题", "全都对",
     "地址没问题，电话也没问题", "算了，就这样吧", "就这样吧，快点处理", "就这样吧，尽快处理",
     "确认，快点来修"],
)  # fmt: skip
async def test_an_item_said_right_or_就这样_registers(said: str):
    chat = Chat()
    await _at_summary(chat)
    assert "已为您登记" in await chat.say(said)
    assert chat.draft.contact_phone == "13900001111" and chat.draft.location.text == PLACE


@pytest.mark.parametrize(
    ("said", "item"),
    [("地址没问题", "地址"), ("照片没问题", "照片"), ("时间没问题", "时间"), ("电话没错", "电话"),
     ("地址对的", "地址"), ("电话是对的", "电话"), ("问题描述没问题", "问题描述"),
     ("好的，地址没问题", "地址")],
)  # fmt: skip
async def test_one_item_said_right_is_acknowledged_and_registers_nothing(said: str, item: str):
    # a citizen checking item by item ("地址没问题" … "电话写错了") means only that item
    chat = Chat()
    await _at_summary(chat)
    assert await chat.say(said) == m.ONE_ITEM_CHECKED.format(item=item)
    assert not chat.ports.registered and chat.session.requested == "confirm"
    assert await chat.say("电话写错了") == m.ASK_PHONE  # the next item can still be fixed
    assert not chat.ports.registered


async def test_a_yes_after_one_item_checked_registers():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("地址没问题")
    assert "已为您登记" in await chat.say("对")


@pytest.mark.parametrize(
    ("said", "asked"),
    [("地址不对", m.ASK_LOCATION), ("电话没写对", m.ASK_PHONE), ("电话不正确", m.ASK_PHONE),
     ("地址没问题，电话不对", m.ASK_PHONE)],
)  # fmt: skip
async def test_an_item_said_wrong_asks_for_it_again(said: str, asked: str):
    chat = Chat()
    await _at_summary(chat)
    assert await chat.say(said) == asked
    assert not chat.ports.registered


# -- 2. the summary: the place narrowed by a landmark ------------------------------------
@pytest.mark.parametrize("said", ["描述那里", "描述那里要改一下", "描述要改一下"])
async def test_an_item_pointed_at_is_no_landmark_and_is_asked_for_again(said: str):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(said)
    assert "地点已改为" not in reply and "（描述" not in reply, reply
    assert reply == m.ASK_DESCRIPTION  # asked for the new text, "一下" never taken for it
    assert chat.session.requested == "description" and chat.session.slots["location"]
    await chat.say("晚上特别黑，已经一个星期了")
    await chat.say("确认")
    assert chat.draft.location.text == PLACE
    assert chat.draft.description.startswith("晚上特别黑")


@pytest.mark.parametrize(
    ("said", "slot"), [("电话这边不对", "contact_phone"), ("地址那里要改一下", "location")]
)
async def test_another_item_pointed_at_is_asked_for_again(said: str, slot: str):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(said)
    assert "地点已改为" not in reply and chat.session.requested == slot, reply


@pytest.mark.parametrize(
    ("said", "part"),
    [
        ("不是，是在超市那边", "超市那边"),
        ("在超市那边", "超市那边"),
        ("超市门口那边", "超市门口那边"),
        ("在物美超市旁边", "物美超市旁边"),
        ("菜市场对面", "菜市场对面"),
        ("北门那边", "北门那边"),
    ],
)
async def test_a_landmark_side_narrows_the_place(said: str, part: str):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(said)
    assert m.PLACE_CORRECTED.format(place=f"{PLACE}（{part}）") in reply, reply
    await chat.say("确认")
    assert chat.draft.location.text == f"{PLACE}（{part}）"
    assert chat.draft.location.district == "海淀区" and chat.draft.description == LAMP


@pytest.mark.parametrize(
    ("said", "place"),
    [
        ("不是，是在朝阳区望京西园三区12号楼那边", "朝阳区望京西园三区12号楼那边"),
        ("不是，是在望京西园那边", "望京西园那边"),
    ],
)
async def test_a_whole_address_still_replaces_the_place(said: str, place: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say(said)
    await chat.say("确认")
    assert chat.draft.location.text == place


async def test_a_category_said_with_那边_is_the_category_not_a_place():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("不是，是交通那边的")
    await chat.say("确认")
    assert chat.draft.category == "交通运输" and chat.draft.location.text == PLACE


# -- 3. a withdrawal's reason -----------------------------------------------------------
async def _registered(chat: Chat, description: str = LAMP) -> str:
    chat.suggest("城乡建设")
    for said in (description, "是", "匿名", "没有"):
        await chat.say(said)
    assert "已为您登记" in await chat.say("确认")
    return chat.session.last_no


def _withdrawn_with(chat: Chat, no: str) -> list[str]:
    complaint = chat.ports.complaints[no]
    assert complaint.status is ComplaintStatus.WITHDRAWN
    return [event.reason for event in complaint.history if event.action == "withdraw"]


@pytest.mark.parametrize(
    ("said", "reason"),
    [
        ("撤回吧，灯已经修好了", "灯已经修好了"),
        ("撤回，因为物业已经处理了", "物业已经处理了"),
        ("不用处理了，已经好了", "已经好了"),
        ("问题已经解决了，撤回吧", "问题已经解决了"),
        ("刚才那个不要了，物业已经清了", "物业已经清了"),
    ],
)
async def test_a_reason_said_with_a_withdrawal_goes_with_it(said: str, reason: str):
    chat = Chat()
    no = await _registered(chat)
    chat.wait(2)
    assert m.WITHDRAW_CONFIRM.format(no=no, short="路灯坏了") == await chat.say(said)
    assert "已撤回" in await chat.say("确定")
    assert _withdrawn_with(chat, no) == [reason]


async def test_a_reason_after_the_number_goes_with_it():
    chat = Chat()
    no = await _registered(chat)
    await chat.say(f"撤回 {no}，灯已经修好了")
    await chat.say("确定")
    assert _withdrawn_with(chat, no) == ["灯已经修好了"]


async def test_a_reason_said_with_the_yes_goes_with_it():
    chat = Chat()
    no = await _registered(chat)
    await chat.say("撤回")
    assert m.WITHDRAWN.format(no=no) in await chat.say("确定，灯已经修好了")
    assert _withdrawn_with(chat, no) == ["灯已经修好了"]


async def test_a_reason_waits_while_the_ticket_is_picked():
    chat = Chat()
    lamp = await _registered(chat)
    await _registered(chat, "东城区东四十条5号院门口垃圾没人清")
    chat.wait(120)  # neither is "just registered": both are listed
    assert (await chat.say("撤回吧，灯已经修好了")).startswith(m.WITHDRAW_WHICH)
    await chat.say("2")
    await chat.say("确定")
    assert _withdrawn_with(chat, lamp) == ["灯已经修好了"]


async def test_a_plain_withdrawal_has_no_reason():
    chat = Chat()
    no = await _registered(chat)
    await chat.say("撤回")
    await chat.say("确定")
    assert _withdrawn_with(chat, no) == [""]


async def test_no_longer_needed_with_something_else_is_no_withdrawal():
    chat = Chat()
    no = await _registered(chat)
    await chat.say("不用管了，楼道灯也坏了")
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED
    assert chat.session.offer != "withdraw"


# -- 4. a place outside Beijing ---------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "named"),
    [("郑州金水区", "郑州"), ("金水区", "金水区"), ("上海浦东新区", "上海"), ("天津和平区", "天津"),
     ("河北燕郊", "燕郊")],
)  # fmt: skip
async def test_a_place_outside_beijing_is_sent_to_the_local_hotline(said: str, named: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("路灯坏了好几天了")
    reply = await chat.say(said)
    assert reply == f"{m.OUTSIDE_BEIJING.format(place=named)}\n{m.ASK_BEIJING_PLACE}"
    assert chat.session.requested == "location" and "location" not in chat.session.slots
    await chat.say("海淀区学院路20号院")  # the draft was kept: a Beijing place goes on
    assert chat.session.requested == "category"
    assert chat.session.slots["description"] == "路灯坏了好几天了"


async def test_a_district_outside_beijing_at_the_district_question():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    reply = await chat.say("郑州金水区")
    assert reply == f"{m.OUTSIDE_BEIJING.format(place='郑州')}\n{m.ASK_BEIJING_DISTRICT}"
    assert chat.session.requested == "district"
    await chat.say("海淀区")
    assert chat.session.slots["location"]["district"] == "海淀区"


async def test_a_described_place_outside_beijing_is_not_asked_its_district():
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say("郑州金水区经三路的路灯坏了好几天")
    assert reply == f"{m.OUTSIDE_BEIJING.format(place='郑州')}\n{m.ASK_BEIJING_PLACE}"
    assert chat.session.requested == "location"


@pytest.mark.parametrize(
    "said",
    ["朝阳区", "朝阳", "北京朝阳区", "和平里七区", "西安门大街", "广州大厦门口", "天津路12号",
     "西城区长春街", "海淀"],
)  # fmt: skip
def test_beijing_names_are_not_outside_beijing(said: str):
    assert outside_beijing(said) == ""


async def test_朝阳区_alone_is_beijing_at_the_place_question():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("路灯坏了好几天了")
    assert await chat.say("朝阳区") == m.ASK_LOCATION_STREET.format(district="朝阳区")


# -- 5. the district question -----------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "district"),
    [("是在海淀区吗？", "海淀区"), ("应该是海淀吧", "海淀区"), ("好像是海淀区", "海淀区"),
     ("不是朝阳，是海淀", "海淀区"), ("应该是海淀吧？不是朝阳", "海淀区"),
     ("我也不太清楚", ""), ("不清楚哎", ""), ("不知道，你们查一下吧", ""), ("不是很清楚", "")],
)  # fmt: skip
async def test_the_district_question_answered_in_words(said: str, district: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    reply = await chat.say(said)
    assert chat.session.requested == "category", reply
    assert chat.session.slots["location"]["district"] == district
    assert (m.DISTRICT_LEFT_TO_STAFF in reply) == (not district)


async def test_two_districts_at_the_district_question_ask_which():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    asked = m.DISTRICT_WHICH.format(districts="海淀区还是朝阳区")
    assert await chat.say("海淀还是朝阳来着") == asked
    await chat.say("朝阳")
    assert chat.session.slots["location"]["district"] == "朝阳区"


def test_districts_named_leaves_out_the_one_it_is_not():
    assert districts_named("不是朝阳，是海淀") == ["海淀区"]
    assert districts_named("朝阳门那边") == []


# -- review 9b Medium #4: a Beijing place next to a Hebei town ----------------------------
@pytest.mark.parametrize(
    "said", ["燕郊到国贸", "国贸到燕郊的班车", "涿州到望京", "燕郊到学院路20号院"]
)
def test_a_beijing_place_beside_a_town_outside_is_beijing(said: str):
    assert outside_beijing(said) == ""


@pytest.mark.parametrize(
    ("said", "named"), [("燕郊的东方大厦", "燕郊"), ("燕郊那边的检查站", "燕郊")]
)
def test_a_place_of_the_town_outside_is_still_outside(said: str, named: str):
    assert outside_beijing(said) == named


@pytest.mark.parametrize("said", ["燕郊到国贸", "国贸到燕郊的班车"])
async def test_a_route_into_beijing_is_kept_as_the_place(said: str):
    chat = Chat()
    chat.suggest("交通运输")
    await chat.say("班车太挤了每天早上都上不去车")
    assert chat.session.requested == "location"
    reply = await chat.say(said)
    assert m.OUTSIDE_BEIJING.format(place="燕郊") not in reply, reply
    assert chat.session.slots["location"] == {"text": said, "district": "朝阳区"}
    assert chat.session.slots["description"] == "班车太挤了每天早上都上不去车"
