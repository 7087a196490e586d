"""Regressions from the eighth citizen-role review, at the complaint form's steps:
corrections said plainly at the summary ("不是，是在北门那边", "电话写138…"), a
confirmation said in words ("对的，就这样提交吧", "没有问题"), a category named by a
distinctive part ("属于教育", "不是，是交通那块的"), and "换一个" to the last phone
offered."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"
PLACE = "海淀区学院路20号院门口"


async def _at_category(chat: Chat) -> str:
    chat.suggest("城乡建设")
    return await chat.say(LAMP)


async def _at_summary(chat: Chat, phone: str = "13900001111") -> str:
    await _at_category(chat)
    for said in ("是", phone):
        await chat.say(said)
    reply = await chat.say("没有")
    assert reply.startswith("请核对您的诉求"), reply
    return reply


async def _at_last_phone(chat: Chat) -> str:
    await _at_summary(chat, "13800005678")
    assert "已为您登记" in await chat.say("确认")
    chat.wait(60 * 24)
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了一个多星期")
    return await chat.say("是")  # the category


# -- the category question: a distinctive part of a category's name ------------------
@pytest.mark.parametrize(
    ("said", "category"),
    [
        ("不是，是交通那块的", "交通运输"),
        ("应该是环保方面的", "环境保护"),
        ("属于教育", "教育文体"),
        ("我觉得是交通问题吧", "交通运输"),
        ("社保那块", "劳动和社会保障"),
        ("医疗方面的", "卫生计生"),
        ("3", "交通运输"),  # the numbers stay as they were
    ],
)
async def test_a_category_named_by_its_distinctive_part(said: str, category: str):
    chat = Chat()
    await _at_category(chat)
    reply = await chat.say(said)
    assert chat.session.slots.get("category") == category, reply
    assert m.ASK_PHONE in reply


async def test_a_category_part_at_the_summary_corrects_it():
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say("类别应该是交通方面的")
    assert "【类别】交通运输" in reply, reply
    assert chat.session.requested == "confirm"


async def test_two_categories_named_are_not_guessed():
    chat = Chat()
    await _at_category(chat)
    await chat.say("交通还是环保")
    assert "category" not in chat.session.slots


# -- "还用上次的电话…吗？": another number meant, not yet given -----------------------------
@pytest.mark.parametrize("said", ["不是，用我老婆的", "换一个", "用我老婆的", "换个号码"])
async def test_another_number_to_the_last_phone_asks_for_it(said: str):
    chat = Chat()
    assert "还用上次的电话 138****5678 吗？" in await _at_last_phone(chat)
    assert await chat.say(said) == m.ASK_NEW_PHONE
    assert "contact_phone" not in chat.session.slots
    assert m.ASK_PHOTOS in await chat.say("13912345678")
    assert chat.session.slots["contact_phone"] == "13912345678"
