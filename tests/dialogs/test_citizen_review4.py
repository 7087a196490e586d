"""Regressions from the fourth citizen-role review, each as met."""

from __future__ import annotations

import pytest

from dialogs.extract import find_ticket
from dialogs.ports import ComplaintDraft
from models.complaint import ComplaintStatus
from tests.dialogs.chat import Chat


# -- 1: a worried hazard question is the report; after a miss, "派人来看看" registers it
@pytest.mark.parametrize(
    "worry",
    [
        "阳台上的空调外机架子锈了 掉下去怎么办",
        "路边的电线杆斜了怎么办",
        "万一井盖被偷了怎么办 我们这的井盖都没锁",
        "健身器材松动了万一砸到孩子怎么办",
    ],
)
async def test_a_hazard_asked_about_as_a_worry_starts_the_complaint(worry: str):
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say(worry)
    assert "暂时没有找到相关答复" not in reply and "登记咨询" not in reply
    assert chat.session.form == "complaint" and chat.session.requested == "location"
    assert chat.session.slots["description"] == worry


@pytest.mark.parametrize("question", ["如果物业不开发票怎么办", "不锈钢栏杆怎么保养"])
async def test_a_what_if_without_a_hazard_is_still_a_question(question: str):
    chat = Chat()
    reply = await chat.say(question)
    assert "登记咨询" in reply and chat.session.form is None


MISSED = "电线杆上的广告牌晃得厉害 会不会出事？"


@pytest.mark.parametrize("follow_up", ["你们派人来看看啊", "我要投诉", "帮我登记", "管管吧"])
async def test_asking_for_action_after_a_miss_registers_the_question_asked(follow_up: str):
    chat = Chat()
    chat.suggest("城乡建设")
    assert "暂时没有找到相关答复" in await chat.say(MISSED)
    reply = await chat.say(follow_up)
    assert "请描述您遇到的问题" not in reply and "刚才说的" in reply
    assert chat.session.requested == "location"
    assert chat.session.slots["description"] == MISSED


async def test_what_the_follow_up_adds_is_kept_in_the_description():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(MISSED)
    await chat.say("你们派人来看看，风一吹就哐哐响")
    assert chat.session.slots["description"] == f"{MISSED}；风一吹就哐哐响"
    await chat.say("朝阳区望京西园三区12号楼")
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    assert chat.draft.description == f"{MISSED}；风一吹就哐哐响"


async def test_after_a_missed_how_to_question_register_files_the_consultation():
    chat = Chat()
    await chat.say("请问公积金贷款额度是多少？")
    assert "已登记为咨询" in await chat.say("帮我登记")
    assert chat.draft.kind.value == "consultation" and "公积金" in chat.draft.description


async def test_another_problem_told_after_a_miss_is_its_own_complaint():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(MISSED)
    await chat.say("我要投诉楼下饭馆油烟很大")
    assert "广告牌" not in chat.session.slots["description"]
    assert "油烟" in chat.session.slots["description"]


# -- 2: 撤回 cannot be undone by the citizen: asked once, done only on a clear yes ------
async def _registered(chat: Chat, text: str = "朝阳区望京西园三区12号楼门口的路灯坏了") -> str:
    chat.suggest("城乡建设")
    await chat.say(text)
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    return chat.session.last_no


@pytest.mark.parametrize("yes", ["确定", "确定撤回", "是的", "撤回"])
async def test_withdraw_asks_first_and_a_clear_yes_withdraws(yes: str):
    chat = Chat()
    no = await _registered(chat)
    reply = await chat.say(f"撤回 {no}")
    assert f"确定要撤回工单 {no}" in reply and "路灯" in reply and "不再办理" in reply
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED
    assert "已撤回" in await chat.say(yes)
    assert chat.ports.complaints[no].status is ComplaintStatus.WITHDRAWN


@pytest.mark.parametrize("no_answer", ["不", "算了", "先不撤了", "嗯？", "我再想想"])
async def test_anything_but_a_yes_keeps_the_ticket(no_answer: str):
    chat = Chat()
    no = await _registered(chat)
    await chat.say(f"撤回 {no}")
    reply = await chat.say(no_answer)
    assert "没有撤回" in reply and "已撤回" not in reply
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED
    await chat.say("确定")  # too late: the question was answered
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED


async def test_a_new_problem_after_the_question_keeps_the_ticket_and_is_registered():
    chat = Chat()
    no = await _registered(chat)
    await chat.say(f"撤回 {no}")
    reply = await chat.say("楼下饭馆油烟很大 每天晚上都熏")
    assert "没有撤回" in reply and chat.session.form == "complaint"
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED


async def test_mid_form_a_plain_yes_does_not_withdraw_and_a_cancel_keeps_the_draft():
    chat = Chat()
    no = await _registered(chat)
    await chat.say("东城区北新桥三条小区绿化带里垃圾成堆")
    assert chat.session.requested == "category"
    reply = await chat.say(f"撤回 {no}")
    assert "确定要撤回" in reply and "属于" not in reply
    reply = await chat.say("是")
    assert "没有撤回" in reply and chat.session.requested == "category"
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED
    await chat.say(f"撤回 {no}")
    reply = await chat.say("算了")
    assert "没有撤回" in reply and chat.session.form == "complaint"
    await chat.say(f"撤回 {no}")
    assert "已撤回" in await chat.say("确定")
    assert chat.session.form == "complaint" and chat.session.requested == "category"


async def test_a_menu_tap_after_the_question_is_no_yes():
    chat = Chat()
    no = await _registered(chat)
    await chat.say(f"撤回 {no}")
    await chat.click("MY_COMPLAINTS")
    await chat.say("确定")
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED


async def test_an_answered_ticket_is_refused_without_asking():
    chat = Chat()
    no = await _registered(chat)
    chat.ports.set_status(no, ComplaintStatus.REPLIED)
    reply = await chat.say(f"撤回 {no}")
    assert "不能撤回" in reply and "确定要撤回" not in reply


# -- 4: a menu tap after 投诉 with nothing told yet switches; with a draft, one line ----
ASK = "请描述您遇到的问题"


async def test_a_menu_tap_on_an_empty_complaint_switches_without_the_prompt():
    chat = Chat()
    assert ASK in await chat.click("COMPLAIN")
    reply = await chat.click("CONSULT")
    assert reply == "请直接输入您想咨询的问题。" and chat.session.form is None
    reply = await chat.say("办居住证要什么材料")
    assert ASK not in reply and "还没提交" not in reply
    await chat.click("COMPLAIN")
    for key in ("QUERY", "MY_COMPLAINTS"):
        reply = await chat.click(key)
        assert ASK not in reply and "还没提交" not in reply, key
        assert chat.session.form is None


@pytest.mark.parametrize("key", ["QUERY", "MY_COMPLAINTS", "CONSULT"])
async def test_a_menu_tap_with_a_draft_answers_and_recalls_it_in_one_line(key: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯坏了一个多星期了")
    assert chat.session.requested == "location"
    reply = await chat.click(key)
    if key == "CONSULT":
        assert reply == "请直接输入您想咨询的问题。"
        reply = await chat.say("办居住证要什么材料")
    assert "问题发生在哪里" not in reply
    assert reply.count("还没提交") == 1 and "“继续”" in reply and "路灯" in reply
    assert "问题发生在哪里" in await chat.say("继续")
    await chat.say("海淀区学院路20号院北门")
    assert "学院路20号院北门" in chat.session.slots["location"]["text"]


# -- 5a: the summary's label is 【问题】: "问题改成…" changes the description -----------
NOISE = "每天晚上跳广场舞音响太吵了"


async def _noise_at_summary(chat: Chat) -> str:
    chat.suggest("环境保护")
    await chat.say(NOISE)
    await chat.say("朝阳区望京西园三区")
    for answer in ("是", "匿名"):
        await chat.say(answer)
    summary = await chat.say("没有")
    assert "请核对" in summary
    return summary


@pytest.mark.parametrize("fix", ["问题改成隔壁KTV半夜太吵", "问题改为：隔壁KTV半夜太吵"])
async def test_the_problem_changed_by_its_label(fix: str):
    chat = Chat()
    await _noise_at_summary(chat)
    reply = await chat.say(fix)
    assert "没太明白" not in reply and "【问题】隔壁KTV半夜太吵" in reply
    assert chat.session.slots["description"] == "隔壁KTV半夜太吵"


async def test_the_problem_said_at_another_step_is_no_correction():
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(NOISE)
    await chat.say("问题是我不知道具体地址 就在望京西园三区")
    assert chat.session.slots["description"] == NOISE


# -- 5b: "哦对了地址是…" is the place, without what is said before it -----------------
PLAZA = "丰台区马家堡西路角门东里小区广场"


@pytest.mark.parametrize("said", [f"哦对了地址是{PLAZA}", f"嗯，在{PLAZA}", f"对了 {PLAZA}"])
async def test_an_opener_before_the_address_is_not_part_of_it(said: str):
    chat = Chat()
    chat.suggest("环境保护")
    await chat.say(NOISE)
    assert chat.session.requested == "location"
    await chat.say(said)
    assert chat.session.slots["location"]["text"] == PLAZA


async def test_an_address_given_with_an_opener_at_the_summary_corrects_the_place():
    chat = Chat()
    await _noise_at_summary(chat)
    reply = await chat.say(f"哦对了地址是{PLAZA}")
    assert f"【地点】{PLAZA}" in reply and "补充到问题描述" not in reply
    assert chat.session.slots["description"] == NOISE


# -- 5c: "20261128 0001" and "查询20261128-1" are ticket numbers --------------------
async def _tickets(chat: Chat, count: int) -> list[str]:
    for n in range(count):
        draft = ComplaintDraft(f"d{n}", chat.openid, f"东城区东四十条{n + 1}号楼道灯坏了")
        await chat.ports.register_complaint(draft)
    return list(chat.ports.complaints)


@pytest.mark.parametrize("asked", ["20261128 0001", "查询 20261128 0001", "查询20261128-1"])
async def test_a_ticket_number_with_a_space_or_cut_short_is_looked_up(asked: str):
    chat = Chat()
    await _tickets(chat, 2)
    reply = await chat.say(asked)
    assert "工单 20261128-0001\n状态：" in reply
    assert chat.session.form is None and "没有找到" not in reply


async def test_a_cut_short_number_that_may_mean_two_tickets_lists_them():
    chat = Chat()
    await _tickets(chat, 12)
    reply = await chat.say("查询20261128-1")
    assert "不完整" in reply and "20261128-0001" in reply and "20261128-0010" in reply
    reply = await chat.say("查询20261128-12")
    assert "不完整" not in reply and "20261128-0012" in reply
    assert "没有找到编号为 20261128-13" in await chat.say("查询20261128-13")


def test_two_numbers_that_are_no_date_are_no_ticket():
    assert find_ticket("12345678 1234") == ""
    assert find_ticket("补充 20261128 0001 晚上更黑") == "20261128-0001"


# -- 5d: "快点 还困着呢 电梯里" at the phone step is the lift emergency, not a bad phone -
async def test_still_shut_in_said_at_the_phone_step_of_the_lift_draft_is_added():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("有人困在电梯里")
    await chat.say("朝阳区望京西园三区5号楼")
    await chat.say("是")
    reply = await chat.say("快点 还困着呢 电梯里")
    assert "格式不对" not in reply and "补充到问题描述里" in reply
    assert "还困着呢" in chat.session.slots["description"]


async def test_still_shut_in_said_at_the_phone_step_of_another_draft_goes_first():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("小区绿化带里垃圾成堆")
    await chat.say("东城区北新桥三条")
    await chat.say("是")
    assert chat.session.requested == "contact_phone"
    reply = await chat.say("快点 还困着呢 电梯里")
    assert reply.startswith("【紧急】") and "格式不对" not in reply
    assert chat.session.slots["description"] == "快点 还困着呢 电梯里"


# -- 5e: a phone in digit words is read alike typed or dictated; a wrong length is shown
async def _at_phone(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for text in ("小区绿化带里垃圾成堆", "东城区北新桥三条", "是"):
        await chat.say(text)
    assert chat.session.requested == "contact_phone"


@pytest.mark.parametrize("voice", [False, True], ids=["typed", "voice"])
async def test_a_phone_in_digit_words_is_taken_typed_as_by_voice(voice: bool):
    chat = Chat()
    await _at_phone(chat)
    said = "我电话幺三八一二三四五六七八"
    await (chat.voice(said) if voice else chat.say(said))
    assert chat.session.slots["contact_phone"] == "13812345678"


@pytest.mark.parametrize("voice", [False, True], ids=["typed", "voice"])
async def test_a_mobile_a_digit_too_long_is_read_back(voice: bool):
    chat = Chat()
    await _at_phone(chat)
    said = "我电话幺三八一二三四五六七八九"  # twelve digits
    reply = await (chat.voice(said) if voice else chat.say(said))
    assert "138123456789" in reply and "12 位" in reply and "11 位" in reply
    assert "contact_phone" not in chat.session.slots


async def test_a_yes_after_a_break_withdraws_nothing():
    chat = Chat()
    no = await _registered(chat)
    await chat.say(f"撤回 {no}")
    chat.wait(minutes=60)  # the question has scrolled away; "确定" may mean anything now
    await chat.say("确定")
    assert chat.ports.complaints[no].status is ComplaintStatus.SUBMITTED
