"""Answers to the phone and category questions in the words citizens use."""

from __future__ import annotations

import pytest

from dialogs.complaint_form import ComplaintForm
from tests.dialogs.chat import Chat

FORM = ComplaintForm()


async def at_phone() -> Chat:
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("丰台区马家堡东路88号小区的电梯经常困人")
    await chat.say("是")
    assert chat.session.requested == "contact_phone"
    return chat


@pytest.mark.parametrize(
    ("answer", "phone"),
    [
        ("１３８１２３４５６７８", "13812345678"),
        ("一三八一二三四五六七八。", "13812345678"),
        ("幺三八一二三四五六七八", "13812345678"),
        ("０１０－６２３４５６７８", "010-62345678"),
        ("没有", ""),
        ("没有电话", ""),
        ("无", ""),
    ],
)
async def test_phone_answers_in_other_scripts_and_no_phone(answer, phone):
    chat = await at_phone()
    reply = await chat.say(answer)
    assert "格式不对" not in reply
    assert chat.session.slots["contact_phone"] == phone
    assert chat.session.requested == "photos"


async def test_a_full_width_phone_in_the_description_is_kept_out_of_it():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("丰台区马家堡东路88号小区的电梯经常困人，电话１３８１２３４５６７８")
    assert chat.session.slots["contact_phone"] == "13812345678"
    assert "１３８" not in chat.session.slots["description"]


@pytest.mark.parametrize(
    ("answer", "category"),
    [
        ("环保", "环境保护"),
        ("环境", "环境保护"),
        ("城建", "城乡建设"),
        ("住建", "城乡建设"),
        ("交通", "交通运输"),
        ("教育", "教育文体"),
        ("文体", "教育文体"),
        ("社保", "劳动和社会保障"),
        ("劳动", "劳动和社会保障"),
        ("商贸", "商贸旅游"),
        ("旅游", "商贸旅游"),
        ("卫生", "卫生计生"),
        ("医疗", "卫生计生"),
        ("属于环保类", "环境保护"),
        ("是社保问题", "劳动和社会保障"),
    ],
)
def test_short_category_names(answer, category):
    checked = FORM.validate_category(answer, {"_suggested": "城乡建设"})
    assert checked.value == category, checked.error


def test_short_names_only_for_categories_in_use():
    form = ComplaintForm(("城乡建设", "环境保护"))
    assert form.validate_category("环保", {}).value == "环境保护"
    assert not form.validate_category("社保", {}).ok


async def test_skipping_the_category_leaves_it_to_staff_like_bu_zhidao():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了")
    await chat.say("跳过")
    assert chat.session.slots["category"] == ""
    assert chat.session.requested == "contact_phone"


STREET_LIGHT = "朝阳区望京西园三区12号楼门口的路灯坏了"
ANSWERS = {"category": "是", "contact_phone": "匿名", "photos": "没有"}


async def until_asked(chat: Chat, slot: str) -> None:
    """Report the street light and answer each question until `slot` is asked."""
    chat.suggest("城乡建设")
    await chat.say(STREET_LIGHT)
    while chat.session.requested != slot:
        await chat.say(ANSWERS[chat.session.requested])


async def registered_with_wide_number(chat: Chat) -> tuple[str, str]:
    """The ticket number of a registered complaint, and as full-width digits."""
    await until_asked(chat, "confirm")
    await chat.say("确认")
    no = chat.session.last_no
    return no, no.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))


async def test_a_full_width_ticket_number_is_queried():
    chat = Chat()
    no, wide = await registered_with_wide_number(chat)
    reply = await chat.say(f"查询{wide}")
    assert no in reply and "已登记" in reply


async def test_a_bare_full_width_ticket_number_is_queried():
    chat = Chat()
    no, wide = await registered_with_wide_number(chat)
    assert no in await chat.say(wide)


async def test_a_supplement_to_a_full_width_ticket_number_keeps_only_the_words():
    chat = Chat()
    no, wide = await registered_with_wide_number(chat)
    await chat.say(f"补充 {wide} 晚上更黑了")
    assert chat.ports.complaints[no].history[-1].reason == "晚上更黑了"


@pytest.mark.parametrize("answer", ["不用了", "不用", "没有"])
async def test_no_thanks_to_the_phone_question_means_anonymous_not_cancel(answer):
    chat = Chat()
    await until_asked(chat, "contact_phone")
    assert chat.session.requested == "contact_phone"
    await chat.say(answer)
    assert chat.session.form == "complaint" and chat.session.requested == "photos"
    assert chat.session.slots["contact_phone"] == ""


@pytest.mark.parametrize("answer", ["算了", "不用了谢谢", "没有，谢谢"])
async def test_more_ways_to_decline_the_phone(answer):
    chat = Chat()
    await until_asked(chat, "contact_phone")
    await chat.say(answer)
    assert chat.session.form == "complaint" and chat.session.requested == "photos"


@pytest.mark.parametrize("answer", ["确认，谢谢", "好的，确认", "确认提交"])
async def test_confirming_in_natural_words(answer):
    chat = Chat()
    await until_asked(chat, "confirm")
    assert "工单编号" in await chat.say(answer)


async def test_dropping_the_photos_at_the_summary_goes_back_to_the_summary():
    chat = Chat()
    await until_asked(chat, "photos")
    await chat.photo("m1")
    await chat.say("好了")
    assert chat.session.requested == "confirm"
    reply = await chat.say("照片不要了")
    assert chat.session.requested == "confirm" and "【照片】无" in reply
    assert "工单编号" in await chat.say("确认")
    assert chat.draft.photos == ()


async def test_sending_the_photos_again_asks_for_them():
    chat = Chat()
    await until_asked(chat, "photos")
    await chat.photo("m1")
    await chat.say("好了")
    await chat.say("照片重新传")
    assert chat.session.requested == "photos"


async def test_photos_sent_early_are_counted_not_announced_as_just_received():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(STREET_LIGHT)
    await chat.photo("early")
    await chat.say("是")
    reply = await chat.say("13812345678")
    assert chat.session.requested == "photos"
    assert "已收到第" not in reply and "已有您发来的 1 张照片" in reply
