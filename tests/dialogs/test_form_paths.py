"""Engine paths slot by slot: partial answers kept, every correction form,
skips, side requests mid-form, registration failures, session storage."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from dialogs.session import Session
from models.complaint import ComplaintStatus
from models.inbound import InboundKind
from tests.dialogs.chat import Chat

ONE_MESSAGE = "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，电话13812345678"


async def at_confirm(message: str = ONE_MESSAGE) -> Chat:
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(message)
    await chat.say("是")
    await chat.say("没有")
    assert chat.session.requested == "confirm"
    return chat


# -- description ---------------------------------------------------------------------
async def test_a_short_problem_is_kept_and_built_on():
    chat = Chat()
    chat.suggest("城乡建设")
    assert "已记下：“路灯坏了”" in await chat.say("路灯坏了")
    assert chat.session.form == "complaint" and chat.session.requested == "description"
    reply = await chat.say("朝阳区望京街10号楼门口，好几天了")
    assert "属于" in reply  # the location came with it
    slots = chat.session.slots
    assert slots["description"] == "路灯坏了，朝阳区望京街10号楼门口，好几天了"
    assert slots["location"]["district"] == "朝阳区"


async def test_six_characters_are_enough_and_generic_words_are_not():
    chat = Chat()
    await chat.click("COMPLAIN")
    assert "简单" in await chat.say("我有问题")
    assert "简单" in await chat.say("管一管！")
    assert "哪里" in await chat.say("楼下噪音扰民")
    assert chat.session.slots["description"] == "楼下噪音扰民"


async def test_phone_numbers_never_stay_in_the_description():
    chat = await at_confirm()
    assert "13812345678" not in chat.session.slots["description"]
    assert chat.session.slots["contact_phone"] == "13812345678"


async def test_a_phone_alone_starts_nothing_but_is_remembered():
    chat = Chat()
    chat.suggest("城乡建设")
    assert "描述" in await chat.say("电话13800138000")
    assert "description" not in chat.session.slots
    await chat.say("西城区右内西街10号院楼道灯坏了半个月")
    await chat.say("是")
    assert chat.session.requested == "photos"  # the phone was not asked again


# -- location ------------------------------------------------------------------------
async def test_a_district_alone_is_remembered_and_the_street_asked():
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say("楼下饭店每天晚上十点以后还在营业，吵得睡不着")
    assert "已记下朝阳区" in await chat.say("朝阳")
    assert "属于" in await chat.say("三里屯北小街")
    assert chat.session.slots["location"] == {"text": "朝阳区三里屯北小街", "district": "朝阳区"}


async def test_location_can_be_skipped_only_after_three_failures():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼下烧烤摊每天晚上营业到凌晨两点")
    assert "暂时不能跳过" in await chat.say("跳过")  # and why: the department must find it
    await chat.say("asdf")
    assert "跳过" in await chat.say("？？")
    assert "属于" in await chat.say("跳过")
    await chat.say("是")
    await chat.say("匿名")
    assert "【地点】未提供" in await chat.say("没有")


async def test_location_message_mid_form_fills_the_location():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    reply = await chat.location(39.99, 116.48, "北京市朝阳区望京西园三区")
    assert "属于" in reply
    assert chat.session.slots["location"]["lat"] == 39.99
    assert chat.session.slots["location"]["district"] == "朝阳区"


# -- category ------------------------------------------------------------------------
async def test_no_to_the_suggestion_shows_the_list_without_counting_a_failure():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    reply = await chat.say("不是")
    assert "序号" in reply and "属于" not in reply
    assert chat.session.failures.get("category", 0) == 0
    await chat.say("4")
    assert chat.session.slots["category"] == "教育文体"


async def test_an_unsure_citizen_leaves_the_category_to_staff():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("不知道")
    reply = await chat.say("没有")
    assert "由工作人员分类" in reply
    await chat.say("确认")
    assert chat.draft.category == ""


async def test_without_a_model_keywords_suggest_and_else_a_list():
    chat = Chat()  # no suggestion: FakePorts answers None like a bot without a model
    assert "【环境保护】" in await chat.say("楼下饭店油烟太大，朝阳区望京街1号")
    chat = Chat()
    reply = await chat.say("朝阳区望京街1号那边的情况实在让人受不了")
    assert "请回复序号" in reply and "属于" not in reply


# -- phone and photos ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "phone"),
    [("010-62345678", "010-62345678"), ("62345678", "010-62345678"), ("跳过", ""),
     ("不方便留", ""), ("电话是13900001111", "13900001111")],
)  # fmt: skip
async def test_phone_answers(answer, phone):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("丰台区马家堡东路88号小区的电梯经常困人")
    await chat.say("是")
    reply = await chat.say(answer)
    assert "已修改" not in reply
    assert chat.session.slots["contact_phone"] == phone


async def test_photos_before_the_photo_step_are_kept():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("丰台区马家堡东路88号小区的电梯经常困人")
    assert "属于" in await chat.photo("a")  # acknowledged, then the pending question
    await chat.say("是")
    await chat.say("匿名")
    assert "已收到第 1 张" in chat.ports.photos[0] or chat.session.requested == "photos"
    assert "1 张" in await chat.say("好了")
    await chat.say("确认")
    assert chat.draft.photos == ("photo-a",)


async def test_a_failed_photo_is_politely_reasked():
    chat = Chat()
    chat.ports.broken_media.add("expired")
    assert "重新发送" in await chat.photo("expired")
    assert chat.session.form is None


# -- corrections: the summary is shown again -----------------------------------------
@pytest.mark.parametrize(
    ("words", "field", "value"),
    [
        ("地址说错了，应该是海淀区学院路30号院", "location", "海淀区学院路30号院"),
        ("地址改成朝阳区望京街9号", "location", "朝阳区望京街9号"),
        ("电话改成13900001111", "contact_phone", "13900001111"),
        ("手机号写错了，是13900001111", "contact_phone", "13900001111"),
        ("改一下电话 010-62345678", "contact_phone", "010-62345678"),
        ("13900001111", "contact_phone", "13900001111"),
        ("类别改成环境保护", "category", "环境保护"),
        (
            "描述改成路灯坏了两个星期，整条路都是黑的",
            "description",
            "路灯坏了两个星期，整条路都是黑的",
        ),
    ],
)
async def test_corrections_with_a_value(words, field, value):
    chat = await at_confirm()
    reply = await chat.say(words)
    assert "已修改" in reply and "请核对" in reply
    await chat.say("确认")
    got = getattr(chat.draft, field)
    assert (got.text if field == "location" else got) == value


@pytest.mark.parametrize(
    ("words", "then", "field", "value"),
    [
        ("地址不对", "东城区东四十条甲1号", "location", "东城区东四十条甲1号"),
        ("我要改地址", "海淀区中关村大街1号", "location", "海淀区中关村大街1号"),
        ("不是这个类别", "3", "category", "交通运输"),
        ("电话不对", "匿名", "contact_phone", ""),
    ],
)
async def test_corrections_that_ask_again(words, then, field, value):
    chat = await at_confirm()
    await chat.say(words)
    assert chat.session.requested == field
    assert "请核对" in await chat.say(then)
    await chat.say("确认")
    got = getattr(chat.draft, field)
    assert (got.text if field == "location" else got) == value


async def test_change_without_saying_what_and_no_at_the_summary():
    chat = await at_confirm()
    for words in ("修改", "不对", "写错了"):
        assert "要改哪一项" in await chat.say(words)
        assert chat.session.requested == "confirm"
    assert chat.session.failures.get("confirm", 0) == 0
    assert not chat.ports.registered


async def test_corrections_mid_form_continue_with_the_pending_question():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    reply = await chat.say("地址说错了，应该是朝阳区望京街9号")
    assert "已修改" in reply and "属于" in reply
    assert chat.session.requested == "category"


async def test_a_wrong_correction_value_is_reasked_for_that_slot():
    chat = await at_confirm()
    assert "格式不对" in await chat.say("电话改成12345")
    assert chat.session.requested == "contact_phone"
    assert "请核对" in await chat.say("13900001111")


async def test_photos_removed_and_sent_again():
    chat = await at_confirm()
    await chat.photo("late")
    await chat.say("照片重新传")
    assert chat.session.requested == "photos"
    await chat.photo("new")
    assert "1 张" in await chat.say("好了")
    await chat.say("确认")
    assert chat.draft.photos == ("photo-new",)


# -- interruptions and side requests -------------------------------------------------
async def test_supplement_mid_form_adds_to_the_draft():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    reply = await chat.say("补充：晚上九点以后整条路都是黑的")
    assert "补充到问题描述" in reply and "属于" in reply
    assert chat.session.slots["description"].endswith("晚上九点以后整条路都是黑的")


async def test_consultation_mid_form_is_answered_then_the_question_repeated():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    reply = await chat.say("可以匿名吗？")
    assert "匿名" in reply and "照片" in reply
    assert await chat.click("CONSULT") == "请直接输入您想咨询的问题。"
    reply = await chat.say("多久能回复？")
    assert "还没提交，回复“继续”接着填写" in reply and chat.session.requested == "photos"
    assert "照片" in await chat.say("继续")


async def test_status_of_an_earlier_complaint_mid_form():
    chat = await at_confirm()
    await chat.say("确认")
    no = chat.session.last_no
    await chat.say("楼下超市卖过期食品，东城区东四十条1号")
    reply = await chat.say(f"查一下 {no}")
    assert no in reply and "已登记" in reply and "属于" in reply


async def test_service_questions_never_start_a_complaint():
    chat = Chat()
    chat.ports.knowledge = []
    reply = await chat.say("能反映什么问题？")
    assert "登记咨询" in reply and chat.session.form is None


async def test_withdraw_before_reply_only_and_needs_a_number():
    chat = await at_confirm()
    await chat.say("确认")
    no = chat.session.last_no
    # the one just registered is asked about (review 6, A5); another number instead of
    # the yes keeps it and is looked up
    assert f"确定要撤回工单 {no}" in await chat.say("撤回")
    assert "没有找到" in await chat.say("撤回 20990101-0001")
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED
    chat.ports.set_status(no, ComplaintStatus.ACCEPTED)
    assert "确定要撤回" in await chat.say(f"撤回 {no}")
    assert "已撤回" in await chat.say("确定")


async def test_my_complaints_lists_latest_five_in_plain_chinese():
    chat = Chat()
    chat.suggest("城乡建设")
    for n in range(6):
        await chat.say(f"东城区东四十条{n + 1}号楼道灯坏了半个月")
        await chat.say("是")
        await chat.say("匿名")
        await chat.say("没有")
        await chat.say("确认")
    chat.ports.set_status("20261128-0006", ComplaintStatus.ACCEPTED)
    reply = await chat.click("MY_COMPLAINTS")
    assert reply.count("20261128-") == 5 and "20261128-0001" not in reply
    assert "部门已受理，正在办理" in reply and "submitted" not in reply


# -- registration --------------------------------------------------------------------
async def test_registration_reply_and_a_second_confirmation():
    chat = await at_confirm()
    reply = await chat.say("确认")
    assert "20261128-0001" in reply and "7 天内" in reply and "12月5日" in reply
    assert "无需重复" in await chat.say("确认")
    assert len(chat.ports.registered) == 1


async def test_a_failed_registration_keeps_the_draft_for_another_try():
    chat = await at_confirm()
    chat.ports.down = True
    assert "内容已保留" in await chat.say("确认")
    assert chat.session.requested == "confirm" and not chat.ports.registered
    chat.ports.down = False
    assert "工单编号" in await chat.say("确认")
    assert len(chat.ports.registered) == 1


async def test_urgent_utility_outage_gets_24_hours():
    chat = await at_confirm("东城区东四十条3号楼停水了，一直没人来修，电话13800138000")
    assert "24 小时内" in await chat.say("确认")


# -- events, timeout, odd input ------------------------------------------------------
async def test_subscribe_from_a_qr_scene():
    chat = Chat()
    reply = await chat.send(InboundKind.SUBSCRIBE, key="qrscene_wangjing")
    assert "wangjing" not in reply and "来自" not in reply  # an unknown scene: no raw key


async def test_paused_draft_answers_side_requests_and_keeps_the_offer():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    chat.wait(31)
    assert "继续" in await chat.photo("p")
    reply = await chat.say("帮助")
    assert "查询进度" in reply and "继续" in reply
    assert "要放弃" in await chat.say("取消")
    assert "已取消" in await chat.say("取消")
    assert chat.session.form is None and not chat.ports.registered


async def test_voice_without_recognition_mid_form_reasks():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    reply = await chat.send(InboundKind.VOICE, media_id="v")
    assert "文字" in reply and "属于" in reply


async def test_silent_events_change_nothing():
    chat = Chat()
    await chat.say(ONE_MESSAGE)
    before = chat.session
    for kind in (InboundKind.UNSUBSCRIBE, InboundKind.REPORT_LOCATION, InboundKind.VIEW):
        assert await chat.send(kind) == ""
    assert chat.session == before


# -- session storage -----------------------------------------------------------------
async def test_session_is_plain_json_and_survives_a_round_trip_mid_form():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("路灯坏了")
    await chat.say(ONE_MESSAGE)
    data = json.loads(json.dumps(chat.session.to_dict(), ensure_ascii=False))
    assert Session.from_dict(data, chat.openid) == chat.session


def test_session_accepts_naive_bson_dates():
    stored = {"form": "complaint", "last_active_at": datetime(2026, 11, 28, 2, 0)}
    session = Session.from_dict(stored, "o")
    assert session.last_active_at == datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
