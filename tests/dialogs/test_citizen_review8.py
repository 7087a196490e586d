"""Regressions from the eighth citizen-role review, after yes and no got one reader:
a yes or no said with more in the same message ("没有，灯杆也歪了", "对的，就是那个
地方", "不用了，就是想说一声"), Cantonese yes and no, a landline given with "我没有手机"."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"


async def _at_photos(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    await chat.say("匿名")
    assert chat.session.requested == "photos"


# -- a no to "有照片吗？" with more said after it --------------------------------------------
@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("没有，灯杆也歪了", "灯杆也歪了"),
        ("没有照片，不过灯是昨天晚上开始不亮的", "灯是昨天晚上开始不亮的"),
        ("莫得，晚上黑得很看不见路", "晚上黑得很看不见路"),
    ],
)
async def test_a_no_to_photos_with_more_keeps_the_more(said: str, kept: str):
    chat = Chat()
    await _at_photos(chat)
    reply = await chat.say(said)
    assert m.DRAFT_SUPPLEMENTED in reply and "请核对您的诉求" in reply, reply
    assert await chat.say("确认")
    assert chat.draft.description == f"{LAMP}；{kept}" and chat.draft.photos == ()


async def test_a_no_to_photos_then_another_problem_holds_it_without_the_no():
    chat = Chat()
    await _at_photos(chat)
    reply = await chat.say("没有。另外这个灯晚上一直闪")
    assert "另一件事“这个灯晚上一直闪”已记下" in reply and "请核对您的诉求" in reply, reply


@pytest.mark.parametrize("said", ["没有", "没有，谢谢", "不用了"])
async def test_a_plain_no_to_photos_adds_nothing(said: str):
    chat = Chat()
    await _at_photos(chat)
    reply = await chat.say(said)
    assert m.DRAFT_SUPPLEMENTED not in reply and "请核对您的诉求" in reply


# -- Cantonese: 系 / 唔系 / 冇 / 唔使 ---------------------------------------------------------
async def test_a_cantonese_speaker_files_a_complaint_with_系_and_冇():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    assert "联系电话" in await chat.say("系呀")
    assert "现场照片" in await chat.say("唔使")
    assert "请核对您的诉求" in await chat.say("冇")
    assert "已为您登记" in await chat.say("系")
    assert chat.draft.category == "城乡建设" and chat.draft.contact_phone == ""


async def test_唔系_to_the_suggested_category_shows_the_list():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    reply = await chat.say("唔系")
    assert reply.startswith("请回复序号选择问题类别") and "1. 城乡建设" in reply


# -- "我没有手机" with a landline after it ----------------------------------------------------
async def _at_phone(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    assert chat.session.requested == "contact_phone"


@pytest.mark.parametrize("said", ["我没有手机，就座机62345678", "没手机 打家里电话 6234 5678"])
async def test_no_mobile_but_a_landline_is_never_no_phone(said: str):
    chat = Chat()
    await _at_phone(chat)
    await chat.say(said)
    assert chat.session.slots["contact_phone"] == "010-62345678"


@pytest.mark.parametrize("said", ["我没有手机", "莫得电话"])
async def test_no_mobile_without_a_number_is_no_phone(said: str):
    chat = Chat()
    await _at_phone(chat)
    assert m.NO_PHONE_PUSHED in await chat.say(said)
    assert chat.session.slots["contact_phone"] == ""


# -- "还是在 … 吗？" after a first complaint ------------------------------------------------
async def _asked_same_place(chat: Chat) -> None:
    await _at_photos(chat)
    await chat.say("没有")
    assert "已为您登记" in await chat.say("确认")
    reply = await chat.say("小区里的垃圾桶也满了好几天")
    assert "还是在 海淀区学院路20号院门口 吗" in reply


@pytest.mark.parametrize("said", ["对的，就是那个地方", "是的，还是那儿", "嗯 就在那"])
async def test_a_yes_with_words_that_go_along_takes_the_place_before(said: str):
    chat = Chat()
    await _asked_same_place(chat)
    await chat.say(said)
    assert chat.session.slots["location"]["text"] == "海淀区学院路20号院门口"
    assert chat.session.requested == "category"


async def test_a_yes_after_an_unclear_answer_still_takes_the_place_before():
    chat = Chat()
    await _asked_same_place(chat)
    assert "没能识别地址" in await chat.say("就那块")
    await chat.say("是")
    assert chat.session.slots["location"]["text"] == "海淀区学院路20号院门口"


async def test_a_no_with_an_unclear_place_forgets_the_place_before():
    chat = Chat()
    await _asked_same_place(chat)
    await chat.say("不是，是在北门那边")
    await chat.say("是")
    assert not chat.session.slots.get("location")


# -- the suggested category agreed to in a sentence ---------------------------------------
@pytest.mark.parametrize("said", ["对的，就是那个路口", "是的，麻烦快点", "好的 你们快点来修吧"])
async def test_a_yes_with_more_takes_the_suggested_category(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    assert "联系电话" in await chat.say(said)
    assert chat.session.slots["category"] == "城乡建设"


@pytest.mark.parametrize("said", ["对，不过应该是交通", "好的但是不对", "是的，是3吧"])
async def test_a_yes_taken_back_is_no_category(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say(said)
    assert chat.session.slots.get("category") != "城乡建设"


# -- "好的，继续吧" to the offer to go on with a paused draft --------------------------------
@pytest.mark.parametrize("said", ["好的，继续吧", "嗯，接着填", "中 继续"])
async def test_a_yes_and_继续_resumes_the_paused_draft(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    chat.wait(120)
    assert "回复“继续”接着填写" in await chat.say("在吗")
    reply = await chat.say(said)
    assert "我们继续" in reply and "这个问题属于【城乡建设】吗" in reply, reply
    assert not chat.session.paused


# -- a refusal with a reason to an offer to file ------------------------------------------
@pytest.mark.parametrize("said", ["不用了，就是想说一声", "不用 我就随便说说", "算了，谢谢你们"])
async def test_a_refusal_with_a_reason_declines_the_praise_offer(said: str):
    chat = Chat()
    assert "回复“登记”" in await chat.say("表扬一下朝阳区城管 服务态度特别好")
    assert await chat.say(said) == m.OFFER_DECLINED
    assert chat.session.form is None and not chat.ports.registered


async def test_a_refusal_then_a_question_to_the_consultation_offer_is_asked():
    chat = Chat()
    assert "登记咨询" in await chat.say("请问公积金贷款额度是多少？")
    assert await chat.say("不用了，那公积金怎么提取？") != m.OFFER_DECLINED
