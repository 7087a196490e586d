"""Long texts once, then one line: the citizen's phone screen is small.

The nine-line help after "没看明白" and the eight-line category list after every
interruption pushed the conversation off the screen.
"""

from __future__ import annotations

import pytest

from dialogs import messages as m
from dialogs.session import Session
from models.inbound import InboundKind
from tests.dialogs.chat import Chat


# -- 没看明白: the help in full once a visit, then a pointer to it --------------------
async def test_not_understood_shows_the_help_once_then_points_to_it():
    chat = Chat()
    first = await chat.say("asdfgh")
    assert m.NOT_UNDERSTOOD in first and m.HELP in first
    second = await chat.say("qwerty")
    assert second == f"{m.NOT_UNDERSTOOD}\n{m.HELP_POINTER}"


async def test_help_asked_for_is_always_in_full_and_counts_as_shown():
    chat = Chat()
    assert await chat.say("帮助") == m.HELP
    assert await chat.say("帮助") == m.HELP
    assert m.HELP not in await chat.say("asdfgh")


async def test_the_help_is_shown_in_full_again_on_a_later_visit():
    chat = Chat()
    await chat.say("asdfgh")
    chat.wait(60 * 24)
    assert m.HELP in await chat.say("asdfgh")


async def test_the_help_stays_shown_after_a_registration():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("asdfgh")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了一个多星期")
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    assert chat.session.last_no
    assert m.HELP not in await chat.say("asdfgh")


async def test_an_old_stored_session_loads_and_gets_the_full_help():
    chat = Chat()
    stored = Session("o_test", last_no="20261128-0001").to_dict()
    stored.pop("help_shown", None)  # written before the field existed
    chat.session = Session.from_dict(stored, "o_test")
    assert m.HELP in await chat.say("asdfgh")
    assert Session.from_dict(chat.session.to_dict(), "o_test") == chat.session


# -- the category list: in full once, then one line after an interruption -------------
LIST = "7. 卫生计生"  # the last line of the list (the suggested category is left out of it)


async def at_category(chat: Chat) -> str:
    chat.suggest("城乡建设")
    reply = await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了一个多星期")
    assert chat.session.requested == "category"
    assert LIST in reply
    return reply


async def test_a_photo_at_the_category_question_repeats_it_in_one_line():
    chat = Chat()
    await at_category(chat)
    reply = await chat.photo("m1")
    assert LIST not in reply
    assert reply.splitlines() == [
        "已收到第 1 张照片。",
        "这个问题属于【城乡建设】吗？回复“是”确认，或回复 1-7 选其他类别；发“类别”可看列表。",
    ]
    reply = await chat.photo("m2")
    assert LIST not in reply and "属于【城乡建设】" in reply
    await chat.say("是")
    assert chat.session.slots["category"] == "城乡建设"


async def test_voice_menu_and_side_questions_get_the_one_line_reminder():
    chat = Chat()
    await at_category(chat)
    for reply in (
        await chat.send(InboundKind.VOICE, media_id="v"),
        await chat.say("多久能回复？"),
        await chat.say("你好"),
    ):
        assert LIST not in reply and "回复 1-7" in reply, reply
    # a menu's answer recalls the draft in one line of its own; "继续" the question
    reply = await chat.click("MY_COMPLAINTS")
    assert LIST not in reply and "回复“继续”接着填写" in reply, reply
    reply = await chat.say("继续")
    assert LIST not in reply and "回复 1-7" in reply, reply


async def test_the_reminder_without_a_suggestion_offers_numbers_and_不知道():
    chat = Chat()
    await at_category(chat)
    assert LIST in await chat.say("不是")  # the suggestion refused: the list to pick from
    reply = await chat.photo("m1")
    assert LIST not in reply
    assert m.CATEGORY_REMINDER_PICK.format(count=7) in reply
    await chat.say("2")
    assert chat.session.slots["category"] == "环境保护"


@pytest.mark.parametrize("ask", ["有哪些类别", "类别", "都有什么类别？", "类别有哪些", "选项呢"])
async def test_asking_for_the_categories_shows_the_list_again(ask: str):
    chat = Chat()
    await at_category(chat)
    await chat.photo("m1")
    reply = await chat.say(ask)
    assert LIST in reply and "属于【城乡建设】" in reply
    assert chat.session.requested == "category"
    assert chat.session.slots["_suggested"] == "城乡建设"  # asking is not refusing it
    assert LIST not in await chat.photo("m2")


async def test_a_second_wrong_choice_shows_the_list_again():
    chat = Chat()
    await at_category(chat)
    await chat.photo("m1")
    first = await chat.say("12")
    assert LIST not in first and "1-7" in first
    second = await chat.say("第九个")
    assert LIST in second and "1-7" in second


async def test_the_list_is_shown_in_full_after_a_break():
    chat = Chat()
    await at_category(chat)
    chat.wait(45)
    assert LIST in await chat.say("继续")
    assert LIST not in await chat.photo("m1")


async def test_an_old_stored_draft_at_the_category_question_shows_the_list_once():
    chat = Chat()
    await at_category(chat)
    stored = chat.session.to_dict()
    stored["slots"].pop("_listed", None)  # saved before the note existed
    chat.session = Session.from_dict(stored, "o_test")
    assert LIST in await chat.photo("m1")
    assert LIST not in await chat.photo("m2")


async def test_a_location_sent_at_the_category_question_gets_the_reminder():
    chat = Chat()
    await at_category(chat)
    reply = await chat.location(39.99, 116.47, "北京市朝阳区望京西园三区")
    assert LIST not in reply and "属于【城乡建设】" in reply
    assert chat.session.slots["location"]["lat"] == 39.99
