"""Regressions from the second citizen-role review, each as met."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.session import Session
from models.complaint import ComplaintStatus, Satisfaction
from tests.dialogs.chat import Chat

LAMP = "小区门口的路灯不亮好几天了，朝阳区望京西园三区"
BUILDING = "小区里有人私搭乱建违建，朝阳区望京西园三区5号楼旁边"


async def _registered(chat: Chat, text: str) -> str:
    chat.suggest("城乡建设")
    await chat.say(text)
    while chat.session.form is not None:
        answer = {"category": "是", "contact_phone": "匿名", "photos": "没有"}
        await chat.say(answer.get(chat.session.requested or "", "确认"))
    return chat.session.last_no


# -- 1: progress asked in dialect or by referring back --------------------------------
@pytest.mark.parametrize(
    ("first", "question"),
    [
        (BUILDING, "之前投诉的违建拆了没"),
        (LAMP, "我昨天报的那个有人来看了吗"),
        (LAMP, "上次反映的路灯咋还不亮"),
        (BUILDING, "前几天举报的违建还在吗"),
    ],
)
async def test_a_question_about_an_earlier_report_lists_the_complaints(first: str, question: str):
    chat = Chat()
    no = await _registered(chat, first)
    reply = await chat.say(question)
    assert no in reply and "发送工单编号可查看详细进度" in reply
    assert "回复“登记”" not in reply  # the one it speaks of is listed
    assert chat.session.form is None and len(chat.ports.registered) == 1


async def test_a_question_about_an_earlier_report_with_none_says_so():
    chat = Chat()
    reply = await chat.say("我昨天报的那个有人来看了吗")
    assert "还没有提交过诉求" in reply and "登记咨询" not in reply
    assert chat.session.form is None


async def test_still_not_put_right_shows_the_open_complaint_about_it_and_offers_a_new_one():
    chat = Chat()
    building = await _registered(chat, BUILDING)
    lamp = await _registered(chat, LAMP)
    reply = await chat.say("俺家门口的灯咋还不亮")
    assert lamp in reply and building not in reply  # only the one about the lamp
    assert "回复“登记”" in reply
    assert chat.session.form is None and len(chat.ports.registered) == 2
    await chat.say("登记")  # not the old one: the text is kept for the new complaint
    assert chat.session.form == "complaint"
    assert chat.session.slots["description"] == "俺家门口的灯咋还不亮"


async def test_still_not_put_right_about_an_answered_complaint_points_to_its_survey():
    chat = Chat()
    lamp = await _registered(chat, LAMP)
    chat.ports.set_status(lamp, ComplaintStatus.REPLIED)
    reply = await chat.say("俺家门口的灯咋还不亮")
    assert lamp in reply and "还在等您的评价" in reply and "回复“登记”" in reply
    assert "重新交办" in await chat.say("没解决")  # the survey answer, as offered
    assert chat.ports.complaints[lamp].status is ComplaintStatus.DISPATCHED


@pytest.mark.parametrize("first", [None, BUILDING])
async def test_still_not_put_right_with_no_such_complaint_is_a_new_complaint(first: str | None):
    chat = Chat()
    if first:
        await _registered(chat, first)
    reply = await chat.say("俺家门口的灯咋还不亮")
    assert "回复“登记”" not in reply
    assert chat.session.form == "complaint" and chat.session.requested == "location"
    assert chat.session.slots["description"] == "俺家门口的灯咋还不亮"


@pytest.mark.parametrize("status", ["closed", "withdrawn"])
async def test_still_not_put_right_about_a_finished_complaint_is_a_new_complaint(status: str):
    chat = Chat()
    lamp = await _registered(chat, LAMP)
    chat.ports.set_status(lamp, ComplaintStatus(status))
    await chat.say("俺家门口的灯咋还不亮")
    assert chat.session.form == "complaint"


# -- 2: a hazard told as a worry is a report ------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "小区健身器材松动了，万一砸到孩子怎么办",
        "小区健身器材松动了万一砸到孩子怎么办？",
        "楼道里堆满杂物，万一失火怎么办",
        "阳台护栏锈断了，孩子掉下去谁负责",
    ],
)
async def test_a_hazard_told_as_a_worry_starts_the_complaint(text: str):
    chat = Chat()
    reply = await chat.say(text)
    assert "登记咨询" not in reply and "暂时没有现成的答复" not in reply
    assert chat.session.form == "complaint" and chat.session.requested == "location"
    assert chat.session.slots["description"] == text


@pytest.mark.parametrize("question", ["要是居住证到期了怎么办", "如果孩子上学的学校太远，怎么办"])
async def test_a_what_if_without_a_hazard_stays_a_question(question: str):
    chat = Chat()
    assert "登记咨询" in await chat.say(question)
    assert chat.session.form is None


# -- 3: safety advice for a missing manhole cover and a lift entrapment --------------
@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("井盖没了", ["远离", "警示", "120", "119"]),
        ("有人困在电梯里", ["保持冷静", "警铃", "对讲", "不要强行扒门", "119"]),
    ],
)
async def test_a_missing_manhole_cover_or_a_lift_entrapment_gets_safety_advice(
    text: str, advice: list[str]
):
    chat = Chat()
    reply = await chat.say(text)
    assert reply.startswith("【紧急】") and "2 小时内" in reply
    assert all(words in reply for words in advice)
    assert chat.session.form == "complaint"  # and the complaint is taken down
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区5号楼门口")
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    complaint = chat.ports.complaints[chat.session.last_no]
    assert complaint.due_at - complaint.created_at == timedelta(hours=2)


# -- 4: a dry fire hydrant is no household outage -------------------------------------
async def test_a_dry_fire_hydrant_after_a_past_fire_is_an_ordinary_complaint():
    chat = Chat()
    reply = await chat.say("去年小区着过火，现在消防栓还是没水")
    assert "【紧急】" not in reply and chat.session.form == "complaint"
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区5号楼门口")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "7 天内" in reply
    complaint = chat.ports.complaints[chat.session.last_no]
    assert complaint.due_at - complaint.created_at == timedelta(days=7)


# -- 6: a rating with a comment, said while several surveys wait, is not lost ---------
STREET_LAMP = "小区门口的路灯坏了两个星期了，海淀区学院路20号院"
STAIR_LAMP = "楼道里的灯坏了好久了，海淀区学院路20号院3号楼"


async def _two_waiting(chat: Chat) -> tuple[str, str]:
    street, stair = [await _registered(chat, text) for text in (STREET_LAMP, STAIR_LAMP)]
    for no in (street, stair):
        chat.ports.set_status(no, ComplaintStatus.REPLIED)
    reply = await chat.say("不满意，灯还是不亮")
    assert "请说明是哪一件" in reply and street in reply and stair in reply
    assert "您的评价“不满意，灯还是不亮”会记到那一件上" in reply
    assert all(chat.ports.complaints[no].rating is None for no in (street, stair))
    return street, stair


@pytest.mark.parametrize("naming", ["{no}", "{no} 不满意", "是{no}", "楼道那个", "第一个"])
async def test_the_ticket_named_after_which_gets_the_rating_and_the_comment(naming: str):
    chat = Chat()
    street, stair = await _two_waiting(chat)  # listed newest first: the stair lamp
    reply = await chat.say(naming.format(no=stair))
    assert stair in reply and "重新交办" in reply
    rating = chat.ports.complaints[stair].rating
    assert rating is not None and rating.comment == "灯还是不亮"
    assert rating.satisfaction is Satisfaction.UNSATISFIED and rating.solved is False
    assert chat.ports.complaints[street].status is ComplaintStatus.REPLIED
    assert chat.session.kept_rating == {}


async def test_a_new_rating_with_the_number_wins_over_the_kept_one():
    chat = Chat()
    street, stair = await _two_waiting(chat)
    await chat.say(f"{street} 满意")
    rating = chat.ports.complaints[street].rating
    assert rating is not None and rating.satisfaction is Satisfaction.SATISFIED
    assert rating.comment == ""  # "灯还是不亮" went with 不满意, not with this
    assert chat.ports.complaints[stair].rating is None


async def test_the_kept_rating_survives_a_session_round_trip_and_is_dropped_after_a_break():
    chat = Chat()
    street, _ = await _two_waiting(chat)
    chat.session = Session.from_dict(chat.session.to_dict(), chat.openid)
    assert chat.session.kept_rating["comment"] == "灯还是不亮"
    chat.wait(60)  # a new visit: the number is a status query, not a rating
    reply = await chat.say(street)
    assert "状态：部门已答复" in reply
    assert chat.ports.complaints[street].rating is None


async def test_a_new_problem_after_which_is_no_name():
    chat = Chat()
    street, stair = await _two_waiting(chat)
    await chat.say("楼道里又漏水了，墙皮都掉了")
    assert chat.session.form == "complaint"
    assert all(chat.ports.complaints[no].rating is None for no in (street, stair))
