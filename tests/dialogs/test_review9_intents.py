"""Regressions from the ninth citizen-role review about what a message is for: chasing
a complaint ("怎么还没人来", "催一下") is a progress question (#5); a ticket number
dictated by voice ("二零二六一一三零杠零零一五", "幺五号") is a query, never a
complaint (#7); the 咨询 menu tapped mid-form leaves a "是" to the form and never files
"是" as a consultation (#6); a problem with its place typed after 咨询 is offered as a
complaint (#8); "咨询的那个有人回了吗" asks about the consultation (#11); a bare "0001"
or "20261130" after the 查询 menu is part of a ticket number (#21)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dialogs import messages as m
from models.complaint import Complaint, ComplaintKind, ComplaintStatus
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了，电话13812345678"
STAIRS = "东城区和平里东街11号院3号楼楼道灯坏了"


async def _registered(chat: Chat) -> str:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    for answer in ("是", "没有"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")
    return chat.session.last_no


def _seed(chat: Chat, no: str, **fields: object) -> Complaint:
    """A ticket of the chat's citizen with a chosen number, registered now."""
    complaint = Complaint.submit(
        no=no,
        openid=chat.openid,
        description="朝阳区望京西园三区12号楼楼道灯坏了",
        created_at=chat.ports.now,
        due_at=chat.ports.now + timedelta(days=7),
        category="城乡建设",
        department_name="市住房城乡建设委",
    )
    complaint = replace(complaint, **fields)
    chat.ports.complaints[no] = complaint
    return complaint


# -- #5: chasing a complaint is a progress question, never a new one ----------------------
CHASES = ["怎么还没人来", "都三天了还没人管", "催一下", "能不能快点"]


@pytest.mark.parametrize("said", CHASES)
async def test_a_chase_after_registering_shows_the_complaint(said: str):
    chat = Chat()
    no = await _registered(chat)
    chat.wait(60 * 24 * 3)
    reply = await chat.say(said)
    assert no in reply and m.MY_HEADER in reply, reply
    assert chat.session.form is None and len(chat.ports.registered) == 1
    assert "哪里" not in reply and m.CONSULT_NO_ANSWER not in reply


@pytest.mark.parametrize("said", [*CHASES, "我上周打电话反映的，到现在没人管"])
async def test_a_chase_with_nothing_here_says_how_to_check_a_phone_case(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert m.NO_CASE_HERE in reply and "12345" in reply, reply
    assert chat.session.form is None and chat.session.offer == ""


async def test_a_chase_of_a_phone_case_with_others_here_says_how_to_check_it():
    chat = Chat()
    no = await _registered(chat)
    reply = await chat.say("我上周打电话反映的，到现在没人管")
    assert no in reply and m.PHONE_CASE_HINT in reply, reply
    assert chat.session.form is None and len(chat.ports.registered) == 1


async def test_a_chase_or_query_mid_form_is_answered_and_the_question_follows():
    chat = Chat()
    no = await _registered(chat)
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了")
    await chat.say("是")
    assert chat.session.requested == "contact_phone"
    for said in ("催一下", "怎么还没人来", "查一下我的工单20261128杠0001"):
        reply = await chat.say(said)
        assert no in reply and "还用上次的电话" in reply, (said, reply)
        assert "格式不对" not in reply and "另一件事" not in reply, (said, reply)
    assert chat.session.slots["description"] == "朝阳区望京西园三区12号楼门口的路灯坏了"
    assert "_next" not in chat.session.slots or not chat.session.slots["_next"]


async def test_a_chase_at_the_address_question_is_never_an_address():
    chat = Chat()
    no = await _registered(chat)
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯坏了一个多星期了")
    assert chat.session.requested == "location"
    reply = await chat.say("都三天了还没人管")
    assert no in reply and "还是在 海淀区学院路20号院门口 吗" in reply, reply
    assert "没能识别地址" not in reply and chat.session.requested == "location"


# -- #7: a ticket number dictated by voice ------------------------------------------------
@pytest.mark.parametrize(
    "said",
    [
        "查询二零二六一一二八杠零零零一",
        "二〇二六一一二八横杠〇〇〇一",
        "查一下我的工单20261128杠0001",
        "查询 ２０２６１１２８ 减 ０００１",
    ],
)
async def test_a_dictated_ticket_number_is_looked_up(said: str):
    chat = Chat()
    no = await _registered(chat)
    reply = await chat.voice(said)
    assert f"工单 {no}\n状态：" in reply, reply
    assert chat.session.form is None and len(chat.ports.registered) == 1


@pytest.mark.parametrize(
    "said", ["我要查询工单幺五号", "15号工单", "幺五号工单", "查询工单尾号0015"]
)
async def test_a_short_number_said_as_a_ticket_is_looked_up(said: str):
    chat = Chat()
    _seed(chat, "20261130-0015")
    reply = await chat.voice(said)
    assert "工单 20261130-0015\n状态：" in reply, reply
    assert chat.session.form is None


async def test_queries_mid_form_are_never_added_to_the_description():
    chat = Chat()
    _seed(chat, "20261130-0015")
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯坏了一个多星期了")
    for said in ("查询二零二六一一三零杠零零一五", "我要查询工单幺五号", "15号工单"):
        reply = await chat.voice(said)
        assert "20261130-0015\n状态：" in reply and "问题发生在哪里" in reply, (said, reply)
        assert m.DRAFT_SUPPLEMENTED not in reply
    assert chat.session.slots["description"] == "小区门口的路灯坏了一个多星期了"


# -- #21: after the 查询 menu, part of a number --------------------------------------------
async def test_after_the_query_menu_a_tail_or_a_date_mid_form_is_looked_up():
    chat = Chat()
    _seed(chat, "20261130-0001")
    _seed(chat, "20261130-0002")
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了")
    assert chat.session.requested == "category"
    assert m.ASK_TICKET in await chat.click("QUERY")
    reply = await chat.say("20261130")
    assert m.TICKET_WHICH.format(no="20261130") in reply, reply
    assert "20261130-0001" in reply and "20261130-0002" in reply
    assert m.ASK_TICKET in await chat.click("QUERY")
    reply = await chat.say("0001")
    assert "工单 20261130-0001\n状态：" in reply and "还没提交" in reply, reply
    assert chat.session.requested == "category" and "category" not in chat.session.slots


async def test_after_the_query_menu_a_tail_at_the_address_question_is_no_address():
    chat = Chat()
    _seed(chat, "20261130-0001")
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯坏了一个多星期了")
    await chat.click("QUERY")
    reply = await chat.say("1")
    assert "工单 20261130-0001\n状态：" in reply and "没能识别地址" not in reply, reply
    assert "location" not in chat.session.slots


async def test_a_bare_tail_at_idle_is_looked_up():
    chat = Chat()
    _seed(chat, "20261130-0001")
    reply = await chat.say("0001")
    assert "工单 20261130-0001\n状态：" in reply, reply


# -- #6: the 咨询 menu mid-form ---------------------------------------------------------------
async def test_a_yes_after_the_consult_menu_mid_form_answers_the_form():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(STAIRS)
    assert chat.session.requested == "category"
    assert await chat.click("CONSULT") == m.CONSULT_PROMPT
    reply = await chat.say("是")
    assert m.CONSULT_NO_ANSWER not in reply and "联系电话" in reply, reply
    assert chat.session.slots["category"] == "城乡建设"
    await chat.click("MY_COMPLAINTS")
    await chat.say("是")
    assert chat.ports.registered == []


@pytest.mark.parametrize("said", ["确认", "地址改成海淀区学院路20号院北门"])
async def test_the_summary_answered_after_the_consult_menu_goes_to_the_form(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    assert "请核对您的诉求" in await chat.say("没有")
    await chat.click("CONSULT")
    reply = await chat.say(said)
    assert m.CONSULT_NO_ANSWER not in reply and m.CONSULT_IS_COMPLAINT not in reply, reply
    assert "已为您登记" in reply or "北门" in chat.session.slots["location"]["text"], reply
    assert all(d.kind is ComplaintKind.COMPLAINT for d in chat.ports.registered)


async def test_a_yes_alone_after_the_consult_menu_is_never_filed():
    chat = Chat()
    await chat.click("CONSULT")
    for said in ("是", "是"):
        reply = await chat.say(said)
        assert reply == m.CONSULT_ASK_AGAIN and "已登记" not in reply, reply
    assert await chat.say("登记咨询") == m.CONSULT_ASK_AGAIN
    assert chat.ports.registered == []


async def test_a_menu_tap_withdraws_the_offer_to_file_a_consultation():
    chat = Chat()
    assert m.CONSULT_NO_ANSWER in await chat.say("社保怎么交")
    await chat.click("MY_COMPLAINTS")
    await chat.say("是")
    assert chat.ports.registered == []


# -- #8: a problem with its place typed after 咨询 -------------------------------------------
async def test_a_problem_with_its_place_after_the_consult_menu_is_offered_as_a_complaint():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.click("CONSULT")
    reply = await chat.say("我家楼下的路灯坏了三天了，朝阳区安贞西里5号楼")
    assert reply == m.CONSULT_IS_COMPLAINT, reply
    assert "属于【城乡建设】" in await chat.say("好")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")
    draft = chat.draft
    assert draft.kind is ComplaintKind.COMPLAINT and draft.category == "城乡建设"
    assert "安贞西里5号楼" in draft.location.text and draft.location.district == "朝阳区"


async def test_a_problem_after_the_consult_menu_kept_as_a_consultation_on_request():
    chat = Chat()
    await chat.click("CONSULT")
    assert await chat.say("我家楼下的路灯坏了三天了，朝阳区安贞西里5号楼") == m.CONSULT_IS_COMPLAINT
    assert "已登记为咨询" in await chat.say("登记咨询")
    assert chat.draft.description == "我家楼下的路灯坏了三天了，朝阳区安贞西里5号楼"


# -- #11: whether a consultation was answered ------------------------------------------------
@pytest.mark.parametrize("said", ["咨询的那个有人回了吗", "我问的问题有人回复了吗"])
async def test_asking_whether_the_consultation_was_answered_shows_it(said: str):
    chat = Chat()
    await chat.say("社保怎么交")
    assert "已登记为咨询" in await chat.say("登记咨询")
    no = chat.session.last_no
    entry = {"round": 1, "text": "社保可在线缴纳。", "by": "rsj", "at": chat.ports.now}
    chat.ports.complaints[no] = replace(
        chat.ports.complaints[no], status=ComplaintStatus.REPLIED, replies=(entry,)
    )
    reply = await chat.say(said)
    assert f"工单 {no}" in reply and "社保可在线缴纳" in reply, reply
    assert m.CONSULT_NO_ANSWER not in reply and len(chat.ports.registered) == 1


async def test_asking_about_a_consultation_with_none_says_so():
    chat = Chat()
    reply = await chat.say("咨询的那个有人回了吗")
    assert reply == m.CONSULT_MINE_NONE and chat.session.offer == ""


# -- review 9b High #2: a hurry word inside a form answer never replaces the answer -----------
_ANSWERS = {"category": "是", "photos": "没有", "contact_phone": "13900001111"}


async def _at(chat: Chat, slot: str) -> None:
    """A new complaint, answered up to the question for `slot`."""
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了")
    while chat.session.requested != slot:
        await chat.say(_ANSWERS[chat.session.requested or ""])


@pytest.mark.parametrize("earlier", [False, True])
async def test_a_phone_said_in_a_hurry_is_the_phone(earlier: bool):
    chat = Chat()
    if earlier:
        await _registered(chat)
    await _at(chat, "contact_phone")
    reply = await chat.say("13812345678，麻烦快点")
    assert chat.session.slots["contact_phone"] == "13812345678", reply
    assert m.NO_CASE_HERE not in reply and m.MY_HEADER not in reply, reply


@pytest.mark.parametrize("said", ["快点提交吧", "赶紧登记吧", "确认，快点来修"])
async def test_hurrying_the_summary_registers_it(said: str):
    chat = Chat()
    await _at(chat, "confirm")
    reply = await chat.say(said)
    assert "已为您登记" in reply and len(chat.ports.registered) == 1, reply


@pytest.mark.parametrize("said", ["催一下", "快点", "能不能快点"])
async def test_a_bare_chase_at_the_summary_asks_for_the_confirmation(said: str):
    chat = Chat()
    await _at(chat, "confirm")
    reply = await chat.say(said)
    assert m.NO_CASE_HERE not in reply and m.SUMMARY_HURRY in reply, reply
    assert "请核对您的诉求" in reply and chat.ports.registered == []
    assert chat.session.requested == "confirm"


@pytest.mark.parametrize("earlier", [False, True])
@pytest.mark.parametrize("said", ["快点吧", "快点处理"])
async def test_hurrying_mid_form_is_about_the_draft(said: str, earlier: bool):
    chat = Chat()
    if earlier:
        await _registered(chat)
    await _at(chat, "category")
    reply = await chat.say(said)
    assert m.NO_CASE_HERE not in reply and m.MY_HEADER not in reply, reply
    assert m.VENTING_IN_FORM in reply and "属于【城乡建设】" in reply, reply
    assert chat.session.requested == "category" and "category" not in chat.session.slots


async def test_a_chase_mid_form_with_nothing_before_never_says_there_is_nothing():
    chat = Chat()
    await _at(chat, "contact_phone")
    reply = await chat.say("催一下")
    assert m.NO_CASE_HERE not in reply and m.VENTING_IN_FORM in reply, reply
    assert chat.session.requested == "contact_phone"


# -- review 9b Medium #5: a consultation asked after by its subject ---------------------------
@pytest.mark.parametrize("earlier", [False, True])
async def test_a_consultation_asked_after_by_subject_is_never_a_complaint(earlier: bool):
    chat = Chat()
    if earlier:
        await _registered(chat)  # a complaint, no consultation
    reply = await chat.say("上次咨询的社保问题有人回了吗")
    assert reply == m.CONSULT_MINE_NONE and "12345" in reply, reply
    assert chat.session.form is None and chat.session.offer == ""
    assert len(chat.ports.registered) == int(earlier)


# -- review 9 #5 (still open): a chase naming the subject of an open ticket ---------------------
@pytest.mark.parametrize(
    "said", ["路灯的事催一下", "学院路那个路灯能不能快点修", "我就想问问，路灯到底啥时候修"]
)
async def test_a_chase_naming_an_open_ticket_shows_it(said: str):
    chat = Chat()
    no = await _registered(chat)
    chat.wait(60 * 24 * 2)
    chat.suggest("城乡建设")
    reply = await chat.say(said)
    assert f"工单 {no}\n状态：" in reply and m.CHASE_NAMED.format(no=no) in reply, reply
    assert chat.session.form is None and len(chat.ports.registered) == 1


@pytest.mark.parametrize("said", ["垃圾站的事催一下", "朝阳区那个路灯能不能快点修"])
async def test_a_chase_naming_something_else_is_not_that_ticket(said: str):
    chat = Chat()
    no = await _registered(chat)
    chat.wait(60 * 24 * 2)
    chat.suggest("城乡建设")
    reply = await chat.say(said)
    assert no not in reply and m.CHASE_NAMED.format(no=no) not in reply, reply


async def test_the_same_problem_told_again_goes_to_the_form():
    chat = Chat()
    await _registered(chat)
    chat.suggest("城乡建设")
    await chat.say("学院路20号院门口的路灯坏了好几天还没人修")
    assert chat.session.form is not None


# -- review 9b Low #2: a ticket date after the 查询 menu showed the last ticket --------------
async def test_a_ticket_date_after_the_query_card_mid_form_is_no_landline():
    chat = Chat()
    no = await _registered(chat)
    await _at(chat, "contact_phone")
    assert f"工单 {no}\n状态：" in await chat.click("QUERY")
    reply = await chat.say(no.partition("-")[0])
    assert m.TICKET_WHICH.format(no=no.partition("-")[0]) in reply and no in reply, reply
    assert "contact_phone" not in chat.session.slots
    assert chat.session.requested == "contact_phone"


@pytest.mark.parametrize(("slot", "said"), [("contact_phone", "13812345678"), ("category", "1")])
async def test_the_form_answer_after_the_query_card_still_answers_it(slot: str, said: str):
    chat = Chat()
    await _registered(chat)
    await _at(chat, slot)
    await chat.click("QUERY")
    await chat.say(said)
    assert slot in chat.session.slots and chat.session.requested != slot
