"""Defects reproduced through the WeChat sandbox, one section each: what a
citizen says is never lost or registered twice."""

from __future__ import annotations

import pytest

from models.complaint import ComplaintStatus, Satisfaction
from models.inbound import InboundKind
from tests.dialogs.chat import Chat

ONE_MESSAGE = "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，电话13812345678"


async def registered(chat: Chat, message: str = ONE_MESSAGE) -> str:
    chat.suggest("城乡建设")
    await chat.say(message)
    for answer in ("是", "没有", "确认"):
        if chat.session.form is None:
            break
        await chat.say(answer if chat.session.requested != "contact_phone" else "匿名")
    if chat.session.form is not None:
        await chat.say("确认")
    assert chat.session.form is None and chat.session.last_no
    return chat.session.last_no


async def answered(chat: Chat, message: str = ONE_MESSAGE) -> str:
    """A registered complaint the department has replied to: a survey waits."""
    no = await registered(chat, message)
    chat.ports.set_status(no, ComplaintStatus.REPLIED)
    return no


# -- 1. a new complaint starting with 1, 2 or 3 is not a rating ------------------------------
async def test_a_new_complaint_starting_with_a_digit_is_not_a_rating():
    chat = Chat()
    a = await answered(chat)
    reply = await chat.say("2号楼门口的下水道堵了，污水漫到路上，海淀区学院路20号院")
    assert chat.ports.complaints[a].status is ComplaintStatus.REPLIED
    assert chat.ports.complaints[a].rating is None
    assert "感谢您的评价" not in reply
    assert "下水道" in chat.session.slots["description"]
    assert chat.session.slots["location"]["district"] == "海淀区"


async def test_a_digit_glued_to_a_unit_mid_form_is_the_description():
    chat = Chat()
    a = await answered(chat)
    await chat.click("COMPLAIN")
    reply = await chat.say("3单元的楼道门禁坏了一个月，物业一直不修")
    assert chat.ports.complaints[a].status is ComplaintStatus.REPLIED
    assert "重新交办" not in reply
    assert chat.session.slots["description"].startswith("3单元的楼道门禁坏了")


async def test_a_bare_digit_still_rates():
    chat = Chat()
    a = await answered(chat)
    assert "已办结" in await chat.say("1")
    assert chat.ports.complaints[a].rating.satisfaction is Satisfaction.SATISFIED


# -- 2. natural survey answers, and whether the problem was solved ---------------------------
@pytest.mark.parametrize("words", ["没解决", "还是不亮"])
async def test_not_solved_in_plain_words_reopens(words):
    chat = Chat()
    a = await answered(chat)
    reply = await chat.say(words)
    complaint = chat.ports.complaints[a]
    assert "重新交办" in reply
    assert complaint.status is ComplaintStatus.DISPATCHED and complaint.round == 2
    assert complaint.rating.satisfaction is Satisfaction.UNSATISFIED
    assert complaint.rating.solved is False
    assert chat.session.form is None  # not taken for a new complaint


async def test_solved_in_plain_words_closes():
    chat = Chat()
    a = await answered(chat)
    assert "已办结" in await chat.say("解决了，谢谢")
    rating = chat.ports.complaints[a].rating
    assert rating.satisfaction is Satisfaction.SATISFIED and rating.solved is True


@pytest.mark.parametrize("words", ["好", "嗯", "收到"])
async def test_an_unclear_short_answer_to_the_survey_is_reminded_how_to_rate(words):
    chat = Chat()
    a = await answered(chat)
    reply = await chat.say(words)
    assert "1 满意" in reply and a in reply
    assert "无需重复确认" not in reply
    assert chat.ports.complaints[a].rating is None


async def test_without_a_survey_yes_after_registration_is_not_a_second_complaint():
    chat = Chat()
    await registered(chat)
    assert "无需重复确认" in await chat.say("好")
    assert len(chat.ports.registered) == 1


@pytest.mark.parametrize(("rating", "answer", "solved"), [("1", "是", True), ("满意", "否", False),
                                                          ("2", "没有", False)])  # fmt: skip
async def test_a_rating_without_solved_asks_once_and_records_the_answer(rating, answer, solved):
    chat = Chat()
    a = await answered(chat)
    reply = await chat.say(rating)
    assert "解决了吗" in reply
    assert chat.ports.complaints[a].rating.solved is None  # saved before the follow-up
    assert "已记录" in await chat.say(answer)
    assert chat.ports.complaints[a].rating.solved is solved
    assert chat.ports.complaints[a].rating.satisfaction is not None
    assert "12345" in await chat.say("你好")  # the follow-up is over
    assert chat.ports.solved_calls == 1


async def test_an_unanswered_follow_up_keeps_the_rating_and_lets_the_next_message_through():
    chat = Chat()
    a = await answered(chat)
    await chat.say("满意")
    reply = await chat.say("海淀区中关村大街27号门口井盖没了，很危险")
    assert chat.session.form == "complaint" and "井盖" in chat.session.slots["description"]
    assert "已记录" not in reply
    rating = chat.ports.complaints[a].rating
    assert rating.satisfaction is Satisfaction.SATISFIED and rating.solved is None
    assert chat.ports.solved_calls == 0


async def test_a_rating_that_says_solved_asks_nothing_more():
    chat = Chat()
    await answered(chat)
    assert "解决了吗" not in await chat.say("3，还是很吵")


async def test_no_follow_up_when_the_rating_reopens_the_complaint():
    chat = Chat()
    await answered(chat)
    reply = await chat.say("3")
    assert "解决了吗" not in reply and chat.ports.solved_calls == 0


# -- 3. the message that arrives with the idle timeout ---------------------------------------
async def test_an_address_after_the_timeout_is_applied_at_once():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    reply = await chat.say("西城区白纸坊街道右内西街10号院")
    assert "属于" in reply
    assert chat.session.slots["location"]["district"] == "西城区"
    assert not chat.session.paused


async def test_a_message_kept_during_the_pause_is_used_after_resume():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)  # the category is asked
    chat.wait(45)
    reply = await chat.say("是")
    assert "继续" in reply and chat.session.paused
    assert "category" not in chat.session.slots
    reply = await chat.say("继续")
    assert chat.session.slots["category"] == "城乡建设"
    assert "照片" in reply and chat.session.requested == "photos"


async def test_photos_and_locations_sent_while_paused_are_kept():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    assert "继续" in await chat.photo("p1")
    assert "继续" in await chat.location(39.99, 116.48, "北京市朝阳区望京西园三区")
    assert chat.session.paused
    assert "属于" in await chat.say("继续")
    assert chat.session.slots["location"]["lat"] == 39.99
    await chat.say("是")
    await chat.say("匿名")
    assert "1 张" in await chat.say("好了")
    await chat.say("确认")
    assert chat.draft.photos == ("photo-p1",)


async def test_a_survey_answer_after_the_timeout_is_saved_the_first_time():
    chat = Chat()
    a = await answered(chat)
    await chat.say("楼下烧烤店油烟很大，窗户都不敢开")
    chat.wait(45)
    reply = await chat.say("满意")
    assert "已办结" in reply and "继续" in reply
    assert chat.ports.complaints[a].status is ComplaintStatus.CLOSED


async def test_a_new_problem_after_the_timeout_starts_the_new_draft_on_restart():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    assert "继续" in await chat.say("东城区东四十条3号院的路灯不亮了，晚上很黑")
    reply = await chat.say("重新开始")
    assert "路灯" in chat.session.slots["description"]
    assert chat.session.slots["location"]["district"] == "东城区"
    assert "属于" in reply


async def test_an_emergency_after_the_timeout_goes_first_and_the_paused_draft_waits():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    reply = await chat.say("东城区东四十条3号院门口的井盖丢了，很危险")
    assert "先登记这件紧急的事" in reply and "属于" in reply
    assert "井盖" in chat.session.slots["description"] and not chat.session.paused
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "2 小时内" in reply and "楼道里的灯坏了" in reply and "继续" in reply
    assert chat.session.paused  # as it was left: 继续 or 重新开始
    await chat.say("继续")
    assert chat.session.requested == "location"


async def test_a_kept_confirmation_is_not_replayed_after_a_pause():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    await chat.say("没有")
    chat.wait(45)
    await chat.say("确认")
    assert "请核对" in await chat.say("继续")
    assert not chat.ports.registered
    assert "工单编号" in await chat.say("确认")


# -- 4. cancelling in a few words ------------------------------------------------------------
@pytest.mark.parametrize("words", ["算了，不投诉了", "取消登记", "不想投诉了", "撤销"])
@pytest.mark.parametrize("step", ["location", "category"])
async def test_cancel_words_with_extra_words_drop_the_draft(words, step):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    if step == "category":
        await chat.say("西城区右内西街10号院")
    assert chat.session.requested == step
    reply = await chat.say(words)
    if step == "category":
        # a description and a place: one confirmation before they are thrown away
        assert "要放弃" in reply and chat.session.form == "complaint"
        reply = await chat.say("放弃")
    assert "已取消" in reply
    assert chat.session.form is None and not chat.ports.registered


async def test_withdraw_mid_form_needs_a_number_and_says_how_to_cancel():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    reply = await chat.say("撤回")
    assert "编号" in reply and "取消" in reply
    assert chat.session.form == "complaint"


async def test_no_photos_is_not_a_cancel():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    assert "请核对" in await chat.say("不用了")


# -- 5. a second problem, or starting over, mid-form -----------------------------------------
async def test_start_complaint_mid_form_keeps_the_draft_and_says_so():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    reply = await chat.say("我要投诉")
    assert "先把这件登记完" in reply and "哪里" in reply
    assert chat.session.requested == "location"
    assert chat.session.failures.get("location", 0) == 0


@pytest.mark.parametrize(
    ("step", "words", "kept"),
    [
        ("location", "其实还有一个问题，小区门口的路灯不亮了，很危险", "路灯"),
        ("location", "楼下饭馆油烟很大，熏得窗户都不敢开", "油烟"),
        ("contact_phone", "另外还有个事，楼道灯也不亮", "楼道灯"),
    ],
)
async def test_a_second_problem_mid_form_is_registered_next(step, words, kept):
    chat = Chat()
    chat.suggest("城乡建设")
    if step == "location":
        await chat.say("小区的电梯经常困人，老人都不敢坐")  # no address yet
    else:
        await chat.say("丰台区马家堡东路88号小区的电梯经常困人")
        await chat.say("是")
    assert chat.session.requested == step
    reply = await chat.say(words)
    assert "格式不对" not in reply and "没能识别地址" not in reply
    assert "已记下" in reply and chat.session.requested == step
    assert chat.session.failures.get(step, 0) == 0
    # finish the first one
    for _ in range(6):
        if chat.session.requested == "confirm":
            break
        answer = {"location": "丰台区马家堡东路88号", "category": "是",
                  "contact_phone": "匿名", "photos": "没有"}[chat.session.requested]  # fmt: skip
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "工单编号" in reply and "另一件事" in reply
    [first] = chat.ports.registered
    assert kept not in first.description
    assert chat.session.form == "complaint"
    assert kept in chat.session.slots["description"]


async def test_a_second_problem_set_aside_can_be_moved_back_with_supplement():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    # (one that shares words with it, "灯坏了以后…", is added at once: test_citizen_review3)
    await chat.say("楼下的台阶也坏了，已经有两个老人摔倒了")
    assert "补充到问题描述" in await chat.say("补充")
    assert "摔倒" in chat.session.slots["description"]
    assert not chat.session.slots.get("_next")


async def test_cancelling_the_current_draft_starts_the_one_set_aside():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    await chat.say("另外还有个事，楼下垃圾桶满了好几天没人清")
    reply = await chat.say("算了")
    assert "已取消" in reply and "垃圾桶" in reply
    assert "垃圾桶" in chat.session.slots["description"]


async def test_restart_mid_form_is_a_new_draft():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    reply = await chat.say("重新开始")
    assert "请描述" in reply and chat.session.slots == {}


# -- 6. "不对" then a bare slot name ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "then", "field", "value"),
    [
        ("地址", "东城区东四十条甲1号", "location", "东城区东四十条甲1号"),
        ("位置", "海淀区中关村大街1号", "location", "海淀区中关村大街1号"),
        ("电话", "13900001111", "contact_phone", "13900001111"),
        ("类别", "2", "category", "环境保护"),
        ("描述", "路灯坏了两个星期，整条路都是黑的", "description", "路灯坏了两个星期，整条路都是黑的"),
    ],
)  # fmt: skip
async def test_no_then_a_bare_slot_name_asks_for_it_again(name, then, field, value):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    await chat.say("没有")
    assert "要改哪一项" in await chat.say("不对")
    await chat.say(name)
    assert chat.session.requested == field
    assert "请核对" in await chat.say(then)
    await chat.say("确认")
    got = getattr(chat.draft, field)
    assert (got.text if field == "location" else got) == value


async def test_a_bare_photo_name_asks_again_and_keeps_the_photos():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(ONE_MESSAGE)
    await chat.say("是")
    await chat.photo("a")
    await chat.say("好了")
    await chat.say("照片")
    assert chat.session.requested == "photos"
    await chat.photo("b")
    assert "2 张" in await chat.say("好了")


# -- 9. nonsense starts nothing --------------------------------------------------------------
@pytest.mark.parametrize(
    "junk", ["哈哈哈哈哈哈", "好的好的好的好的", "asdfghjkl", "1234567890123456789"]
)
async def test_nonsense_gets_the_menu_help_not_a_complaint(junk):
    chat = Chat()
    reply = await chat.say(junk)
    assert chat.session.form is None
    assert "查询进度" in reply


@pytest.mark.parametrize("junk", ["哈哈哈哈哈哈", "1234567890123456789"])
async def test_nonsense_is_not_a_description_either(junk):
    chat = Chat()
    await chat.click("COMPLAIN")
    assert "简单" in await chat.say(junk)
    assert "description" not in chat.session.slots


# -- 10. withdrawn tickets, and the same description twice ------------------------------------
async def test_withdrawing_or_supplementing_a_withdrawn_ticket_says_it_is_withdrawn():
    chat = Chat()
    no = await registered(chat)
    assert "确定要撤回" in await chat.say(f"撤回 {no}")
    assert "已撤回" in await chat.say("确定")
    reply = await chat.say(f"撤回 {no}")
    assert "已经撤回" in reply and "答复" not in reply
    reply = await chat.say(f"补充 {no} 晚上更黑了")
    assert "已撤回" in reply and "办结" not in reply
    assert chat.ports.complaints[no].history[-1].action == "withdraw"


async def test_the_same_description_twice_is_not_a_failed_address():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    reply = await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    assert "已经记下" in reply and "哪里" in reply
    assert "没能识别地址" not in reply
    assert chat.session.failures.get("location", 0) == 0
    assert chat.session.slots["description"] == "楼道里的灯坏了好久了晚上上楼很危险"


async def test_a_location_sent_while_paused_goes_into_a_restarted_draft():
    chat = Chat()
    await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    await chat.send(InboundKind.LOCATION, lat=39.9, lng=116.4, text="朝阳区工体北路")
    assert "请描述" in await chat.say("重新开始")
    assert chat.session.slots["location"]["lat"] == 39.9


async def test_an_unclear_reply_to_the_solved_question_asks_it_once_more():
    chat = Chat()
    a = await answered(chat)
    assert "解决了吗" in await chat.say("1")
    assert "解决了吗" in await chat.say("1")  # unclear: asked again, not dropped
    assert "已记录" in await chat.say("是")
    assert chat.ports.complaints[a].rating.solved is True


async def test_half_solved_is_not_solved():
    chat = Chat()
    a = await answered(chat)
    await chat.say("2")
    await chat.say("解决了一半")
    assert chat.ports.complaints[a].rating.solved is False


async def test_chatter_during_the_pause_is_not_replayed_as_a_bad_answer():
    chat = Chat()
    chat.suggest("城乡建设")
    assert "哪里" in await chat.say("楼道里的灯坏了好久了晚上上楼很危险")
    chat.wait(45)
    await chat.say("好的")
    reply = await chat.say("继续")
    assert "没能识别地址" not in reply and chat.session.requested == "location"


async def test_asking_for_a_person_points_to_the_phone_line_and_keeps_the_form():
    chat = Chat()
    assert "12345" in await chat.say("人工")
    chat.suggest("城乡建设")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了")
    reply = await chat.say("转人工")
    assert "12345" in reply and chat.session.requested == "category"


# -- after a reopening, what the citizen says next goes onto that ticket ---------------------
async def test_the_message_after_a_reopening_is_added_to_the_reopened_ticket():
    chat = Chat()
    a = await answered(chat)
    assert "直接告诉我" in await chat.say("3")
    reply = await chat.say("还是不亮，晚上楼门口黑漆漆的，老人不敢出门")
    assert f"已补充到工单 {a}" in reply and "投诉" in reply
    complaint = chat.ports.complaints[a]
    assert complaint.history[-1].action == "supplement" and "黑漆漆" in complaint.history[-1].reason
    assert chat.session.form is None and len(chat.ports.complaints) == 1
    # only the very next message: later ones are new conversations again
    await chat.say("小区东门的垃圾站三天没人清运了，臭味很大，朝阳区望京西园三区")
    assert chat.session.form is not None and complaint.history[-1].reason.count("黑漆漆") == 1


@pytest.mark.parametrize("words", ["谢谢", "人工", "帮助", "投诉", "查询进度"])
async def test_a_command_after_a_reopening_is_still_a_command(words):
    chat = Chat()
    a = await answered(chat)
    await chat.say("不满意")
    before = len(chat.ports.complaints[a].history)
    reply = await chat.say(words)
    assert "已补充" not in reply and len(chat.ports.complaints[a].history) == before
    assert not any(c.kind.value == "consultation" for c in chat.ports.complaints.values())


@pytest.mark.parametrize("words", ["可以", "吗", "吗？"])
async def test_a_bare_question_word_is_not_searched_as_a_consultation(words):
    chat = Chat()
    reply = await chat.say(words)
    assert "没看明白" in reply and "登记咨询" not in reply
    assert chat.session.offer != "consultation"
