"""Round-six citizen review: what is said to the service rather than about a problem
(a question, a wish for a person, "你是机器人吗", a preamble, venting, thanks, emoji),
a question and a problem in one message, and traditional characters."""

from __future__ import annotations

import pytest

from dialogs import intents
from dialogs import messages as m
from models.complaint import ComplaintStatus
from tests.dialogs.chat import Chat

PLACE = "朝阳区望京西园三区12号楼"


# -- A7: consultations are not complaints ---------------------------------------------
@pytest.mark.parametrize(
    "asked", ["社保断缴了怎么补", "医保报销比例是多少", "今年供暖什么时候开始"]
)
async def test_a_policy_question_is_a_consultation_not_a_complaint(asked: str):
    chat = Chat()
    reply = await chat.say(asked)
    assert m.ASK_LOCATION not in reply
    assert chat.session.form is None and not chat.ports.registered
    assert "登记咨询" in reply  # answered, or offered to staff


@pytest.mark.parametrize("said", ["我想咨询一下", "我有个问题想问问"])
async def test_a_question_announced_asks_for_it(said: str):
    chat = Chat()
    assert await chat.say(said) == m.CONSULT_PROMPT
    assert chat.session.form is None
    reply = await chat.say("供暖费怎么交")
    assert m.BAD_LOCATION not in reply and m.ASK_LOCATION not in reply
    assert chat.session.form is None and "登记咨询" in reply


async def test_a_question_after_the_announcement_in_one_message_is_looked_up():
    chat = Chat()
    reply = await chat.say("我想咨询一下，社保断缴了怎么补")
    assert m.ASK_LOCATION not in reply and chat.session.form is None
    assert "登记咨询" in reply


@pytest.mark.parametrize("said", ["我要找真人说话", "能不能让人工客服跟我说"])
async def test_asking_for_a_person_gets_the_human_service_line(said: str):
    chat = Chat()
    assert await chat.say(said) == m.HUMAN
    assert chat.session.form is None


async def test_a_person_asked_for_mid_form_keeps_the_draft():
    chat = Chat()
    await chat.say("小区门口路灯不亮了")
    reply = await chat.say("能不能让人工客服跟我说")
    assert reply == f"{m.HUMAN_IN_FORM}\n{m.ASK_LOCATION}"
    assert chat.session.slots["description"] == "小区门口路灯不亮了"


async def test_who_answers_then_a_question_about_opening_hours():
    chat = Chat()
    assert await chat.say("你是人还是机器") == m.BOT_IDENTITY
    assert chat.session.form is None
    reply = await chat.say("你们上班时间是几点")
    assert "24 小时" in reply and chat.session.form is None


async def test_a_clear_question_while_the_address_is_asked_is_not_the_address():
    chat = Chat()
    assert await chat.say("小区门口路灯不亮了") == m.ASK_LOCATION
    # no ready answer: set aside, the address asked again; nothing added or refused
    reply = await chat.say("供暖费怎么交")
    assert reply == f"{m.QUESTION_SET_ASIDE}\n{m.ASK_LOCATION}"
    # a ready answer: given, and the address asked again
    reply = await chat.say("你们上班时间是几点")
    assert "24 小时" in reply and reply.endswith(m.ASK_LOCATION)
    assert m.BAD_LOCATION not in reply and m.DRAFT_SUPPLEMENTED not in reply
    assert chat.session.failures.get("location", 0) == 0
    await chat.say(PLACE)
    assert chat.session.slots["description"] == "小区门口路灯不亮了"
    assert chat.session.slots["location"]["district"] == "朝阳区"


# -- A16: "你是机器人吗", then 转人工 ---------------------------------------------------
async def test_are_you_a_robot_is_answered_and_a_person_asked_for_files_nothing():
    chat = Chat()
    reply = await chat.say("你是机器人吗")
    assert reply == m.BOT_IDENTITY
    assert "自动服务助手" in reply and "12345" in reply
    assert await chat.say("转人工服务") == m.HUMAN
    assert not chat.ports.registered


# -- A8: a preamble about the citizen is no description ---------------------------------
async def test_a_preamble_is_answered_kindly_and_the_problem_after_it_is_the_complaint():
    chat = Chat()
    await chat.say("你好")
    assert await chat.say("我是个老头 不太会用这个") == m.REASSURE
    assert chat.session.form is None
    reply = await chat.say("俺家那个水管子冻裂了 满地都是水 咋弄啊")
    assert reply.endswith(m.ASK_LOCATION)
    description = chat.session.slots["description"]
    assert "冻裂" in description and "老头" not in description


# -- B9: venting is no description --------------------------------------------------------
@pytest.mark.parametrize("said", ["你们这帮废物 什么都不管", "傻X机器人"])
async def test_venting_gets_a_calm_answer_and_starts_nothing(said: str):
    chat = Chat()
    assert await chat.say(said) == m.VENTING
    assert chat.session.form is None


async def test_venting_then_the_real_complaint():
    chat = Chat()
    await chat.say("你们这帮废物 什么都不管")
    await chat.say("傻X机器人")
    assert await chat.say("楼下垃圾没人清 你们管不管") == m.ASK_LOCATION
    assert chat.session.slots["description"] == "楼下垃圾没人清 你们管不管"


async def test_venting_mid_form_is_not_the_address():
    chat = Chat()
    await chat.say("小区门口路灯不亮了")
    assert await chat.say("傻X机器人") == f"{m.VENTING_IN_FORM}\n{m.ASK_LOCATION}"
    assert chat.session.failures.get("location", 0) == 0


async def test_the_insult_is_left_out_of_the_description():
    chat = Chat()
    assert await chat.say("你们这帮废物，楼下垃圾没人清") == m.ASK_LOCATION
    assert chat.session.slots["description"] == "楼下垃圾没人清"


# -- B8: thanks and emoji -------------------------------------------------------------------
async def _registered(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for said in (f"小区门口路灯不亮了，{PLACE}", "是", "匿名", "没有", "确认"):
        await chat.say(said)
    assert chat.ports.registered


@pytest.mark.parametrize("said", ["辛苦了", "辛苦你们了", "麻烦你们了", "好的好的"])
async def test_thanks_after_registering(said: str):
    chat = Chat()
    await _registered(chat)
    assert await chat.say(said) == m.THANKS


@pytest.mark.parametrize(("said", "answer"), [("👌", m.EMOJI_FRIENDLY), ("😡😡😡", m.EMOJI_ANGRY)])
async def test_a_lone_emoji_gets_a_short_friendly_line(said: str, answer: str):
    chat = Chat()
    assert await chat.say(said) == answer
    assert chat.session.form is None


# -- A15: a question and a problem at a named place: the complaint -------------------------
async def test_a_question_with_a_problem_at_a_place_is_registered_as_the_complaint():
    chat = Chat()
    said = "垃圾分类是怎么规定的，我们小区垃圾桶都不分类，混着收，朝阳区望京西园二区"
    reply = await chat.say(said)
    assert m.CONSULT_NO_ANSWER not in reply
    assert chat.session.form is not None
    assert "不分类" in chat.session.slots["description"]
    assert chat.session.slots["location"]["district"] == "朝阳区"


# -- A18: traditional characters ---------------------------------------------------------------
TRADITIONAL = "我家樓下的路燈壞了一個星期了，海淀區學院路30號"


async def test_traditional_control_words_go_through_the_form():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(TRADITIONAL)
    await chat.say("是")
    await chat.say("13600001111")
    reply = await chat.say("沒有")
    assert reply.startswith("请核对您的诉求")
    reply = await chat.say("確認")
    assert "已为您登记" in reply
    assert chat.draft.description == TRADITIONAL  # the citizen's own characters


async def test_traditional_cancel_and_continue():
    chat = Chat()
    await chat.say("小区门口路灯不亮了")
    chat.wait(60)
    reply = await chat.say("繼續")
    assert m.RESUMED in reply and reply.endswith(m.ASK_LOCATION)
    await chat.say("取消登記")
    assert chat.session.form is None and not chat.ports.registered


async def test_traditional_unsatisfied_reopens_and_withdraw_asks_first():
    chat = Chat()
    await _registered(chat)
    no = chat.session.last_no
    chat.ports.set_status(no, ComplaintStatus.REPLIED)
    reply = await chat.say("不滿意")
    assert "重新交办" in reply
    assert chat.ports.complaints[no].status is not ComplaintStatus.REPLIED
    reply = await chat.say(f"撤回工單 {no}")
    assert no in reply and "确定" in reply


@pytest.mark.parametrize(
    ("said", "read"),
    [("沒有", "没有"), ("確認", "确认"), ("取消", "取消"), ("不滿意", "不满意"), ("撤回", "撤回"),
     ("繼續", "继续"), ("確認，謝謝", "确认，谢谢"), ("電話改成13600001111", "电话改成13600001111")],
)  # fmt: skip
def test_control_words_are_read_simplified(said: str, read: str):
    assert intents.command_text(said) == read


def test_a_traditional_description_is_kept_as_written():
    assert intents.command_text(TRADITIONAL) == TRADITIONAL


# -- real complaints still start the form ----------------------------------------------------
LETTER = (
    "尊敬的领导：我是朝阳区望京西园三区的居民，我们小区12号楼楼道的灯已经坏了一个多月了，"
    "晚上上下楼一片漆黑，老人孩子摔倒过好几次。我们多次找物业，物业一直推脱说没有经费，"
    "到现在也没人来修。希望有关部门尽快督促物业把灯修好，谢谢！"
)


@pytest.mark.parametrize("said", ["楼道灯坏了", "小区门口路灯不亮了", LETTER])
async def test_real_complaints_still_start_the_form(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert chat.session.form is not None
    assert m.REASSURE not in reply and m.VENTING not in reply and m.CONSULT_PROMPT not in reply


async def test_a_question_announced_mid_form_leaves_the_form_its_answer():
    chat = Chat()
    await chat.say("小区门口路灯不亮了")
    assert await chat.say("我想咨询一下") == f"{m.CONSULT_PROMPT}\n{m.ASK_LOCATION}"
    await chat.say(PLACE)  # the answer to the form's question, not a question
    assert chat.session.slots["location"]["district"] == "朝阳区"


def test_a_traditional_description_after_a_command_word_keeps_its_characters():
    said = "描述改成樓道燈壞了一個月"
    assert intents.command_text(said) == said


async def test_a_traditional_address_is_read_as_its_district_and_place():
    # review 9: "東城區東直門內大街" drew "请问…在哪个区？" although the district was there
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say("您好，東城區東直門內大街的路燈壞了好幾天，晚上很危險")
    assert "哪个区" not in reply
    location = chat.session.slots["location"]
    assert location["district"] == "东城区"
    assert "东直门内大街" in location["text"]
    assert chat.session.slots["description"].startswith("您好，東城區")  # their own characters
