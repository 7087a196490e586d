"""A draft that repeats the citizen's open complaint is named in the summary.

From a citizen-role review: the same garbage complaint sent twice a minute apart
became two tickets for the same department, with no word that it was known.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dialogs.duplicates import find_duplicate, normalise, same_place, same_problem
from models.complaint import ComplaintKind, ComplaintStatus
from tests.dialogs.chat import Chat

GARBAGE = "朝阳区望京西园三区垃圾站满了好几天没人清运，臭味很大"
PLACE = ("朝阳区望京西园三区", "朝阳区")


# -- the rule -------------------------------------------------------------------------
def test_normalising_drops_spaces_punctuation_case_and_particles():
    assert normalise(" 垃圾站 满了！！臭味很大～ＯＫ ") == normalise("垃圾站满了，臭味很大ok")
    assert normalise("垃圾站的垃圾满了") == "垃圾站垃圾满"


@pytest.mark.parametrize(
    ("first", "again"),
    [
        pytest.param(GARBAGE, GARBAGE, id="the same text"),
        pytest.param(
            GARBAGE, "朝阳区 望京西园三区垃圾站满了好几天没人清运。臭味很大！", id="punctuation"
        ),
        pytest.param(GARBAGE, GARBAGE + "，夏天苍蝇特别多", id="one contains the other"),
        pytest.param(
            "小区门口垃圾堆了好几天没人清理",
            "我们小区门口的垃圾已经堆了好几天了，一直没人来清理，现在臭气熏天，请尽快处理",
            id="a longer restatement",
        ),
        pytest.param(
            GARBAGE,
            "望京西园三区的垃圾站已经满了好几天，一直没人清运，臭味特别大",
            id="restated with a word changed",
        ),
    ],
)
def test_the_same_problem(first, again):
    assert same_problem(again, first, PLACE)
    assert same_problem(first, again, PLACE)  # either way round


@pytest.mark.parametrize(
    ("first", "other", "places"),
    [
        pytest.param(
            "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期",
            "朝阳区望京西园三区12号楼门口的井盖丢了一个多星期",
            ("朝阳区望京西园三区12号楼门口", "朝阳区"),
            id="same place and time, different problem",
        ),
        pytest.param(
            "望京西园三区楼下饭馆油烟很大",
            "望京西园三区楼下饭馆晚上噪音很大",
            ("望京西园三区", "朝阳区"),  # the location slot the form fills from it
            id="same restaurant, smoke or noise",
        ),
        pytest.param(
            "小区门口垃圾堆了好几天没人清理", "小区门口路灯坏了好几天没人修", (), id="no place slot"
        ),
        pytest.param("垃圾站臭味很大", "垃圾站旁边的路灯不亮", (), id="a shared landmark"),
        pytest.param(GARBAGE, "朝阳区望京西园三区垃圾", PLACE, id="too little left to compare"),
        pytest.param(GARBAGE, "！！！", PLACE, id="nothing left at all"),
    ],
)
def test_not_the_same_problem(first, other, places):
    assert not same_problem(other, first, places)
    assert not same_problem(first, other, places)


async def registered(chat: Chat, text: str = GARBAGE) -> str:
    await at_summary(chat, text)
    reply = await chat.say("确认")
    return reply.split("工单编号：")[1].split("\n")[0]


async def at_summary(chat: Chat, text: str = GARBAGE) -> str:
    chat.suggest("环境保护")
    await chat.say(text)
    await chat.say("是")
    await chat.say("匿名")
    summary = await chat.say("没有")
    assert chat.session.requested == "confirm", summary
    return summary


async def test_only_open_recent_complaints_of_this_kind_count():
    chat = Chat()
    no = await registered(chat)
    complaint = chat.ports.complaints[no]
    now = chat.ports.now
    assert find_duplicate(GARBAGE, PLACE, [complaint], now) == complaint
    assert find_duplicate(GARBAGE, PLACE, [complaint], now + timedelta(days=7)) == complaint
    assert find_duplicate(GARBAGE, PLACE, [complaint], now + timedelta(days=7, minutes=1)) is None
    for status in (ComplaintStatus.CLOSED, ComplaintStatus.WITHDRAWN):
        assert find_duplicate(GARBAGE, PLACE, [replace(complaint, status=status)], now) is None
    consultation = replace(complaint, kind=ComplaintKind.CONSULTATION)
    assert find_duplicate(GARBAGE, PLACE, [consultation], now) is None


# -- in the conversation ------------------------------------------------------------
async def test_the_summary_names_the_open_complaint_and_confirm_still_registers():
    chat = Chat()
    first = await registered(chat)
    chat.wait(1)
    summary = await at_summary(chat)
    assert (
        f"您在 11月28日 已反映过相同问题（工单 {first}，办理中）。"
        f"如有新情况可回复“补充 {first} ＋内容”；确需重新登记请回复“确认”。"
    ) in summary
    assert summary.endswith("回复“取消”放弃。")  # the usual last line stays last
    reply = await chat.say("确认")  # a new occurrence is the citizen's call
    assert "工单编号" in reply and first not in reply
    assert len(chat.ports.registered) == 2


async def test_supplement_with_that_number_adds_to_it_and_drops_the_draft():
    chat = Chat()
    first = await registered(chat)
    await at_summary(chat, "望京西园三区的垃圾站已经满了好几天，一直没人清运，臭味特别大")
    reply = await chat.say(f"补充 {first} 今天早上又堆到路边了")
    assert reply == f"已将补充内容加入工单 {first}，承办部门可以看到，这次不再重复登记。"
    assert chat.ports.complaints[first].history[-1].reason == "今天早上又堆到路边了"
    assert chat.session.form is None
    assert len(chat.ports.registered) == 1
    assert "已经提交" in await chat.say("确认")  # a late 确认 registers nothing


async def test_a_supplement_without_content_keeps_the_draft():
    chat = Chat()
    first = await registered(chat)
    await at_summary(chat)
    reply = await chat.say(f"补充 {first}")
    assert "请在“补充”后写上要补充的内容" in reply
    assert chat.session.form is not None and chat.session.requested == "confirm"


async def test_a_different_problem_at_the_same_place_is_not_named():
    chat = Chat()
    await registered(chat)
    summary = await at_summary(chat, "朝阳区望京西园三区垃圾站旁边的路灯坏了好几天，晚上很黑")
    assert "已反映过" not in summary


async def test_a_corrected_description_is_looked_at_again():
    chat = Chat()
    first = await registered(chat)
    summary = await at_summary(chat)
    assert first in summary
    summary = await chat.say("描述改成垃圾站旁边的路灯坏了好几天，晚上很黑")
    assert "已反映过" not in summary and chat.session.requested == "confirm"
    summary = await chat.say(f"描述改成{GARBAGE}")
    assert f"工单 {first}" in summary


async def test_closed_or_answered_complaints():
    chat = Chat()
    first = await registered(chat)
    chat.ports.set_status(first, ComplaintStatus.REPLIED)
    summary = await at_summary(chat)
    assert f"（工单 {first}，部门已答复）" in summary
    await chat.say("取消")
    await chat.say("放弃")
    chat.ports.set_status(first, ComplaintStatus.CLOSED)
    assert "已反映过" not in await at_summary(chat)


async def test_another_citizen_with_the_same_words_is_no_duplicate():
    neighbour = Chat(openid="o_neighbour")
    await registered(neighbour)
    chat = Chat(ports=neighbour.ports)
    assert "已反映过" not in await at_summary(chat)


# -- the same problem written in another order (second citizen-role review) ---------
LAMP = "朝阳区望京西园三区门口的路灯不亮"
LAMP_AGAIN = "望京西园三区门口的路灯还是不亮，朝阳区"
PIN = (39.99, 116.47, "望京西园三区(北门)")


@pytest.mark.parametrize(
    ("first", "again"),
    [
        pytest.param(LAMP, LAMP_AGAIN, id="the address at the other end"),
        pytest.param(
            "门口的路灯不亮，晚上很黑", "晚上很黑，门口的路灯还是不亮", id="clauses swapped"
        ),
        pytest.param("小区门口路灯不亮", "路灯不亮，小区门口的", id="the place after the problem"),
    ],
)
@pytest.mark.parametrize("places", [(), ("望京西园三区(北门)", "")], ids=["no place", "a pin"])
def test_the_same_problem_in_another_order(first, again, places):
    assert same_problem(again, first, places)
    assert same_problem(first, again, places)


@pytest.mark.parametrize(
    "other",
    [
        "望京西园三区门口的井盖丢了，朝阳区",
        "望京西园三区门口的垃圾没人清，朝阳区",
        "门口的路灯旁边，朝阳区望京西园三区的井盖丢了",
    ],
)
@pytest.mark.parametrize("places", [(), PLACE, ("望京西园三区(北门)", "")])
def test_another_problem_at_the_same_compound_in_another_order_is_not_the_same(other, places):
    assert not same_problem(other, LAMP, places)
    assert not same_problem(LAMP, other, places)


async def _pinned(chat: Chat, text: str) -> str:
    """A draft with its place sent as a map pin, at the summary."""
    chat.suggest("城乡建设")
    await chat.location(*PIN)
    await chat.say(text)
    while chat.session.requested != "confirm":
        answer = {"category": "是", "contact_phone": "匿名", "photos": "没有"}
        summary = await chat.say(answer[chat.session.requested or ""])
    return summary


async def test_the_summary_names_an_open_complaint_written_in_another_order():
    chat = Chat()
    await _pinned(chat, LAMP)
    await chat.say("确认")
    first = chat.session.last_no
    summary = await _pinned(chat, LAMP_AGAIN)
    assert f"已反映过相同问题（工单 {first}，办理中）" in summary


async def test_the_summary_names_no_other_problem_at_the_compound():
    chat = Chat()
    await _pinned(chat, LAMP)
    await chat.say("确认")
    summary = await _pinned(chat, "望京西园三区门口的井盖松了，朝阳区")
    assert "已反映过" not in summary


# -- reworded at the same place (fourth citizen-role review) ---------------------------
async def _summary_of(chat: Chat, text: str, place: str) -> str:
    chat.suggest("城乡建设")
    if text:
        await chat.say(text)
    answers = {
        "location": place,
        "district": "海淀区",  # asked when the place names none
        "category": "是",
        "contact_phone": "匿名",
        "photos": "没有",
    }
    summary = ""
    for _ in range(6):
        if chat.session.requested == "confirm":
            break
        summary = await chat.say(answers[chat.session.requested or ""])
    assert "请核对" in summary, summary
    return summary


@pytest.mark.parametrize(
    ("first", "first_place", "again", "again_place"),
    [
        pytest.param(
            "小区门口的路灯坏了一个多星期了，晚上出门特别黑",
            "海淀区学院路20号院北门",
            "学院路20号院北门路灯坏了 晚上看不见路",
            "学院路20号院北门",
            id="street lamp, the place inside the other",
        ),
        pytest.param(
            "楼道里的声控灯坏了 朝阳区劲松三区305楼2单元",
            "朝阳区劲松三区305楼2单元",
            "楼道灯一直不亮",
            "劲松三区305楼",
            id="楼道灯 is the 声控灯",
        ),
    ],
)
async def test_the_same_thing_reworded_at_the_same_place_is_named(
    first, first_place, again, again_place
):
    chat = Chat()
    await _summary_of(chat, first, first_place)
    await chat.say("确认")
    no = chat.session.last_no
    summary = await _summary_of(chat, again, again_place)
    assert f"已反映过相同问题（工单 {no}，办理中）" in summary


@pytest.mark.parametrize(
    ("again", "again_place"),
    [
        pytest.param("学院路20号院北门井盖松了 晚上看不见", "学院路20号院北门", id="another thing"),
        pytest.param("路灯坏了 晚上看不见路", "海淀区学院路5号院", id="another place"),
        pytest.param(
            "学院路20号院北门垃圾桶旁边的路灯不亮", "学院路20号院北门", id="two things named"
        ),
    ],
)
async def test_a_reworded_match_needs_the_same_things_and_the_same_place(again, again_place):
    chat = Chat()
    await _summary_of(chat, "小区门口的路灯坏了一个多星期了", "海淀区学院路20号院北门")
    await chat.say("确认")
    assert "已反映过" not in await _summary_of(chat, again, again_place)


async def test_still_not_lit_in_other_words_shows_the_open_complaint():
    chat = Chat()
    await _summary_of(chat, "楼道里的声控灯坏了 朝阳区劲松三区305楼2单元", "劲松三区")
    await chat.say("确认")
    no = chat.session.last_no
    reply = await chat.say("楼道灯咋还不亮啊")
    assert no in reply and chat.session.form is None
    await chat.say("登记")
    summary = await _summary_of(chat, "", "劲松三区305楼")
    assert f"已反映过相同问题（工单 {no}，办理中）" in summary


def test_a_district_alone_is_no_same_place():
    assert same_place(["学院路20号院北门"], ["海淀区学院路20号院北门"])
    assert not same_place(["海淀区"], ["海淀区学院路20号院北门"])
    assert not same_place(["海淀区学院路5号院"], ["海淀区学院路20号院北门"])
