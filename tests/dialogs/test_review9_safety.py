"""Regressions from the ninth citizen-role review, emergencies and safety (#1, #2, #17,
#23): self-harm, a bare "救命" and poisoning recognised, with crisis lines and no form
pushed; violence at home, missing people and burst pipes advised on; no "持续多久" after
an injury; the same emergency sent again acknowledged in one line."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from dialogs import messages as m
from dialogs.session import Session
from models.sla import Urgency, dangers, detect_urgency
from tests.dialogs.chat import Chat

CRISIS_LINE = "010-82951332"
PLACE = "朝阳区望京西园三区12号楼"


async def _register_rest(chat: Chat) -> str:
    """Answer whatever the form still asks with plain answers; the registration reply."""
    answers = {
        "location": PLACE,
        "category": "是",
        "contact_phone": "匿名",
        "photos": "没有",
        "confirm": "确认",
    }
    reply = ""
    while chat.session.form is not None:
        reply = await chat.say(answers[chat.session.requested or "confirm"])
    return reply


# -- #1: self-harm gets the crisis lines, warmly, and no complaint form ---------------------
@pytest.mark.parametrize(
    "said",
    ["我不想活了", "活着没意思", "我想自杀", "想跳楼", "我想轻生", "我每天都想死", "活不下去了"],
)
async def test_self_harm_gets_the_crisis_lines_and_no_form(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert "不是一个人" in reply and "110" in reply and "120" in reply
    assert CRISIS_LINE in reply and "12356" in reply
    assert "持续多久" not in reply and "问题发生在哪里" not in reply
    assert "没看明白" not in reply and "【紧急】" not in reply
    assert chat.session.form is None
    assert dangers(said) == ["self_harm"] and detect_urgency(said) is Urgency.DANGER


async def test_after_the_crisis_lines_the_next_words_are_not_pushed_into_a_form():
    chat = Chat()
    await chat.say("我不想活了")
    reply = await chat.say("活着没意思")  # said again in other words: shorter, numbers kept
    assert reply == m.SELF_HARM_AGAIN and CRISIS_LINE in reply
    assert chat.session.form is None
    reply = await chat.say("登记")  # registering is theirs to ask for
    assert reply == m.ASK_DESCRIPTION and chat.session.form == "complaint"


@pytest.mark.parametrize("said", ["被骗了二十万，我不想活了", "单位拖欠工资半年了，我真的不想活了"])
async def test_a_wish_to_die_is_heard_whatever_else_the_message_is_about(said: str):
    # a fraud or a debt once hid the words ("骗" is a consultation, not an emergency)
    chat = Chat()
    reply = await chat.say(said)
    assert CRISIS_LINE in reply and chat.session.form is None


async def test_a_problem_told_with_a_wish_to_die_is_registered_on_登记_within_two_hours():
    chat = Chat()
    chat.suggest("劳动和社会保障")
    reply = await chat.say("单位拖欠工资半年了，我真的不想活了")
    assert "“单位拖欠工资半年了”" in reply and "回复“登记”" in reply
    assert chat.session.form is None
    await chat.say("登记")
    assert chat.session.form == "complaint" and chat.session.requested == "location"
    registered = await _register_rest(chat)
    assert "2 小时内" in registered  # a person at risk: the hotline calls back soon


@pytest.mark.parametrize(
    "before", [[], ["我要投诉"], ["我不想活了"]], ids=["idle", "after 我要投诉", "said again"]
)
async def test_a_problem_told_with_a_wish_to_die_is_offered_whatever_came_before(
    before: list[str],
):
    chat = Chat()
    for said in before:
        await chat.say(said)
    reply = await chat.say("单位拖欠工资半年了，我真的不想活了")
    assert "“单位拖欠工资半年了”" in reply and "回复“登记”" in reply
    assert chat.session.form is None
    await chat.say("登记")
    assert chat.session.slots["description"].startswith("单位拖欠工资半年了")


async def test_self_harm_mid_form_keeps_the_draft_waiting():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯坏了好几天了")
    await chat.say(PLACE)
    assert chat.session.requested == "category"
    reply = await chat.say("我不想活了")
    assert CRISIS_LINE in reply and "先登记这件紧急的事" not in reply
    assert "回复“继续”" in reply and "属于【城乡建设】吗" not in reply
    assert chat.session.slots["description"] == "小区门口的路灯坏了好几天了"
    assert "属于【城乡建设】吗" in await chat.say("继续")


@pytest.mark.parametrize(
    "said", ["救命", "救命啊！！", "救命救命", "救救我", "快点来人啊救命", "赶紧来人啊，救命！"]
)
async def test_a_bare_cry_for_help_gets_110_and_120_not_the_help_menu(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert reply.startswith(m.EMERGENCY["help"]) and "110" in reply and "120" in reply
    assert "没看明白" not in reply and "持续多久" not in reply
    assert m.CRY_THEN in reply and chat.session.form is None


@pytest.mark.parametrize("said", ["煤气中毒了", "一氧化碳中毒", "家里老人中了煤气"])
async def test_carbon_monoxide_gets_open_the_windows_leave_and_120(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert reply.startswith(m.EMERGENCY["carbon_monoxide"])
    assert all(words in reply for words in ("打开门窗", "120", "96777"))
    assert "持续多久" not in reply and chat.session.form == "complaint"
    assert detect_urgency(said) is Urgency.DANGER


async def test_poisoning_gets_120():
    chat = Chat()
    reply = await chat.say("孩子误食了老鼠药")
    assert reply.startswith(m.EMERGENCY["poison"]) and "120" in reply


# -- #2: violence at home, missing people, burst pipes -----------------------------------
@pytest.mark.parametrize(
    ("said", "kind", "words"),
    [
        ("邻居家有人在打老婆，一直在喊救命", "violence", ["110"]),
        ("楼上在打孩子，孩子一直哭喊", "violence", ["110"]),
        ("有人在喊救命", "help", ["110"]),
        ("发现一个走失的老人", "missing", ["110"]),
        ("孩子走丢了", "missing", ["110"]),
        ("孩子被拐走了", "missing", ["110"]),
        ("家里暖气管爆了，水喷得到处都是", "burst_pipe", ["烫伤", "阀门", "物业"]),
        ("水管爆了", "burst_pipe", ["阀门"]),
        ("管爆了", "burst_pipe", ["阀门"]),
        ("暖气片旁边热水一直在喷", "burst_pipe", ["烫伤"]),
    ],
)
async def test_these_dangers_get_the_right_first_advice(said: str, kind: str, words: list[str]):
    chat = Chat()
    reply = await chat.say(said)
    assert reply.startswith(m.EMERGENCY[kind]) and all(word in reply for word in words)
    assert chat.session.form == "complaint" and "持续多久" not in reply
    assert kind in dangers(said) and detect_urgency(said) is Urgency.DANGER


async def test_domestic_violence_is_registered_with_the_two_hour_limit():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("邻居家有人在打老婆，一直在喊救命")
    registered = await _register_rest(chat)
    assert "2 小时内" in registered
    complaint = chat.ports.complaints[chat.session.last_no]
    assert complaint.due_at - complaint.created_at == timedelta(hours=2)


NOT_DANGER = [
    "打车太难了，路口总是打不到车",
    "打印机坏了",
    "这是我最后的救命稻草了，请帮帮忙解决下社保的问题",
    "看到新闻里说的家暴，想问问怎么举报",
    "走失的猫找不到了",
    "狗走丢了",
    "请打我电话13800138000",
    "物业不管我气炸了",
    "电脑中毒了",
    "热得想死",
    "想死你了",
    "上周水管爆了，物业一直没修",
    "带孩子打疫苗排队人太多",
    "房价跌成这样我都想跳楼了",
    "救命啊，物业费又涨了",
]
# words that contain a new danger word and mean something else: a ceiling, a crane, a
# sale, exercise, a walking stick, a water heater, a shower head, a parcel
NOT_DANGER_WORDS = [
    "楼上装修上吊顶，电钻声太吵",
    "工地上吊车一直在响",
    "商场门口喇叭喊跳楼价甩卖，吵死了",
    "小区没有健身器材，老人不想活动了",
    "老人被拐杖绊倒了，楼道灯太暗",
    "热水器坏了，热水喷不出来",
    "澡堂的热水喷头坏了",
    "快递被人抱走了",
]


@pytest.mark.parametrize("said", NOT_DANGER + NOT_DANGER_WORDS)
async def test_no_safety_advice_for_words_that_only_look_like_danger(said: str):
    reply = await Chat().say(said)
    assert "【紧急】" not in reply and CRISIS_LINE not in reply and "2 小时" not in reply
    assert dangers(said) == [] and detect_urgency(said) is not Urgency.DANGER


# -- #17: after an injury only where is asked, and 120/110 come first ----------------------
@pytest.mark.parametrize("said", ["我被车撞了", "煤气中毒了", "着火了"])
async def test_a_short_emergency_is_asked_only_where(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert "持续多久" not in reply and "有什么影响" not in reply
    assert m.ASK_EMERGENCY_WHERE.format(partial=said) in reply
    chat.suggest("城乡建设")
    reply = await chat.say(PLACE)  # the place answers it, and the form goes on
    assert "属于【城乡建设】吗" in reply
    assert chat.session.slots["location"]["text"] == PLACE


async def test_a_fallen_old_man_is_asked_where_and_told_not_to_wait_for_the_hotline():
    chat = Chat()
    reply = await chat.say("楼下有个老人摔倒了起不来")
    assert reply.startswith(m.EMERGENCY["injury"]) and "120" in reply
    assert "不要等这里的回复" in reply and "2 小时内" in reply
    assert "2 小时内答复" not in reply  # the hotline follows up; it does not come first
    assert "持续多久" not in reply and chat.session.requested == "location"


# -- #23: the same emergency sent again gets one line ------------------------------------
MANHOLE = "通州区梨园镇云景东路的井盖丢了，很危险"


async def test_the_same_emergency_sent_again_is_acknowledged_in_one_line():
    chat = Chat()
    chat.suggest("城乡建设")
    first = await chat.say(MANHOLE)
    assert first.startswith(m.EMERGENCY["manhole"])
    for _ in range(2):
        chat.wait(1)
        reply = await chat.say(MANHOLE)
        assert reply.startswith(m.EMERGENCY_NOTED) and "【紧急】" not in reply
        assert "属于【城乡建设】吗" in reply and chat.session.requested == "category"
    reply = await chat.say("有人吗")
    assert reply.startswith(m.EMERGENCY_HEARD) and "属于【城乡建设】吗" in reply
    await _register_rest(chat)
    assert len(chat.ports.registered) == 1


async def test_the_advice_given_is_remembered_across_the_stored_session():
    # the bot stores the session as a JSON-like document between messages
    chat = Chat()
    await chat.say(MANHOLE)
    stored = json.loads(json.dumps(chat.session.to_dict()))
    chat.session = Session.from_dict(stored, chat.openid)
    chat.wait(1)
    assert (await chat.say(MANHOLE)).startswith(m.EMERGENCY_NOTED)


async def test_the_same_emergency_after_a_while_gets_the_advice_again():
    chat = Chat()
    await chat.say(MANHOLE)
    chat.wait(15)
    assert (await chat.say(MANHOLE)).startswith(m.EMERGENCY["manhole"])


async def test_a_new_danger_within_minutes_still_gets_its_own_advice():
    chat = Chat()
    await chat.say(MANHOLE)
    chat.wait(1)
    reply = await chat.say("有人掉进井里了")
    assert reply.startswith(m.EMERGENCY["injury"]) and m.EMERGENCY["manhole"] not in reply


async def test_the_same_emergency_just_after_registering_names_the_ticket_not_a_new_form():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(MANHOLE)
    await _register_rest(chat)
    no = chat.session.last_no
    reply = await chat.say(MANHOLE)
    assert reply.startswith(m.EMERGENCY_NOTED) and no in reply and "【紧急】" not in reply
    assert chat.session.form is None and len(chat.ports.registered) == 1


async def test_有人吗_with_no_emergency_is_a_greeting_as_before():
    chat = Chat()
    assert await chat.say("有人吗") == m.GREETING


# -- read-through of the change: the safety rules read traditional characters too ------------
@pytest.mark.parametrize(
    ("said", "kind"),
    [("觸電了，有人倒地", "electric"), ("樓道裡起火了", "fire"), ("煤氣洩漏了", "gas")],
)
async def test_an_emergency_in_traditional_characters_gets_its_advice(said: str, kind: str):
    reply = await Chat().say(said)
    assert reply.startswith(m.EMERGENCY[kind]), reply


async def test_self_harm_in_traditional_characters_gets_the_crisis_lines():
    chat = Chat()
    reply = await chat.say("我想自殺")
    assert CRISIS_LINE in reply and "没看明白" not in reply
    assert chat.session.form is None
