"""Defects from a citizen-role review, each as the citizen met it."""

from __future__ import annotations

import re

import pytest

from dialogs import messages as m
from dialogs.extract import parse_phone
from models.inbound import Inbound, InboundKind
from tests.dialogs.chat import Chat


# -- A1: announcing a complaint is not the complaint --------------------------------
@pytest.mark.parametrize(
    "opener", ["我要反映个问题", "我想投诉一下", "我想反映一个问题", "有个问题想反映"]
)
async def test_an_opener_asks_what_happened(opener: str):
    chat = Chat()
    reply = await chat.say(opener)
    assert "请描述" in reply
    assert chat.session.requested == "description"
    assert "description" not in chat.session.slots


async def test_an_opener_then_place_then_problem_registers_the_problem():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("我要反映个问题")
    await chat.say("我们小区")
    reply = await chat.say("东城区和平里七区")
    assert "东城区和平里七区" in reply and "请描述" in reply
    reply = await chat.say("电梯坏了一个月了，老人下不了楼")
    assert "属于【城乡建设】" in reply
    await chat.say("是")
    await chat.say("匿名")
    summary = await chat.say("没有")
    assert "【问题】电梯坏了一个月了，老人下不了楼" in summary
    await chat.say("确认")
    assert chat.draft.description == "电梯坏了一个月了，老人下不了楼"
    assert chat.draft.location.text == "东城区和平里七区"


async def test_an_opener_is_never_the_description_when_asked_for_one():
    chat = Chat()
    await chat.click("COMPLAIN")
    await chat.say("我想反映一个问题")
    assert "description" not in chat.session.slots
    assert chat.session.requested == "description"


async def test_an_opener_mid_form_does_not_answer_the_location():
    chat = Chat()
    await chat.say("小区门口的路灯坏了好几天了")
    assert chat.session.requested == "location"
    reply = await chat.say("我想投诉一下")
    assert "正在登记" in reply
    assert "location" not in chat.session.slots


# -- A2: danger to life gets safety advice first -------------------------------------
async def test_fire_gets_119_and_is_kept_for_the_complaint():
    chat = Chat()
    reply = await chat.say("着火了")
    assert "119" in reply and "撤离" in reply
    assert "没看明白" not in reply
    assert chat.session.slots.get("_partial") == "着火了"


async def test_a_fight_gets_110_and_the_complaint_goes_on():
    chat = Chat()
    reply = await chat.say("有人打架，快来人")
    assert "110" in reply
    assert chat.session.requested == "location"


async def test_a_gas_leak_gets_leave_no_switches_and_96777():
    chat = Chat()
    reply = await chat.say("楼道里有很大的煤气味，可能燃气泄漏了，丰台区方庄芳古园一区5号楼")
    assert reply.index("96777") < reply.index("属于")
    assert "不要开关电灯电器" in reply and "119" in reply


async def test_danger_mid_form_gets_advice_before_the_answer_is_used():
    chat = Chat()
    await chat.say("小区门口的路灯坏了好几天了")
    reply = await chat.say("朝阳区望京西园三区12号楼，刚才那边电线冒烟了")
    assert "119" in reply
    assert chat.session.slots["location"]["district"] == "朝阳区"


@pytest.mark.parametrize(
    "text", ["楼下火锅店油烟太大，窗户都不敢开", "楼上天天打架子鼓太吵了", "怎么拨打人工服务"]
)
async def test_no_false_alarm_on_ordinary_complaints(text: str):
    chat = Chat()
    assert "紧急" not in await chat.say(text)


# -- A3: progress asked in words lists the citizen's complaints ----------------------
async def _registered(chat: Chat) -> str:
    await chat.say("楼下饭馆油烟很大三个月了，朝阳区望京西园三区12号楼")
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    return chat.session.last_no


@pytest.mark.parametrize(
    "question",
    [
        "2026年11月29日的那个投诉怎么样了",
        "我的投诉怎么样了",
        "到哪了",
        "有结果了吗",
        "处理得怎么样",
    ],
)
async def test_progress_in_words_lists_my_complaints(question: str):
    chat = Chat()
    no = await _registered(chat)
    reply = await chat.say(question)
    assert no in reply and "已登记" in reply
    assert chat.session.form is None


async def test_progress_in_words_then_a_real_complaint_is_not_its_address():
    chat = Chat()
    await _registered(chat)
    await chat.say("2026年11月29日的那个投诉怎么样了")
    await chat.say("小区门口的路灯坏了好几天了，晚上很黑")
    assert chat.session.requested == "location"
    assert "路灯" in chat.session.slots["description"]


# -- A4: a loose cancel word never silently discards a draft -------------------------
async def _at_photos(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险，西城区右内西街10号院")
    await chat.say("是")
    await chat.say("13800138000")
    assert chat.session.requested == "photos"


@pytest.mark.parametrize("answer", ["算了", "不发了", "照片不发了", "没有照片"])
async def test_no_photos_in_other_words_goes_to_the_summary(answer: str):
    chat = Chat()
    await _at_photos(chat)
    reply = await chat.say(answer)
    assert "请核对" in reply and "已取消" not in reply
    assert chat.session.slots["photos"] == []


async def test_cancel_with_a_description_and_a_place_asks_once():
    chat = Chat()
    await _at_photos(chat)
    await chat.say("没有")
    reply = await chat.say("算了")
    assert "要放弃" in reply and chat.session.form == "complaint"
    assert "已取消" in await chat.say("放弃")
    assert chat.session.form is None and not chat.ports.registered


async def test_anything_but_giving_up_continues_the_form():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险，西城区右内西街10号院")
    assert "要放弃" in await chat.say("不想投诉了")
    # a category number answers the question before; a bare "是" would answer
    # "要放弃吗？" (see test_citizen_retest)
    reply = await chat.say("1")
    assert chat.session.slots["category"] == "城乡建设"
    assert chat.session.requested == "contact_phone" and "电话" in reply
    assert "要放弃" in await chat.say("取消登记")  # 算了 here would mean "no phone"
    assert "我们继续" in await chat.say("不放弃")
    assert chat.session.requested == "contact_phone"


async def test_cancel_before_there_is_a_place_still_ends_at_once():
    chat = Chat()
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    assert "已取消" in await chat.say("算了")
    assert chat.session.form is None


# -- A5: policy questions are consultations ------------------------------------------
@pytest.mark.parametrize("question", ["办居住证要什么材料", "社保怎么转移", "垃圾分类怎么分？"])
async def test_a_how_to_question_is_a_consultation(question: str):
    chat = Chat()
    reply = await chat.say(question)
    assert "登记咨询" in reply and "哪里" not in reply
    assert chat.session.form is None
    assert "咨询" in await chat.say("登记咨询")
    assert chat.draft.description == question


async def test_after_the_consult_menu_the_next_message_is_a_consultation():
    chat = Chat()
    await chat.click("CONSULT")
    reply = await chat.say("居住证办理")
    assert "登记咨询" in reply
    assert chat.session.form is None


@pytest.mark.parametrize("text", ["路灯坏了好几天怎么还不修", "楼下噪音怎么没人管"])
async def test_a_complaint_with_a_question_word_is_still_a_complaint(text: str):
    chat = Chat()
    await chat.say(text)
    assert chat.session.form == "complaint"


# -- B1: a failed correction at the summary never traps the citizen ----------------
async def _at_summary(chat: Chat) -> None:
    await _at_photos(chat)
    assert "请核对" in await chat.say("没有")


async def test_confirm_after_a_refused_phone_keeps_the_old_one():
    chat = Chat()
    await _at_summary(chat)
    assert "格式不对" in await chat.say("电话改成 12345")
    reply = await chat.say("确认")
    assert "保留原来的" in reply and "请核对" in reply and "13800138000" in reply
    assert "工单编号" in await chat.say("确认")
    assert chat.draft.contact_phone == "13800138000"


@pytest.mark.parametrize("way_out", ["我的诉求", "/click MY_COMPLAINTS", "不改了"])
async def test_a_command_after_a_refused_phone_returns_to_the_summary(way_out: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say("电话改成 12345")
    if way_out.startswith("/click "):
        # a menu's answer recalls the draft in one line; "继续" shows the summary
        reply = await chat.click(way_out.removeprefix("/click "))
        assert "回复“继续”" in reply and "请留下联系电话" not in reply
        reply = await chat.say("继续")
    else:
        reply = await chat.say(way_out)
    assert "请核对" in reply and "请留下联系电话" not in reply
    assert chat.session.requested == "confirm"


async def test_naming_the_address_then_confirming_keeps_it():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("地址")
    assert "请核对" in await chat.say("确认")
    await chat.say("确认")
    assert chat.draft.location.text == "西城区右内西街10号院"


# -- B2-B6: small ones -------------------------------------------------------------
@pytest.mark.parametrize("ask", ["我要人工", "找人工客服", "有没有真人", "转人工服务"])
async def test_asking_for_a_person_in_other_words(ask: str):
    chat = Chat()
    assert await chat.say(ask) == await Chat().say("人工")


async def test_query_alone_is_the_query_menu():
    chat = Chat()
    assert "工单编号" in await chat.say("查询")
    no = await _registered(chat)
    reply = await chat.say("查询")
    assert no in reply and "状态" in reply


async def test_a_cut_message_says_how_to_send_the_rest():
    chat = Chat()
    event = Inbound(
        chat.openid, InboundKind.TEXT, chat.ports.now, text="楼道灯坏了" * 120, truncated=True
    )
    turn = await chat.engine.handle(chat.session, event, chat.ports, chat.ports.now)
    assert "补充" in turn.replies[0] and "600" in turn.replies[0]


async def test_held_while_paused_says_what_to_choose():
    chat = Chat()
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    reply = await chat.say("是")
    reply = await chat.say("晚上十点以后特别黑")
    assert "“继续”或“重新开始”" in reply.splitlines()[0]


async def test_supplement_before_a_description_is_kept():
    chat = Chat()
    await chat.click("COMPLAIN")
    assert "晚上十点后最黑" in await chat.say("补充 晚上十点后最黑")
    await chat.say("补充 晚上十点后最黑")
    await chat.say("小区路灯坏了三天了")
    assert chat.session.slots["description"] == "晚上十点后最黑，小区路灯坏了三天了"


# -- C: cosmetic ---------------------------------------------------------------------
async def test_the_ninth_photo_says_the_limit_is_reached():
    chat = Chat()
    await _at_photos(chat)
    for index in range(1, 9):
        await chat.photo(f"m{index}")
    reply = await chat.photo("m9")
    assert "第 9 张" in reply and "还可以继续" not in reply and "已满" in reply


async def test_a_first_phone_by_voice_is_not_a_change():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    reply = await chat.voice("电话是13800138000")
    assert "已修改" not in reply
    assert chat.session.slots["contact_phone"] == "13800138000"


def test_the_landline_example_is_a_real_looking_beijing_number():
    # 010-12345678 is no Beijing number: local numbers never start with 0 or 1
    [example] = re.findall(r"0\d{2,3}-\d{7,8}", m.BAD_PHONE)
    assert re.fullmatch(r"010-[2-9]\d{7}", example)
    assert parse_phone(example) == example
