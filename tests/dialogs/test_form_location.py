"""Where the problem is: prefilled only from a real address, asked otherwise,
and answered with the names citizens actually use."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from dialogs.complaint_form import ComplaintForm
from tests.dialogs.chat import Chat

FORM = ComplaintForm()


# -- prefill: a place word inside a noun is no address -------------------------------
@pytest.mark.parametrize(
    "description",
    ["我家楼下路灯坏了", "小区路灯不亮了好几天", "马路上有个大坑", "胡同里有人乱停车"],
)
async def test_a_description_without_an_address_asks_where(description):
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say(description)
    assert "哪里" in reply
    assert chat.session.requested == "location"
    assert "location" not in chat.session.slots


async def test_street_light_reported_then_district_then_the_address():
    """The sandbox reproduction: every answer now lands on the location slot."""
    chat = Chat()
    chat.suggest("城乡建设")
    assert "哪里" in await chat.say("我家楼下路灯坏了")
    assert "已记下朝阳区" in await chat.say("朝阳区")
    reply = await chat.say("望京西园三区12号楼门口")
    assert reply == FORM.prompt("category", chat.session.slots)  # not "请回复“是”确认…"
    assert chat.session.slots["location"] == {
        "text": "朝阳区望京西园三区12号楼门口",
        "district": "朝阳区",
    }


async def test_a_known_place_with_a_word_on_the_problem_is_the_answer_not_a_new_problem():
    chat = Chat()
    chat.suggest("城乡建设")
    assert "哪里" in await chat.say("我家楼下路灯坏了")
    await chat.say("天通苑那边，路灯坏了好几天")
    assert "天通苑" in chat.session.slots["location"]["text"]
    assert not chat.session.slots.get("_next")  # nothing set aside as another problem


@pytest.mark.parametrize(
    "second", ["小区的垃圾站臭气熏天，好几天没人清了", "我家楼下的快递驿站占用消防通道"]
)
async def test_another_problem_at_a_named_place_is_set_aside_not_taken_as_the_location(second):
    chat = Chat()
    chat.suggest("城乡建设")
    assert "哪里" in await chat.say("楼道里的灯坏了一个月了，晚上上下楼很危险")
    await chat.say(second)
    assert "location" not in chat.session.slots
    assert chat.session.slots.get("_next") == [second]


async def test_a_description_with_an_address_is_not_asked_again():
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了")
    assert "属于" in reply and "哪里" not in reply
    assert chat.session.slots["location"]["text"] == "朝阳区望京西园三区12号楼门口"


# -- answers to "where?" -------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "text", "district"),
    [
        ("国贸地铁站", "国贸地铁站", "朝阳区"),
        ("国贸地铁站C口", "国贸地铁站C口", "朝阳区"),
        ("天通苑", "天通苑", "昌平区"),
        ("望京西园三区", "望京西园三区", "朝阳区"),
        ("北京西站", "北京西站", "丰台区"),
        ("回龙观龙泽苑", "回龙观龙泽苑", "昌平区"),
        ("在国贸地铁站Ｃ口", "国贸地铁站C口", "朝阳区"),
        ("海淀区中关村大街27号", "海淀区中关村大街27号", "海淀区"),
        ("大兴区亦庄科创十三街的工地", "大兴区亦庄科创十三街的工地", "大兴区"),
    ],
)
def test_named_places_are_accepted(answer, text, district):
    checked = FORM.validate_location(answer, {})
    assert checked.ok, checked.error
    assert checked.value == {"text": text, "district": district}


@pytest.mark.parametrize(
    "answer",
    ["北京市朝阳区", "朝阳区", "朝阳", "北京朝阳区", "朝阳区这边", "朝阳区不知道", "朝阳区某小区"],
)
def test_a_district_alone_asks_for_the_street(answer):
    checked = FORM.validate_location(answer, {})
    assert checked.error == m.ASK_LOCATION_STREET.format(district="朝阳区")
    assert checked.keep == {"_district": "朝阳区"}


@pytest.mark.parametrize(
    "answer", ["北京", "北京市", "我家楼下", "马路上", "胡同里", "小区门口", "路灯", "嗯嗯", "asdf"]
)
def test_what_locates_nothing_is_refused(answer):
    assert FORM.validate_location(answer, {}).error == m.BAD_LOCATION


@pytest.mark.parametrize("answer", ["马路上", "我家楼下", "小区门口", "这边", "不知道"])
def test_a_known_district_does_not_make_a_common_noun_a_place(answer):
    checked = FORM.validate_location(answer, {"_district": "朝阳区"})
    assert not checked.ok, checked.value


def test_a_known_district_completes_a_local_name():
    checked = FORM.validate_location("家乐福门口", {"_district": "朝阳区"})
    assert checked.value == {"text": "朝阳区家乐福门口", "district": "朝阳区"}


# -- 跳过 ----------------------------------------------------------------------------
async def test_skipping_the_location_too_early_says_why():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼下烧烤摊每天晚上营业到凌晨两点")
    reply = await chat.say("跳过")
    assert reply.startswith(m.LOCATION_SKIP_NOT_YET)
    assert "没能识别地址" not in reply
    assert chat.session.requested == "location"


async def test_a_third_skip_is_the_last_try_and_skips():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼下烧烤摊每天晚上营业到凌晨两点")
    for _ in range(2):
        reply = await chat.say("跳过")
        assert "暂时不能跳过" in reply and chat.session.requested == "location"
    reply = await chat.say("跳过")
    assert "暂时不能跳过" not in reply and "属于" in reply
    assert "地点先空着" in reply  # the citizen is told, having been told it could not be
    assert chat.session.slots["location"] == {"text": "", "district": ""}


async def test_words_before_the_place_are_not_stored_as_the_location():
    chat = Chat()
    chat.suggest("城乡建设")
    assert "哪里" in await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    await chat.say("算了，具体地址我也说不清，大概在天通苑北一区附近")
    assert chat.session.slots["location"]["text"] == "大概在天通苑北一区附近"
