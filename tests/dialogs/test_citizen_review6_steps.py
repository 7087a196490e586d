"""Regressions from the sixth citizen-role review (B1, B5, B13, B15): steps that
stalled older citizens or asked again what the bot already knew."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from models.inbound import InboundKind
from tests.dialogs.chat import Chat

HEATING = "暖气片一点都不热，家里才十几度，西城区白纸坊东街18号院3号楼"


# -- B1: the category question
async def _at_category(chat: Chat) -> str:
    chat.suggest("城乡建设", 0.6)
    reply = await chat.say(HEATING)
    assert "这个问题属于【城乡建设】吗？回复“是”确认" in reply
    return reply


@pytest.mark.parametrize("said", ["中", "嗯呐", "对头", "没毛病", "要得", "行", "中！"])
async def test_dialect_yes_words_confirm_the_suggested_category(said: str):
    chat = Chat()
    await _at_category(chat)
    assert m.ASK_PHONE in await chat.say(said)
    assert chat.session.slots["category"] == "城乡建设"


@pytest.mark.parametrize("said", ["啥", "什么意思", "嘛意思", "啥意思", "啥？"])
async def test_what_does_that_mean_is_explained_in_one_sentence_not_counted(said: str):
    chat = Chat()
    await _at_category(chat)
    for _ in range(3):  # never "如果说不清楚，可以回复“跳过”…"
        reply = await chat.say(said)
        assert reply.startswith(
            "就是这件事归哪一类管，好转给对应部门。不清楚回复“不知道”，由工作人员来分。\n"
        )
        assert "这个问题属于【城乡建设】吗？" in reply
        assert m.TOO_MANY_FAILURES_SKIPPABLE not in reply
    assert chat.session.failures.get("category", 0) == 0
    assert m.ASK_PHONE in await chat.say("不知道")
    assert chat.session.slots["category"] == ""


async def test_a_dialect_yes_with_no_suggestion_is_not_a_category():
    chat = Chat()
    # no model, no keyword match: the plain list, where 中 picks nothing
    assert "请回复序号" in await chat.say("西城区白纸坊东街18号院3号楼门口有个东西一直响，好几天了")
    assert "请回复 1-7 的序号" in await chat.say("中")
    assert "category" not in chat.session.slots


async def test_the_suggested_category_is_left_out_of_the_list_and_numbers_stay():
    chat = Chat()
    reply = await _at_category(chat)
    assert "1. 城乡建设" not in reply and "2. 环境保护" in reply and "7. 卫生计生" in reply
    assert m.ASK_PHONE in await chat.say("3")  # "3" is 交通运输 whatever is suggested
    assert chat.session.slots["category"] == "交通运输"


# -- B5: the phone of a recent complaint is offered again
POTHOLE = "西城区白纸坊东街18号院门口有个大坑"
LAMP = "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期"
OFFER = "还用上次的电话 138****1113 吗？回复“是”，或发送新号码；不想留电话请回复“匿名”。"


async def _filed_with(chat: Chat, phone: str) -> None:
    chat.suggest("城乡建设")
    await chat.say(POTHOLE)
    await chat.say("是")
    for answer in (phone, "好了"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")


async def _at_phone(chat: Chat) -> str:
    await chat.say(LAMP)
    return await chat.say("是")  # the category


async def test_the_phone_of_last_weeks_complaint_is_offered_and_是_keeps_it():
    chat = Chat()
    await _filed_with(chat, "13800001113")
    chat.wait(60 * 24 * 7)
    assert await _at_phone(chat) == OFFER
    assert m.ASK_PHOTOS in await chat.say("是")
    assert chat.session.slots["contact_phone"] == "13800001113"


@pytest.mark.parametrize(
    ("said", "phone"),
    [("匿名", ""), ("13911112222", "13911112222"), ("010-62345678", "010-62345678")],
)
async def test_at_the_offer_anonymity_and_a_new_number_still_work(said: str, phone: str):
    chat = Chat()
    await _filed_with(chat, "13800001113")
    assert await _at_phone(chat) == OFFER
    assert m.ASK_PHOTOS in await chat.say(said)
    assert chat.session.slots["contact_phone"].replace("-", "") == phone.replace("-", "")


async def test_at_the_offer_a_bad_number_is_refused_and_不是_asks_for_a_new_one():
    chat = Chat()
    await _filed_with(chat, "13800001113")
    assert await _at_phone(chat) == OFFER
    assert "11 位" in await chat.say("1380000111")
    assert "contact_phone" not in chat.session.slots
    assert await chat.say("不是") == m.ASK_NEW_PHONE
    assert m.ASK_PHOTOS in await chat.say("13911112222")
    assert chat.session.slots["contact_phone"] == "13911112222"


async def test_no_offer_after_30_days_or_after_an_anonymous_complaint():
    chat = Chat()
    await _filed_with(chat, "13800001113")
    chat.wait(60 * 24 * 31)
    assert await _at_phone(chat) == m.ASK_PHONE
    other = Chat()
    await _filed_with(other, "匿名")
    assert await _at_phone(other) == m.ASK_PHONE


# -- B13: a second complaint right after the first, about "小区里…"
HEATING_YJL = "通州区梨园镇云景里小区的暖气一直不热"
SAME_PLACE = "还是在 通州区梨园镇云景里小区 吗？回复“是”，或发送新地址。"


async def _registered_at_yunjingli(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for answer in (HEATING_YJL, "是", "13800001113", "好了"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")


@pytest.mark.parametrize(
    "said",
    [
        "还有个事，小区里的健身器材坏了",
        "我们小区的健身器材坏了好几天了",
        "小区里…健身器材坏了",
        "还是那个地方，路灯又不亮了",
    ],
)
async def test_a_second_complaint_about_the_same_compound_is_offered_its_address(said: str):
    chat = Chat()
    await _registered_at_yunjingli(chat)
    chat.wait(3)
    assert SAME_PLACE in await chat.say(said)
    await chat.say("是")
    assert chat.session.slots["location"]["text"] == "通州区梨园镇云景里小区"
    assert chat.session.slots["location"]["district"] == "通州区"
    assert chat.session.requested == "category"


async def test_a_new_address_or_不是_answers_the_offer():
    chat = Chat()
    await _registered_at_yunjingli(chat)
    assert SAME_PLACE in await chat.say("还有个事，小区里的健身器材坏了")
    assert await chat.say("不是") == m.ASK_NEW_PLACE
    await chat.say("朝阳区望京西园三区")
    assert chat.session.slots["location"]["text"] == "朝阳区望京西园三区"
    other = Chat()
    await _registered_at_yunjingli(other)
    await other.say("还有个事，小区里的健身器材坏了")
    await other.say("朝阳区望京西园三区")
    assert other.session.slots["location"]["text"] == "朝阳区望京西园三区"


async def test_no_offer_an_hour_later():
    chat = Chat()
    await _registered_at_yunjingli(chat)
    chat.wait(60)
    assert m.ASK_LOCATION in await chat.say("还有个事，小区里的健身器材坏了")


# -- B15: a video or a link gets a hint of what to send instead
async def test_a_video_is_answered_with_what_to_send_instead():
    chat = Chat()
    reply = await chat.send(InboundKind.VIDEO, media_id="v1")
    assert reply == "暂不支持视频，可以截几张图片发来，或用文字说明情况。"


async def test_a_video_mid_form_gets_the_hint_and_the_question_again():
    chat = Chat()
    await chat.say("楼下饭馆天天半夜搬东西，吵得睡不着")
    reply = await chat.send(InboundKind.VIDEO, media_id="v1")
    assert reply.startswith(m.VIDEO_UNSUPPORTED) and m.ASK_LOCATION in reply
    assert chat.session.requested == "location"


async def test_a_link_is_answered_with_what_to_send_instead():
    chat = Chat()
    reply = await chat.send(InboundKind.LINK, text="小区停车乱收费", key="https://example.com/a")
    assert reply == m.LINK_UNSUPPORTED
