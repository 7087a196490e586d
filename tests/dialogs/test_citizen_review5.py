"""Regressions from the fifth citizen-role review, each as met."""

from __future__ import annotations

import pytest

from dialogs import intents
from tests.dialogs.chat import Chat


# -- 3: nowhere to get the rabies shot is a health-service complaint, not an injury
@pytest.mark.parametrize(
    "said", ["被狗咬了都没地方打", "狂犬疫苗没货，社区医院说等通知", "被狗咬伤了 打不上狂犬疫苗"]
)
async def test_no_rabies_shot_is_an_ordinary_health_complaint(said: str):
    chat = Chat()  # no model: the keyword fallback suggests the category
    reply = await chat.say(said)
    assert "【紧急】" not in reply and "120" not in reply
    assert chat.session.requested == "location"
    reply = await chat.say("朝阳区望京西园三区12号楼")
    assert "【卫生计生】" in reply
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "7 天内" in reply and chat.draft.category == "卫生计生"


async def test_a_bite_that_bleeds_still_gets_first_aid_advice():
    chat = Chat()
    reply = await chat.say("孩子被狗咬了流了好多血")
    assert "【紧急】" in reply and "120" in reply


# -- 2: a place without a district: "在哪个区？" asked once, so the right office gets it
NO_DISTRICT = "幸福花园小区门口的路灯坏了"


async def _to_summary(chat: Chat, *answers: str) -> str:
    reply = ""
    for answer in (*answers, "是", "匿名", "没有"):
        reply = await chat.say(answer)
    assert "请核对" in reply, reply
    return reply


@pytest.mark.parametrize("answer", ["朝阳区", "朝阳", "在朝阳那边", "朝杨区", "chaoyang"])
async def test_a_compound_without_a_district_asks_for_it(answer: str):
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say(NO_DISTRICT)
    assert "在哪个区" in reply and "不清楚" in reply
    assert chat.session.requested == "district"
    summary = await _to_summary(chat, answer)
    assert "【地点】幸福花园小区门口（朝阳区）" in summary
    await chat.say("确认")
    assert chat.draft.location.text == "幸福花园小区门口"
    assert chat.draft.location.district == "朝阳区"


async def test_the_district_asked_for_a_place_given_as_an_answer():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("路灯坏了好几天了，晚上很黑")
    assert "在哪个区" in await chat.say("幸福花园小区")
    assert "属于【城乡建设】" in await chat.say("海定区")  # 海淀区 mistyped
    assert chat.session.slots["location"]["district"] == "海淀区"


@pytest.mark.parametrize("unknown", ["不清楚", "不知道", "跳过"])
async def test_not_knowing_the_district_goes_on_and_it_is_never_asked_again(unknown: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    reply = await chat.say(unknown)
    assert "工作人员核实" in reply and "属于【城乡建设】" in reply
    await _to_summary(chat)
    reply = await chat.say("地址改成幸福花园北门")
    assert "在哪个区" not in reply and "【地点】幸福花园北门" in reply
    await chat.say("确认")
    assert chat.draft.location.district == ""


async def test_an_answer_naming_no_district_is_asked_about_once_more_only():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    reply = await chat.say("就在幸福花园那边")
    assert "没认出是哪个区" in reply and chat.session.requested == "district"
    reply = await chat.say("嗯")
    assert "工作人员核实" in reply and chat.session.requested == "category"


async def test_a_location_sent_for_the_district_keeps_the_place_named():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    reply = await chat.location(39.92, 116.44, "北京市朝阳区工人体育场北路")
    assert "属于【城乡建设】" in reply
    location = chat.session.slots["location"]
    assert location["text"] == "幸福花园小区门口" and location["district"] == "朝阳区"
    assert location["lat"] == 39.92


@pytest.mark.parametrize(
    "said",
    [
        "朝阳区幸福花园小区门口的路灯坏了",
        "幸福花园小区门口的路灯坏了，在海淀",
        "望京西园三区门口的路灯坏了",  # 望京 is in 朝阳区
    ],
)
async def test_no_district_question_when_the_text_names_it(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say(said)
    assert "在哪个区" not in reply and chat.session.requested == "category"


async def test_no_district_question_after_a_location_message():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.location(39.92, 116.44, "幸福花园")
    reply = await chat.say("小区门口的路灯坏了好几天了")
    assert "在哪个区" not in reply and chat.session.requested == "category"


async def test_an_address_corrected_after_the_district_keeps_it():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(NO_DISTRICT)
    await _to_summary(chat, "朝阳区")
    reply = await chat.say("地址改成幸福花园北门")
    assert "在哪个区" not in reply and "【地点】朝阳区幸福花园北门" in reply


async def test_an_emergency_at_the_district_question_goes_first_then_it_is_asked():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("小区垃圾没人清理，臭气熏天")
    await chat.say("幸福花园小区")
    assert chat.session.requested == "district"
    await chat.say("楼道着火了，海淀区学院路20号院3号楼")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "接着登记您刚才的诉求" in reply and "在哪个区" in reply
    await chat.say("丰台")
    assert chat.session.slots["location"] == {"text": "幸福花园小区", "district": "丰台区"}


# -- 1: problems in different districts told in one message are offered one by one
TWO_DISTRICTS = "一是东城区东四十条路口路灯不亮，二是西城区西单北大街有人占道经营"


async def _two_district_summary(chat: Chat, said: str = TWO_DISTRICTS) -> str:
    chat.suggest("城乡建设")
    await chat.say(said)
    reply = ""
    for answer in ("是", "13812345678", "没有"):
        reply = await chat.say(answer)
    assert "请核对" in reply, reply
    return reply


@pytest.mark.parametrize(
    "said",
    [
        TWO_DISTRICTS,
        "1. 东城区东四十条路口路灯不亮 2. 西城区西单北大街有人占道经营",
        "反映两个问题：第一，东城区东四十条路口路灯不亮；第二，西城区西单北大街有人占道经营",
        "东城区东四十条路口路灯不亮，另外西城区西单北大街有人占道经营",
    ],
)
async def test_two_problems_in_two_districts_are_offered_and_registered_apart(said: str):
    chat = Chat()
    summary = await _two_district_summary(chat, said)
    assert "两件不同区的事" in summary and "回复“分开”" in summary
    reply = await chat.say("分开")
    assert "先登记第一件" in reply and "工单编号：20261128-0001" in reply
    assert "接着登记您说的另一件事：“西城区西单北大街有人占道经营”" in reply
    await chat.say("是")  # its own category question
    summary = await chat.say("没有")  # photos; the phone holds for both
    assert "【地点】西城区西单北大街" in summary and "【电话】13812345678" in summary
    assert "不同区" not in summary
    await chat.say("确认")
    first, second = chat.ports.registered
    assert first.description == "东城区东四十条路口路灯不亮"
    assert (first.location.text, first.location.district) == ("东城区东四十条路口", "东城区")
    assert first.contact_phone == "13812345678"
    assert second.description == "西城区西单北大街有人占道经营"
    assert second.location.district == "西城区" and second.contact_phone == "13812345678"
    assert chat.session.form is None


@pytest.mark.parametrize("keep", ["确认", "不用分开", "合为一件"])
async def test_the_citizen_may_keep_one_ticket(keep: str):
    chat = Chat()
    await _two_district_summary(chat)
    reply = await chat.say(keep)
    if keep != "确认":
        assert "合为一件" in reply and "请核对" in reply and "不同区" not in reply
        reply = await chat.say("确认")
    assert "工单编号" in reply and "另一件" not in reply
    assert chat.draft.description == TWO_DISTRICTS and chat.session.form is None


async def test_a_part_without_an_address_asks_for_its_street_before_registering():
    chat = Chat()
    await _two_district_summary(
        chat, "一是东城区路灯不亮好几天了，二是西城区西单北大街有人占道经营"
    )
    reply = await chat.say("好的，分开登记")
    assert "已记下东城区" in reply and not chat.ports.registered
    assert "请核对" in await chat.say("东四十条路口")
    reply = await chat.say("确认")
    assert "接着登记您说的另一件事" in reply
    assert chat.ports.registered[0].location.district == "东城区"


async def test_a_draft_an_emergency_interrupted_comes_back_after_all_the_parts():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("小区垃圾没人清理，臭气熏天")
    await chat.say("朝阳区幸福花园小区")
    await chat.say("东城区和平里七区3号楼着火了，另外西城区西单北大街井盖没了")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    await chat.say("分开")
    await chat.say("是")
    await chat.say("没有")
    reply = await chat.say("确认")
    assert "接着登记您刚才的诉求：“小区垃圾没人清理，臭气熏天”" in reply
    assert [draft.location.district for draft in chat.ports.registered] == ["东城区", "西城区"]


@pytest.mark.parametrize(
    "said",
    [
        "从东城区到西城区的公交车总晚点，东城区东四十条站等了半小时",  # one problem, two places
        "一是东城区东四十条路口路灯不亮，二是东城区和平里七区有人占道经营",  # one district
        "东城区东四十条路口路灯不亮，还有旁边的井盖也松了",  # more of the same place
    ],
)
async def test_one_problem_or_one_district_is_not_offered_apart(said: str):
    chat = Chat()
    summary = await _two_district_summary(chat, said)
    assert "不同区" not in summary
    reply = await chat.say("分开")
    assert "工单编号" not in reply and not chat.ports.registered


@pytest.mark.parametrize(
    "said", ["分开", "分开吧", "好的，分开登记", "分两件", "分成两件登记", "拆开"]
)
def test_ways_to_take_the_offer(said: str):
    assert intents.SPLIT.match(said) and not intents.KEEP_TOGETHER.match(said)


@pytest.mark.parametrize("said", ["不用分开", "不分开", "别拆", "合并", "一件就行", "合为一件"])
def test_ways_to_keep_one_ticket(said: str):
    assert intents.KEEP_TOGETHER.match(said) and not intents.SPLIT.match(said)
