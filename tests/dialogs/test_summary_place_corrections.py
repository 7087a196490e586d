"""Second review of review 9, still open before this: at the summary "区写错了，是朝阳区",
"不对，是朝阳区" and "不是这里，在学院路30号院" got 没太明白; and "有人掉进去了" while a
missing manhole cover was registered got the category question again."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了，电话13812345678"


async def _at_summary(chat: Chat, text: str = LAMP) -> None:
    chat.suggest("城乡建设")
    await chat.say(text)
    while chat.session.requested != "confirm":
        answer = {"category": "是", "photos": "没有", "district": "海淀区"}
        await chat.say(answer[chat.session.requested or ""])


@pytest.mark.parametrize("said", ["区写错了，是朝阳区", "不对，是朝阳区", "不是海淀，是朝阳"])
async def test_the_district_corrected_at_the_summary(said: str):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(said)
    location = chat.session.slots["location"]
    assert location == {"text": "朝阳区学院路20号院门口", "district": "朝阳区"}, reply
    assert "请核对您的诉求" in reply


async def test_a_district_for_a_place_said_without_one():
    chat = Chat()
    await _at_summary(chat, "学院路20号院门口的路灯坏了，电话13812345678")
    assert chat.session.slots["location"]["district"] == "海淀区"
    await chat.say("不对，是朝阳区")
    assert chat.session.slots["location"]["district"] == "朝阳区"
    assert "学院路20号院" in chat.session.slots["location"]["text"]


@pytest.mark.parametrize("said", ["不是这里，在学院路30号院", "不在这儿，是学院路30号院"])
async def test_another_place_at_the_summary(said: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say(said)
    assert chat.session.slots["location"]["text"] == "海淀区学院路30号院"


async def test_someone_fallen_into_the_hole_being_registered_is_that_emergency():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("通州区梨园镇云景东路的井盖丢了，很危险")
    reply = await chat.say("有人掉进去了")
    assert reply.startswith(m.EMERGENCY["injury"]), reply
    assert "先登记这件紧急的事" not in reply
    assert "有人掉进去了" in chat.session.slots["description"]
    assert chat.session.requested == "category"
