"""Regressions from the sixth citizen-role review of the complaint form, each as met."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from dialogs.extract import find_address
from models.sla import Urgency, detect_urgency
from tests.dialogs.chat import Chat


# -- A9: emergencies that got no safety advice
@pytest.mark.parametrize(
    ("said", "kind", "number"),
    [
        ("楼道里电动车在充电冒烟了", "fire", "119"),
        ("配电箱冒火花了，噼里啪啦的", "electric", "先断开电源"),
        ("家里有老人走丢了，有老年痴呆", "missing", "110"),
    ],
)
async def test_these_emergencies_get_safety_advice_and_the_two_hour_limit(
    said: str, kind: str, number: str
):
    chat = Chat()
    reply = await chat.say(said)
    assert reply.startswith(m.EMERGENCY[kind]) and number in reply
    assert chat.session.requested == "location"  # then on to registering it
    assert detect_urgency(said) is Urgency.DANGER


# -- A11, A12, B12: after a pause
POTHOLE = "西城区白纸坊东街18号院门口有个大坑"


async def test_another_problem_sent_during_a_pause_is_the_next_matter_not_dropped():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(POTHOLE)
    chat.wait(45)
    assert "继续" in await chat.say("楼道里的灯也坏了")
    reply = await chat.say("继续")
    assert "另一件事“楼道里的灯也坏了”已记下" in reply
    # and the question waiting is asked in full: its list scrolled away in the pause
    assert "属于【城乡建设】吗" in reply and "7. 卫生计生" in reply
    for answer in ("是", "13811110002", "没有"):
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "工单编号" in reply and "接着登记您说的另一件事：“楼道里的灯也坏了”" in reply
    assert chat.session.slots["description"] == "楼道里的灯也坏了"


async def test_a_detail_sent_during_a_pause_is_added_to_the_description():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(POTHOLE)
    chat.wait(45)
    await chat.say("那个大坑已经有半个月了")
    reply = await chat.say("继续")
    assert m.DRAFT_SUPPLEMENTED in reply and "半个月" in chat.session.slots["description"]
    assert "7. 卫生计生" in reply


async def test_after_a_pause_a_wrong_category_answer_shows_the_whole_question():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(POTHOLE)
    chat.wait(45)
    await chat.say("继续")  # the whole question
    chat.wait(45)
    await chat.say("嘛意思")  # kept, and replayed as a wrong answer
    reply = await chat.say("继续")
    assert "属于【城乡建设】吗" in reply and "7. 卫生计生" in reply


async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(POTHOLE)
    for answer in ("是", "13811110002"):
        await chat.say(answer)
    assert "请核对" in await chat.say("没有")


@pytest.mark.parametrize("said", ["确认", "嗯"])
async def test_confirm_at_a_paused_summary_shows_it_again_in_one_step(said: str):
    chat = Chat()
    await _at_summary(chat)
    chat.wait(45)
    reply = await chat.say(said)
    assert "确认提交吗" in reply and "【问题】" in reply and not chat.ports.registered
    assert "工单编号" in await chat.say("确认")


async def test_the_resume_offer_summarises_the_draft():
    chat = Chat()
    await _at_summary(chat)
    chat.wait(45)
    reply = await chat.say("你好")
    assert "填好但未提交" in reply and "类别：城乡建设" in reply and "回复“确认”" in reply
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了")
    await chat.say("西城区白纸坊东街18号院")
    chat.wait(45)
    reply = await chat.say("你好")
    assert "“楼道里的灯坏了”（地点：西城区白纸坊东街18号院）" in reply


# -- A10: corrections by contrast, "不是X，是Y"
async def test_not_this_street_but_that_address_at_the_phone_question_corrects_the_place():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("海淀区苏州街18号院垃圾站满了好几天没人清")
    await chat.say("是")
    reply = await chat.say("哦不对，不是苏州街，是海淀区知春路18号院")
    assert "电话号码格式不对" not in reply
    assert "地点已改为：海淀区知春路18号院垃圾站" in reply and "联系电话" in reply
    for answer in ("13811110002", "没有"):
        reply = await chat.say(answer)
    assert "【地点】海淀区知春路18号院垃圾站" in reply and "苏州街" not in reply


async def test_not_this_building_but_that_one_at_the_summary_corrects_the_place():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区9号楼门口路灯坏了")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    reply = await chat.say("不是9号楼，是8号楼")
    assert "没太明白" not in reply
    assert "【地点】朝阳区望京西园三区8号楼门口" in reply and "9号楼" not in reply
    await chat.say("确认")
    assert chat.draft.location.text == "朝阳区望京西园三区8号楼门口"


@pytest.mark.parametrize(
    ("said", "line"),
    [
        ("不对，是海淀区知春路18号院", "【地点】海淀区知春路18号院"),
        ("不是城乡建设，是环境保护", "【类别】环境保护"),
        ("不是路灯，是楼道灯", "【问题】朝阳区望京西园三区9号楼门口楼道灯坏了"),
    ],
)
async def test_other_corrections_by_contrast_at_the_summary(said: str, line: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区9号楼门口路灯坏了")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    assert line in await chat.say(said)


async def test_a_contrast_naming_nothing_in_the_draft_is_not_a_correction():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区9号楼门口路灯坏了")
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    assert "没太明白" in await chat.say("不是的，是西侧那个")
    assert chat.session.slots["location"]["text"] == "朝阳区望京西园三区9号楼门口"


# -- A14: a digit too many is refused like a digit too few, not silently cut
async def test_a_twelve_digit_phone_is_read_back_not_cut_to_eleven():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区9号楼门口路灯坏了")
    await chat.say("是")
    reply = await chat.say("138 1234 5678 9")
    assert "收到的号码是 138123456789，共 12 位" in reply
    assert "contact_phone" not in chat.session.slots
    assert "照片" in await chat.say("138 1234 5678")


# -- A17: Beijing's "…里" compounds after a district
@pytest.mark.parametrize(
    ("said", "place"),
    [
        ("暖气不热，朝阳区安贞里二区5号楼", "朝阳区安贞里二区5号楼"),
        ("家里才16度，暖气不热，朝阳区安贞里二区5号楼", "朝阳区安贞里二区5号楼"),
        ("朝阳区幸福里二区5号楼门口的路灯坏了", "朝阳区幸福里二区5号楼门口"),
        ("朝阳区安华里二区3号楼楼道灯坏了", "朝阳区安华里二区3号楼"),
    ],
)
async def test_a_li_compound_after_its_district_is_the_address(said: str, place: str):
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say(said)
    assert "具体的街道" not in reply and "属于【城乡建设】吗" in reply
    assert chat.session.slots["location"]["text"] == place


@pytest.mark.parametrize("said", ["家里2号楼的暖气不热", "楼道里2号楼的灯坏了"])
def test_li_as_inside_is_no_compound(said: str):
    assert find_address(said) == ""


# -- A13: a location pin mid-form after a typed address
async def test_a_pin_keeps_the_more_precise_typed_address_and_adds_its_point():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("大兴区亦庄荣华南路9号小区门口下水井冒水")
    reply = await chat.location(39.79, 116.50, "大兴区荣华南路")
    assert "已收到位置，已补充到地点“大兴区亦庄荣华南路9号小区门口”" in reply
    for answer in ("是", "匿名", "没有"):
        reply = await chat.say(answer)
    assert "【地点】大兴区亦庄荣华南路9号小区门口" in reply
    await chat.say("确认")
    assert chat.draft.location.text == "大兴区亦庄荣华南路9号小区门口"
    assert chat.draft.location.lat == 39.79


async def test_a_pin_in_another_district_says_what_changed():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("大兴区亦庄荣华南路9号小区门口下水井冒水")
    await chat.say("是")
    reply = await chat.location(39.99, 116.48, "朝阳区望京西园三区")
    assert "地点已更新为：朝阳区望京西园三区（原来是：大兴区亦庄荣华南路9号小区门口）" in reply
    assert "联系电话" in reply


async def test_a_pin_sent_during_a_pause_adds_its_point_to_the_typed_address():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("大兴区亦庄荣华南路9号小区门口下水井冒水")
    chat.wait(45)
    await chat.location(39.79, 116.50, "大兴区荣华南路")
    await chat.say("继续")
    location = chat.session.slots["location"]
    assert location["text"] == "大兴区亦庄荣华南路9号小区门口" and location["lat"] == 39.79


# -- B3, B2: the phone question answered in a sentence
async def _at_phone(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区9号楼门口路灯坏了")
    await chat.say("是")
    assert chat.session.requested == "contact_phone"


@pytest.mark.parametrize("said", ["我没有手机", "用微信联系我就行"])
async def test_no_mobile_or_wechat_only_is_no_phone(said: str):
    chat = Chat()
    await _at_phone(chat)
    reply = await chat.say(said)
    assert "好的，不留电话，办理结果会在公众号推送给您" in reply and "格式不对" not in reply
    assert chat.session.slots["contact_phone"] == "" and chat.session.requested == "photos"


async def test_a_confidentiality_worry_is_reassured_and_the_phone_asked_again():
    chat = Chat()
    await _at_phone(chat)
    reply = await chat.say("保密，别让物业知道是我")
    assert "只给承办部门" in reply and "不会告诉被反映方" in reply and "格式不对" not in reply
    assert chat.session.requested == "contact_phone" and "联系电话" in reply
    assert "照片" in await chat.say("13811110002")


async def test_giving_up_to_ask_the_property_manager_is_a_cancel():
    chat = Chat()
    await _at_phone(chat)
    reply = await chat.say("算了 我还是找物业吧")
    assert "格式不对" not in reply and "要放弃" in reply
    assert "已取消" in await chat.say("放弃")
    assert chat.session.form is None and not chat.ports.registered


# -- B6: after emergency advice, no "no answer found"
async def test_emergency_advice_is_not_followed_by_a_knowledge_base_miss():
    chat = Chat()
    reply = await chat.say("俺家老头子摔倒了起不来咋办")
    assert "120" in reply and "暂时没有找到相关答复" not in reply
    assert "没有现成的答复" not in reply and chat.session.requested == "location"


# -- B11: the words that end the photo step
@pytest.mark.parametrize("said", ["确认", "可以了", "行了", "下一步", "没了"])
async def test_these_words_end_the_photo_step(said: str):
    chat = Chat()
    await _at_phone(chat)
    await chat.say("匿名")
    assert chat.session.requested == "photos"
    assert "请核对" in await chat.say(said)


# -- B10: the phone's lead-in goes with the number
async def test_the_phone_lead_in_is_not_left_in_the_description():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.voice(
        "学院路二十号院路灯坏了地址是海淀区学院路二十号院我电话是幺三九零一二三四五六七"
    )
    description = chat.session.slots["description"]
    assert description.endswith("学院路二十号院") and "我电话" not in description
    assert chat.session.slots["contact_phone"] == "13901234567"
