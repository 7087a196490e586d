"""Regressions from the ninth citizen-role review, on the form and what follows a
registration: anger at the service is no second problem, a phone number after the
idle timeout is applied, a location pin right after registering, a question after
a reopen, changing one's mind after a withdrawal, and the subscribe scene's name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dialogs import messages as m
from models.beijing import short_time
from models.complaint import ComplaintStatus
from models.inbound import InboundKind
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"
NOISE = "你们这帮废物！！！楼上天天半夜装修吵得要死，打了八百遍电话都没人管！！！"


# -- #9: an angry question at the service is no second problem ---------------------------
@pytest.mark.parametrize("said", ["你们到底管不管？？？", "有没有人管啊", "你们还管不管了！！"])
async def test_anger_at_the_location_question_is_acknowledged_not_held(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    assert (await chat.say(NOISE)).endswith(m.ASK_LOCATION)
    reply = await chat.say(said)
    assert reply == f"{m.VENTING_IN_FORM}\n{m.ASK_LOCATION}", reply
    assert "_next" not in chat.session.slots and chat.session.requested == "location"


async def test_anger_at_the_phone_question_is_acknowledged_not_held():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    reply = await chat.say("你们到底管不管？？？")
    assert reply.startswith(m.VENTING_IN_FORM) and "另一件事" not in reply, reply
    assert "_next" not in chat.session.slots and chat.session.requested == "contact_phone"


async def test_a_real_second_problem_at_the_location_question_still_counts():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NOISE)
    reply = await chat.say("另外，小区门口的垃圾也没人清")
    assert "另一件事“小区门口的垃圾也没人清”已记下" in reply
    assert chat.session.slots["_next"] == ["小区门口的垃圾也没人清"]


async def test_anger_at_idle_after_registering_still_lists_the_complaints():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    for said in ("是", "匿名", "没有", "确认"):
        await chat.say(said)
    reply = await chat.say("有没有人管啊")
    assert chat.session.last_no in reply and chat.session.form is None


# -- #10: a phone number after the idle timeout ----------------------------------------
async def _phone_asked_then_away(chat: Chat, minutes: int) -> None:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    assert "联系电话" in await chat.say("是")
    chat.wait(minutes)


@pytest.mark.parametrize(("minutes", "said"), [(31, "13812345678"), (60 * 20, "电话13812345678")])
async def test_a_phone_after_the_timeout_answers_the_phone_question(minutes: int, said: str):
    chat = Chat()
    await _phone_asked_then_away(chat, minutes)
    reply = await chat.say(said)
    assert reply.startswith(m.RESUMED_WITH_ANSWER) and "现场照片" in reply, reply
    assert chat.session.slots["contact_phone"] == "13812345678" and not chat.session.paused


async def test_a_phone_after_the_timeout_at_another_question_is_kept_for_继续():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("路灯坏了好几天了，晚上很黑")
    chat.wait(40)
    reply = await chat.say("13812345678")
    assert m.HELD_WHILE_PAUSED in reply, reply
    await chat.say("继续")
    assert chat.session.slots["contact_phone"] == "13812345678"


# -- #13 / #26: a location pin right after registering, and with no form -----------------
WANGJING = (39.99612, 116.47352, "北京市朝阳区望京西园三区")


async def _registered(chat: Chat) -> str:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    for said in ("是", "匿名", "没有"):
        await chat.say(said)
    assert "已为您登记" in await chat.say("确认")
    return chat.session.last_no


async def test_a_pin_right_after_registering_is_offered_to_that_ticket():
    chat = Chat()
    no = await _registered(chat)
    chat.wait(2)
    reply = await chat.location(*WANGJING)
    assert reply.startswith("已收到位置：北京市朝阳区望京西园三区") and no in reply, reply
    assert chat.session.form is None
    assert "位置已补充到工单" in await chat.say("是")
    [_, added] = chat.ports.complaints[no].history
    assert added.action == "supplement" and "望京西园三区" in added.reason
    assert "39.99612" in added.reason and len(chat.ports.registered) == 1


async def test_a_pin_right_after_registering_can_start_a_new_complaint_there():
    chat = Chat()
    await _registered(chat)
    await chat.location(*WANGJING)
    reply = await chat.say("新问题")
    assert reply.startswith("已记下地点：北京市朝阳区望京西园三区"), reply
    assert chat.session.slots["location"]["lat"] == WANGJING[0]


async def test_a_pin_long_after_registering_starts_a_complaint_with_the_place_noted():
    chat = Chat()
    await _registered(chat)
    chat.wait(60)
    reply = await chat.location(*WANGJING)
    assert reply.startswith("已记下地点：北京市朝阳区望京西园三区"), reply
    assert chat.session.requested == "description"


async def test_a_pin_with_no_form_says_the_place_is_noted():
    chat = Chat()
    reply = await chat.location(*WANGJING)
    assert reply.startswith("已记下地点：北京市朝阳区望京西园三区"), reply


# -- #14: a question after a reopening; the status card of a reopened case ----------------
async def _reopened(chat: Chat) -> str:
    no = await _registered(chat)
    answered = replace(
        chat.ports.complaints[no],
        status=ComplaintStatus.REPLIED,
        replies=({"round": 1, "text": "已更换灯泡，恢复照明。", "by": "d", "at": chat.ports.now},),
    )
    chat.ports.complaints[no] = answered
    assert "已重新交办（第 2 轮）" in await chat.say("不满意，灯还是不亮")
    return no


@pytest.mark.parametrize("said", ["什么时候再来处理", "什么时候能修好", "多久有结果"])
async def test_when_after_a_reopening_is_answered_with_the_rounds_limit(said: str):
    chat = Chat()
    no = await _reopened(chat)
    before = chat.ports.complaints[no].history
    reply = await chat.say(said)
    due = short_time(chat.ports.complaints[no].due_at)
    assert f"第 2 轮重新办理，承办部门须在 {due} 前答复" in reply, reply
    assert chat.ports.complaints[no].history == before  # nothing filed on the ticket


async def test_detail_after_asking_when_still_goes_onto_the_reopened_ticket():
    chat = Chat()
    no = await _reopened(chat)
    await chat.say("什么时候再来处理")
    reply = await chat.say("晚上还是一片黑，灯杆也歪了")
    assert "已补充到工单" in reply and "灯杆也歪了" in chat.ports.complaints[no].history[-1].reason


async def test_the_status_card_of_a_reopened_case_shows_the_round_and_the_last_reply():
    chat = Chat()
    no = await _reopened(chat)
    card = await chat.say(f"查询 {no}")
    assert "第 2 轮（重新办理）" in card and "上一轮答复：已更换灯泡" in card, card


# -- #19: a change of mind right after a withdrawal ----------------------------------------
async def _withdrawn(chat: Chat) -> str:
    chat.suggest("城乡建设")
    await chat.say(f"{LAMP}，电话13812345678")
    for said in ("是", "没有"):
        await chat.say(said)
    await chat.say("确认")
    no = chat.session.last_no
    await chat.say("我不想投诉了")
    assert "已撤回" in await chat.say("是的")
    chat.wait(2)
    return no


@pytest.mark.parametrize("said", ["哎呀我搞错了，还是要投诉的，灯还是坏的", "撤错了，能不能恢复"])
async def test_a_change_of_mind_after_a_withdrawal_offers_the_old_content(said: str):
    chat = Chat()
    no = await _withdrawn(chat)
    reply = await chat.say(said)
    assert reply.startswith(f"工单 {no} 已撤回，撤回的工单不能恢复"), reply
    assert "请核对您的诉求" in reply and "【电话】13812345678" in reply
    assert "学院路20号院门口" in reply and chat.session.requested == "confirm"
    assert "已为您登记" in await chat.say("是")
    assert "无需重复确认" in await chat.say("是")
    first, again = chat.ports.registered
    assert again.description == first.description and again.location == first.location
    assert again.contact_phone == "13812345678" and again.category == "城乡建设"


async def test_a_put_right_after_a_withdrawal_is_no_change_of_mind():
    chat = Chat()
    await _withdrawn(chat)
    reply = await chat.say("灯已经恢复了，谢谢")
    assert "不能恢复" not in reply and chat.session.requested != "confirm", reply


# -- #22: the subscribe scene ------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "shown"),
    [("qrscene_chaoyang_wangjing", "（来自：朝阳区）"), ("qrscene_haidian", "（来自：海淀区）")],
)
async def test_a_known_scene_is_shown_by_its_chinese_name(key: str, shown: str):
    reply = await Chat().send(InboundKind.SUBSCRIBE, key=key)
    assert reply.endswith(shown) and "chaoyang" not in reply and "haidian" not in reply, reply


@pytest.mark.parametrize("key", ["qrscene_spring_fair_2026", "qrscene_x1"])
async def test_an_unknown_scene_shows_no_source(key: str):
    reply = await Chat().send(InboundKind.SUBSCRIBE, key=key)
    assert reply == m.WELCOME, reply
