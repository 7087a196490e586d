"""More regressions from the eighth citizen-role review: 不满意 said softly ("不是很满意",
"不是特别满意") wherever a rating is read; the reason after "没有" to "问题解决了吗？";
"不是，我是说另一个" to the withdraw question."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from dialogs.survey import parse_feedback, parse_survey
from models.complaint import ComplaintStatus, Satisfaction
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"
SOFTLY = ["不是很满意", "不太满意", "不怎么满意", "不是特别满意", "说不上满意"]


async def _registered(chat: Chat, description: str = LAMP) -> str:
    chat.suggest("城乡建设")
    for said in (description, "是", "匿名", "没有"):
        await chat.say(said)
    assert "已为您登记" in await chat.say("确认")
    return chat.session.last_no


async def _answered(chat: Chat) -> str:
    """A complaint registered in chat and answered by its department: a survey waits."""
    no = await _registered(chat)
    chat.ports.set_status(no, ComplaintStatus.REPLIED)
    return no


# -- 不满意 said softly ---------------------------------------------------------------------
@pytest.mark.parametrize("said", SOFTLY)
def test_a_softened_不满意_is_不满意(said: str):
    assert parse_survey(said).satisfaction is Satisfaction.UNSATISFIED
    assert parse_feedback(said).satisfaction is Satisfaction.UNSATISFIED


@pytest.mark.parametrize("said", SOFTLY)
async def test_a_softened_不满意_to_the_survey_reopens(said: str):
    chat = Chat()
    no = await _answered(chat)
    await chat.say(said)
    rated = chat.ports.complaints[no]
    assert rated.rating.satisfaction is Satisfaction.UNSATISFIED
    assert rated.status is ComplaintStatus.DISPATCHED


@pytest.mark.parametrize("said", SOFTLY)
async def test_a_softened_不满意_to_是满意吗_is_不满意(said: str):
    chat = Chat()
    no = await _answered(chat)
    assert "的处理满意吗" in await chat.say("👍")
    await chat.say(said)
    assert chat.ports.complaints[no].rating.satisfaction is Satisfaction.UNSATISFIED


@pytest.mark.parametrize("said", ["不是很满意", "不是特别满意，灯还是有点暗"])
async def test_不是很满意_after_a_1_rates_it_again(said: str):
    chat = Chat()
    no = await _answered(chat)
    assert "问题解决了吗" in await chat.say("1")
    reply = await chat.say(said)
    assert "已重新交办" in reply, reply
    rated = chat.ports.complaints[no]
    assert rated.rating.satisfaction is Satisfaction.UNSATISFIED
    assert rated.status is ComplaintStatus.DISPATCHED


@pytest.mark.parametrize("said", ["没有不满意", "不是不满意", "很满意"])
async def test_content_is_still_content(said: str):
    chat = Chat()
    no = await _answered(chat)
    await chat.say(said)
    assert chat.ports.complaints[no].rating.satisfaction is Satisfaction.SATISFIED


# -- "问题解决了吗？" answered with a no and why ----------------------------------------------
@pytest.mark.parametrize(
    ("said", "solved", "kept"),
    [
        ("没有，还是不亮", False, "还是不亮"),
        ("不是，灯还是坏的", False, "灯还是坏的"),
        ("是的，已经修好了", True, "已经修好了"),
        ("没有", False, ""),
    ],
)
async def test_what_follows_the_no_to_solved_is_kept(said: str, solved: bool, kept: str):
    chat = Chat()
    no = await _answered(chat)
    assert "问题解决了吗" in await chat.say("1")
    assert "已记录" in await chat.say(said)
    rating = chat.ports.complaints[no].rating
    assert rating.solved is solved and rating.comment == kept


async def test_a_new_matter_after_the_no_to_solved_is_not_a_reason():
    chat = Chat()
    no = await _answered(chat)
    await chat.say("1")
    await chat.say("没有。另外楼道里的灯也坏了")
    assert chat.ports.complaints[no].rating.comment == ""


# -- "不是，我是说另一个" to "确定要撤回工单…吗？" ------------------------------------------
BIN = "东城区东四十条5号院门口垃圾没人清"


@pytest.mark.parametrize("said", ["不是，我是说另一个", "不是这个", "我要撤的是另外那件"])
async def test_another_one_to_the_withdraw_question_lists_the_others(said: str):
    chat = Chat()
    lamp = await _registered(chat)
    bin_ = await _registered(chat, BIN)
    await chat.say(f"撤回 {bin_}")
    reply = await chat.say(said)
    assert reply.startswith(m.WITHDRAW_OTHER_WHICH.format(no=bin_)) and lamp in reply, reply
    assert chat.session.form is None and len(chat.ports.registered) == 2
    assert "确定要撤回工单 " + lamp in await chat.say("1")
    assert "已撤回" in await chat.say("确定")
    assert chat.ports.complaints[lamp].status is ComplaintStatus.WITHDRAWN
    assert chat.ports.complaints[bin_].status is ComplaintStatus.SUBMITTED


async def test_another_one_with_none_other_asks_for_the_number():
    chat = Chat()
    lamp = await _registered(chat)
    await chat.say(f"撤回 {lamp}")
    assert await chat.say("不是，我是说另一个") == m.WITHDRAW_OTHER_ASK.format(no=lamp)
    assert chat.session.form is None
    assert chat.ports.complaints[lamp].status is ComplaintStatus.SUBMITTED


# -- "撤回吧，灯已经修好了": a reason, no number --------------------------------------------
@pytest.mark.parametrize(
    "said", ["撤回吧，灯已经修好了", "撤回，因为物业已经修了", "撤回 已经修好了"]
)
async def test_withdraw_with_a_reason_asks_about_the_only_open_ticket(said: str):
    chat = Chat()
    lamp = await _registered(chat)
    chat.wait(120)  # no longer "just registered": the only one that can be withdrawn
    assert m.WITHDRAW_CONFIRM.format(no=lamp, short="路灯坏了") == await chat.say(said)
    assert "已撤回" in await chat.say("是")
    assert chat.ports.complaints[lamp].status is ComplaintStatus.WITHDRAWN


# -- the phone question: "好的", and a no with words after it --------------------------------
async def _at_phone(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    assert chat.session.requested == "contact_phone"


@pytest.mark.parametrize("said", ["好的", "可以"])
async def test_a_yes_to_the_phone_question_asks_for_the_number_gently(said: str):
    chat = Chat()
    await _at_phone(chat)
    assert await chat.say(said) == m.PHONE_PLEASE
    await chat.say("13812345678")
    assert chat.session.slots["contact_phone"] == "13812345678"


@pytest.mark.parametrize(
    "said", ["不用了，打12345找我也行", "没有，有事打12345或者110", "不，你们别打电话，我白天上班"]
)
async def test_a_no_with_words_after_it_is_no_phone(said: str):
    chat = Chat()
    await _at_phone(chat)
    assert m.NO_PHONE_PUSHED in await chat.say(said)
    assert chat.session.slots["contact_phone"] == ""


async def test_a_refusal_with_words_to_the_last_phone_is_no_phone():
    chat = Chat()
    await _at_phone(chat)
    for said in ("13812345678", "没有", "确认"):
        await chat.say(said)
    chat.suggest("城乡建设")
    await chat.say(BIN)
    assert "还用上次的电话" in await chat.say("是")
    assert m.NO_PHONE_PUSHED in await chat.say("不用了，打12345找我也行")
    assert chat.session.slots["contact_phone"] == ""


async def test_a_no_with_digits_or_another_problem_after_it_is_not_dropped():
    chat = Chat()
    await _at_phone(chat)
    assert "格式不对" in await chat.say("不用了，138123")
    assert "另一件事" in await chat.say("不用了，另外楼道灯也坏了")
    assert chat.session.requested == "contact_phone"
