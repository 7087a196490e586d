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


# -- the summary: corrections said plainly --------------------------------------------
@pytest.mark.parametrize(
    ("said", "line"),
    [
        ("不是，是在北门那边", f"【地点】{PLACE}（北门那边）"),
        ("不对，是北门那边", f"【地点】{PLACE}（北门那边）"),
        ("不是，在北门", f"【地点】{PLACE}（北门）"),
        ("地点改成北门那边", f"【地点】{PLACE}（北门那边）"),
        ("地址写海淀区学院路22号院", "【地点】海淀区学院路22号院\n"),
        ("不对，地址是海淀区学院路22号院", "【地点】海淀区学院路22号院\n"),
        ("地址不是20号院，是22号院", "【地点】海淀区学院路22号院门口\n"),
        ("电话写13812345678", "【电话】13812345678"),
        ("电话填成13812345678", "【电话】13812345678"),
        ("不是，电话是13812345678", "【电话】13812345678"),
        ("不是，是13812345678", "【电话】13812345678"),
        ("不是，是交通那块的", "【类别】交通运输"),
    ],
)
async def test_a_plain_correction_at_the_summary_changes_it(said: str, line: str):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(said)
    assert line in reply and "请核对您的诉求" in reply, reply
    assert chat.session.requested == "confirm" and not chat.ports.registered
    assert "已为您登记" in await chat.say("确认")


async def test_a_place_narrowed_twice_keeps_the_place():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("不是，是在北门那边")
    reply = await chat.say("不对，是南门")
    assert f"【地点】{PLACE}（南门）\n" in reply, reply


async def test_a_narrowed_place_leaves_the_description_as_said():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("不是，是在北门那边")
    await chat.say("确认")
    assert chat.draft.description == LAMP
    assert chat.draft.location.text == f"{PLACE}（北门那边）"


# -- the summary: "确认无误…" answered in words -----------------------------------------
@pytest.mark.parametrize(
    "said", ["对的，就这样提交吧", "没有问题", "没问题，提交", "都对", "好的，没问题"]
)
async def test_a_confirmation_in_words_registers(said: str):
    chat = Chat()
    await _at_summary(chat)
    assert "已为您登记" in await chat.say(said)


# "地址没问题" alone agrees (the ninth review): see test_citizen_review9
@pytest.mark.parametrize("said", ["电话不对", "地址没写对", "电话没写对"])
async def test_a_slot_named_with_不_or_没_is_no_confirmation(said: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say(said)
    assert not chat.ports.registered


@pytest.mark.parametrize(
    ("said", "category"), [("不是交通，是环保", "环境保护"), ("不是城建，是环保方面的", "环境保护")]
)
async def test_the_category_it_is_after_the_one_it_is_not(said: str, category: str):
    chat = Chat()
    await _at_category(chat)
    await chat.say(said)
    assert chat.session.slots.get("category") == category
