"""Regressions from the third citizen-role review, each as met."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.complaint import ComplaintKind, ComplaintStatus, Satisfaction
from tests.dialogs.chat import Chat

GARBAGE = "小区绿化带里垃圾成堆"
PLACE = "东城区北新桥三条"


async def _at(chat: Chat, step: str) -> None:
    """The garbage complaint, answered up to `step`."""
    chat.suggest("城乡建设")
    await chat.say(GARBAGE)
    await chat.say(PLACE)
    if step == "contact_phone":
        await chat.say("是")
    elif step == "confirm":
        for answer in ("是", "匿名", "没有"):
            await chat.say(answer)
    assert chat.session.requested == step


async def _finish(chat: Chat) -> str:
    """Answers the draft under way up to its registration; the registration's reply."""
    answers = {"location": "东城区北新桥三条5号楼", "category": "是", "contact_phone": "匿名",
               "photos": "没有", "confirm": "确认"}  # fmt: skip
    for _ in range(8):
        reply = await chat.say(answers[chat.session.requested or "confirm"])
        if "工单编号" in reply:
            return reply
    raise AssertionError("not registered")


# -- 1: an emergency said in the middle of another complaint goes first --------------
@pytest.mark.parametrize(
    ("step", "emergency"),
    [
        ("category", "电梯困人了 我被关在里面了"),
        ("category", "路口井盖没了"),
        ("contact_phone", "路口井盖没了"),
        ("contact_phone", "电梯困人了 我被关在里面了"),
        ("confirm", "电梯困人了 我被关在里面了"),
    ],
)
async def test_an_emergency_mid_form_is_registered_first_then_the_draft_resumes(
    step: str, emergency: str
):
    chat = Chat()
    await _at(chat, step)
    reply = await chat.say(emergency)
    assert reply.startswith("【紧急】") and "2 小时内" in reply
    assert "先登记这件紧急的事" in reply and GARBAGE in reply
    assert "格式不对" not in reply and "请回复“是”确认，或回复" not in reply
    assert chat.session.slots["description"] == emergency
    assert chat.session.requested == "location"
    reply = await _finish(chat)  # the emergency is registered ...
    assert "2 小时内" in reply and f"接着登记您刚才的诉求：“{GARBAGE}”" in reply
    assert chat.session.form == "complaint" and chat.session.requested == step
    assert chat.session.slots["location"]["text"] == PLACE  # ... and the draft is as it was
    await _finish(chat)
    first, second = chat.ports.registered
    assert first.description == emergency and second.description == GARBAGE
    urgent = chat.ports.complaints["20261128-0001"]
    assert urgent.due_at - urgent.created_at == timedelta(hours=2)


async def test_a_cancelled_emergency_draft_brings_back_the_draft_it_interrupted():
    chat = Chat()
    await _at(chat, "category")
    await chat.say("路口井盖没了")
    reply = await chat.say("取消")
    assert "已取消" in reply and GARBAGE in reply and "属于" in reply
    assert chat.session.requested == "category"
    await _finish(chat)
    [registered] = chat.ports.registered
    assert registered.description == GARBAGE


async def test_a_second_problem_set_aside_before_the_emergency_still_follows():
    chat = Chat()
    await _at(chat, "category")
    assert "已记下" in await chat.say("另外还有个事，楼道灯也不亮")
    await chat.say("电梯困人了 我被关在里面了")
    await _finish(chat)  # the lift
    await _finish(chat)  # the garbage
    reply = await _finish(chat)  # the lamp
    assert "工单编号" in reply
    assert [d.description for d in chat.ports.registered] == [
        "电梯困人了 我被关在里面了",
        GARBAGE,
        "楼道灯也不亮",
    ]


async def test_more_about_the_emergency_being_registered_is_added_not_refused():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("有人困在电梯里")
    await chat.say("朝阳区望京西园三区5号楼")
    await chat.say("是")
    reply = await chat.say("电梯里还有人被困 快来")
    assert "格式不对" not in reply and "补充到问题描述里" in reply
    assert chat.session.requested == "contact_phone" and "_parked" not in chat.session.slots
    assert "还有人被困" in chat.session.slots["description"]


# -- 2: a survey comment that fits both answered complaints, or only generically ------
async def _answered(chat: Chat, *texts: str) -> list[str]:
    numbers = []
    for text in texts:
        chat.suggest("城乡建设")
        await chat.say(text)
        while chat.session.form is not None:
            answer = {"category": "是", "contact_phone": "匿名", "photos": "没有"}
            await chat.say(answer.get(chat.session.requested or "", "确认"))
        numbers.append(chat.session.last_no)
    for no in numbers:
        chat.ports.set_status(no, ComplaintStatus.REPLIED)
    return numbers


EAST_LAMP = "小区东门的路灯不亮了，海淀区学院路20号院"
WEST_LAMP = "小区西门的路灯坏了好几天，海淀区学院路20号院"
BIN = "小区垃圾桶满了没人清，海淀区学院路20号院"


@pytest.mark.parametrize(
    ("first", "second", "comment"),
    [
        (EAST_LAMP, WEST_LAMP, "不满意，灯还是不亮"),  # 亮 is only in the east one's words
        (EAST_LAMP, WEST_LAMP, "不满意，路灯还是不亮"),
        (BIN, WEST_LAMP, "不满意，还是没人管"),  # 人 is only in the bin's
        (BIN, WEST_LAMP, "不满意，问题还是没解决"),
    ],
)
async def test_a_comment_that_does_not_tell_the_tickets_apart_asks_which(
    first: str, second: str, comment: str
):
    chat = Chat()
    one, two = await _answered(chat, first, second)
    reply = await chat.say(comment)
    assert "请说明是哪一件" in reply and one in reply and two in reply
    assert all(chat.ports.complaints[no].rating is None for no in (one, two))
    await chat.say(one)  # named: the rating kept goes onto it, comment and all
    rating = chat.ports.complaints[one].rating
    assert rating is not None and rating.comment == comment.removeprefix("不满意，")
    assert chat.ports.complaints[two].rating is None


@pytest.mark.parametrize(
    ("comment", "lamp"),
    [
        ("不满意，灯还是不亮", True),
        ("不满意，东门的灯还是不亮", True),
        ("不满意，垃圾还是没人清", False),
    ],
)
async def test_a_comment_that_fits_one_ticket_through_a_telling_word_rates_it(
    comment: str, lamp: bool
):
    chat = Chat()
    bin_no, lamp_no = await _answered(chat, BIN, EAST_LAMP)
    reply = await chat.say(comment)
    rated, other = (lamp_no, bin_no) if lamp else (bin_no, lamp_no)
    assert "重新交办" in reply and rated in reply
    assert chat.ports.complaints[rated].status is ComplaintStatus.DISPATCHED
    assert chat.ports.complaints[other].rating is None


# -- 3: a progress question with no complaint in this account ------------------------
@pytest.mark.parametrize("question", ["之前投诉的违建拆了没", "我之前打电话投诉的违建拆了没有啊"])
async def test_an_earlier_report_asked_after_with_none_here_points_to_the_phone_line(
    question: str,
):
    chat = Chat()
    reply = await chat.say(question)
    assert "还没有提交过诉求" in reply and "打 12345 电话反映的" in reply
    assert "回复“登记”" in reply and "问题发生在哪里" not in reply
    assert chat.session.form is None and not chat.ports.registered


async def test_a_report_referred_back_to_with_a_place_can_still_be_registered():
    chat = Chat()
    text = "之前投诉的违建拆了没 就在朝阳区望京西园三区5号楼"
    reply = await chat.say(text)
    assert "打 12345 电话反映的" in reply and chat.session.form is None
    chat.suggest("城乡建设")
    reply = await chat.say("登记")
    assert chat.session.form == "complaint" and "属于" in reply  # the place is kept too
    assert chat.session.slots["description"] == text
    assert chat.session.slots["location"]["district"] == "朝阳区"


async def test_a_progress_question_naming_nothing_with_none_here_mentions_the_phone_line():
    chat = Chat()
    reply = await chat.say("我昨天报的那个有人来看了吗")
    assert "还没有提交过诉求" in reply and "打 12345 电话反映的" in reply
    assert chat.session.form is None


@pytest.mark.parametrize(
    ("question", "phone"), [("啥时候能给俺修好", True), ("这事儿归谁管啊", False)]
)
async def test_a_question_naming_no_matter_asks_what_it_is(question: str, phone: bool):
    chat = Chat()
    reply = await chat.say(question)
    assert "请问是什么问题" in reply and ("打 12345 电话反映的" in reply) is phone
    assert chat.session.form is None
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯不亮了")  # the matter, said next, is the description
    assert chat.session.slots["description"] == "小区门口的路灯不亮了"


async def test_a_question_naming_no_matter_is_not_taken_as_the_description():
    chat = Chat()
    await chat.say("我要投诉")
    assert "请问是什么问题" in await chat.say("这事儿归谁管啊")
    assert chat.session.requested == "description" and "description" not in chat.session.slots


async def test_when_will_it_be_fixed_with_complaints_lists_them():
    chat = Chat()
    [no] = await _answered(chat, EAST_LAMP)
    chat.ports.set_status(no, ComplaintStatus.DISPATCHED)
    reply = await chat.say("啥时候能给俺修好")
    assert no in reply and "发送工单编号可查看详细进度" in reply and "新的问题" in reply
    assert chat.session.form is None


@pytest.mark.parametrize("text", ["小区路灯啥时候能修好", "楼道垃圾归谁管"])
async def test_a_question_that_names_the_matter_is_still_a_complaint(text: str):
    chat = Chat()
    await chat.say(text)
    assert chat.session.form == "complaint" and chat.session.slots["description"] == text


# -- 4: a bare number at the category question while a survey waits -----------------
SMOKE = "楼下饭馆油烟很大，朝阳区望京西园三区5号楼"


async def _survey_and_category(chat: Chat, answered: int = 1) -> list[str]:
    numbers = await _answered(chat, *(EAST_LAMP, BIN)[:answered])
    chat.suggest("环境保护")
    await chat.say(SMOKE)
    assert chat.session.requested == "category"
    return numbers


async def test_a_bare_number_at_the_category_question_asks_whether_it_rates():
    chat = Chat()
    [no] = await _survey_and_category(chat)
    reply = await chat.say("3")
    assert no in reply and "不满意" in reply and "交通运输" in reply
    assert "回复“评价”或“类别”" in reply and "属于【" not in reply  # one question at a time
    assert "category" not in chat.session.slots and chat.ports.complaints[no].rating is None
    reply = await chat.say("评价")
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.satisfaction is Satisfaction.UNSATISFIED
    assert "重新交办" in reply and "属于【环境保护】" in reply  # and back to the category
    assert "category" not in chat.session.slots and chat.session.requested == "category"


async def test_a_bare_number_meant_as_the_category_picks_it():
    chat = Chat()
    [no] = await _survey_and_category(chat)
    await chat.say("3")
    reply = await chat.say("类别")
    assert chat.session.slots["category"] == "交通运输" and "电话" in reply
    assert chat.ports.complaints[no].rating is None
    assert chat.ports.complaints[no].status is ComplaintStatus.REPLIED


async def test_with_two_surveys_the_rating_chosen_asks_which_ticket():
    chat = Chat()
    lamp, bin_no = await _survey_and_category(chat, answered=2)
    await chat.say("1")
    reply = await chat.say("评价")
    assert "请说明是哪一件" in reply and lamp in reply and bin_no in reply
    await chat.say(lamp)
    rating = chat.ports.complaints[lamp].rating
    assert rating is not None and rating.satisfaction is Satisfaction.SATISFIED
    assert chat.session.requested == "category" and "category" not in chat.session.slots


@pytest.mark.parametrize(
    ("text", "category"), [("5", "劳动和社会保障"), ("3 交通运输", "交通运输")]
)
async def test_a_number_that_can_only_be_a_category_is_taken_as_one(text: str, category: str):
    chat = Chat()
    [no] = await _survey_and_category(chat)
    await chat.say(text)
    assert chat.session.slots["category"] == category
    assert chat.ports.complaints[no].rating is None


async def test_a_number_with_a_comment_at_the_category_question_rates():
    chat = Chat()
    [no] = await _survey_and_category(chat)
    reply = await chat.say("3，灯还是不亮")
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.comment == "灯还是不亮" and "重新交办" in reply
    assert "category" not in chat.session.slots


async def test_with_no_survey_a_bare_number_is_the_category():
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(SMOKE)
    await chat.say("3")
    assert chat.session.slots["category"] == "交通运输"


# -- 5: a corrected address without a district keeps the district known -------------
TIANCUN = "小区门口的路灯坏了好几天了，海淀区田村路45号院"


async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(TIANCUN)
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    assert chat.session.requested == "confirm"


@pytest.mark.parametrize(
    ("correction", "text", "district"),
    [
        ("地址不对 是田村路43号院2号楼", "海淀区田村路43号院2号楼", "海淀区"),
        ("地址改成田村路43号院", "海淀区田村路43号院", "海淀区"),
        ("地址改成国贸地铁站C口", "国贸地铁站C口", "朝阳区"),  # lies in another district
        ("地址改成朝阳区望京西园三区", "朝阳区望京西园三区", "朝阳区"),
    ],
)
async def test_a_corrected_address_keeps_the_district_unless_it_names_another(
    correction: str, text: str, district: str
):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(correction)
    assert "已修改" in reply and chat.session.requested == "confirm"
    await chat.say("确认")
    location = chat.draft.location
    assert (location.text, location.district) == (text, district)


async def test_an_address_given_again_after_naming_the_item_keeps_the_district():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("地址")
    await chat.say("田村路43号院2号楼")
    await chat.say("确认")
    assert chat.draft.location.district == "海淀区"


# -- 6: more about the problem sent when the address was asked for -------------------
DISCO = "楼上邻居天天半夜蹦迪 吵得睡不着"


@pytest.mark.parametrize(
    "detail",
    [
        "主要是晚上十一点以后 已经一个月了",
        "已经三个月了",
        "每天半夜十二点开始",
        "而且孩子第二天还要上学",
        "蹦迪的声音连楼下都听得见",  # words of the description
    ],
)
async def test_detail_at_the_address_question_is_added_and_the_address_asked_again(detail: str):
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(DISCO)
    reply = await chat.say(detail)
    assert "补充到问题描述里" in reply and "问题发生在哪里" in reply
    assert "没能识别地址" not in reply and "另一件事" not in reply
    assert chat.session.slots["description"] == f"{DISCO}；{detail}"
    assert chat.session.requested == "location" and not chat.session.failures.get("location")


async def test_times_told_at_the_address_question_reach_the_summary():
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(DISCO)
    await chat.say("主要是晚上十一点以后 已经一个月了")
    await chat.say("朝阳区望京西园三区5号楼")
    for answer in ("是", "匿名"):
        await chat.say(answer)
    summary = await chat.say("没有")
    assert "晚上十一点以后" in summary and "【持续】一个月了" in summary
    await chat.say("确认")
    assert "已经一个月了" in chat.draft.description


@pytest.mark.parametrize(
    "other", ["楼下饭馆油烟很大，每天晚上都熏得不敢开窗", "另外还有个事，楼道灯也不亮"]
)
async def test_another_problem_at_the_address_question_is_still_set_aside(other: str):
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(DISCO)
    reply = await chat.say(other)
    assert "另一件事" in reply and chat.session.slots["description"] == DISCO


# -- 7: praise is recorded as praise, without a street -------------------------------
@pytest.mark.parametrize(
    ("praise", "district"),
    [
        ("表扬一下朝阳区城管 服务态度特别好", "朝阳区"),
        ("给物业点个赞，楼道灯当天就修好了", ""),
        ("我想表扬海淀区学院路派出所的张警官", "海淀区"),
    ],
)
async def test_praise_is_thanked_and_registered_as_praise_on_request(praise: str, district: str):
    chat = Chat()
    reply = await chat.say(praise)
    assert "感谢您的表扬" in reply and "回复“登记”" in reply
    assert "哪里" not in reply and "街道" not in reply and chat.session.form is None
    reply = await chat.say("登记")
    assert "已登记您的表扬" in reply and "转达" in reply
    assert chat.session.form is None
    [draft] = chat.ports.registered
    assert draft.description == f"【表扬】{praise}" and draft.location.district == district
    assert draft.kind is ComplaintKind.CONSULTATION  # staff pass it on; nothing to dispatch


async def test_praise_announced_asks_whom_and_files_the_next_message():
    chat = Chat()
    reply = await chat.say("我要表扬")
    assert "表扬哪个单位或哪位工作人员" in reply and chat.session.form is None
    reply = await chat.say("学院路派出所的张警官 帮我找回了钱包")
    assert "已登记您的表扬" in reply
    [draft] = chat.ports.registered
    assert draft.description == "【表扬】学院路派出所的张警官 帮我找回了钱包"


async def test_praise_not_filed_without_asking():
    chat = Chat()
    await chat.say("表扬一下朝阳区城管 服务态度特别好")
    await chat.say("谢谢")
    await chat.say("登记")  # the offer held for one message only
    assert not chat.ports.registered


@pytest.mark.parametrize("text", ["表扬一下物业，不过楼道灯还是坏了", "可以表扬吗"])
async def test_what_is_not_praise_alone_is_not_taken_for_praise(text: str):
    chat = Chat()
    reply = await chat.say(text)
    assert "感谢您的表扬" not in reply


async def test_the_knowledge_base_says_how_to_praise():
    chat = Chat()
    reply = await chat.say("可以表扬吗")
    assert "以“表扬”开头" in reply


# -- 8: safety advice that fits who is reporting, and the number that fits ----------
async def test_lift_advice_also_speaks_to_someone_outside():
    reply = await Chat().say("电梯困人了，我妈被关在里面了")
    assert "被困的人请保持冷静" in reply and "在外面的请" in reply and "物业" in reply
    assert "119" in reply


async def test_manhole_advice_calls_for_an_ambulance_and_rescue_if_someone_fell_in():
    reply = await Chat().say("路口井盖没了")
    assert "有人掉进去" in reply and "120" in reply and "119" in reply
    assert "110" not in reply
