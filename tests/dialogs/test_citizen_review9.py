"""Regressions from the ninth citizen-role review of the complaint dialog: agreement at
the summary said of one item or with "就这样" ("地址没问题", "就这样吧"), a place narrowed
by a landmark ("在超市那边"), a withdrawal's reason kept for staff ("撤回吧，灯已经修好
了", "不用处理了，已经好了"), a place outside Beijing named at the place or district
question ("郑州金水区"), and the district question answered with a hedge, two districts
or "不太清楚"."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"
PLACE = "海淀区学院路20号院门口"
NO_DISTRICT = "幸福花园小区门口的路灯坏了"


async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for said in (LAMP, "是", "13900001111"):
        await chat.say(said)
    assert (await chat.say("没有")).startswith("请核对您的诉求")


# -- 1. the summary: an item said to be right, "就这样" -----------------------------------
@pytest.mark.parametrize(
    "said",
    ["地址没问题", "就这样吧", "就这样", "就这样提交", "电话没错", "地址对的", "电话是对的",
     "地址和电话都没问题", "那就这样吧"],
)  # fmt: skip
async def test_an_item_said_right_or_就这样_registers(said: str):
    chat = Chat()
    await _at_summary(chat)
    assert "已为您登记" in await chat.say(said)
    assert chat.draft.contact_phone == "13900001111" and chat.draft.location.text == PLACE


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
