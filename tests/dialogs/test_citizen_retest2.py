"""Regressions from the second citizen re-test (transcripts in citizen-retest2), each as met."""

from __future__ import annotations

import pytest

from models.complaint import ComplaintStatus
from tests.dialogs.chat import Chat

PLACE_AND_PROBLEM = "楼道里的灯坏了好久了晚上上楼很危险，西城区右内西街10号院"


async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say(PLACE_AND_PROBLEM)
    for answer in ("是", "13800138000"):
        await chat.say(answer)
    assert "请核对" in await chat.say("没有")


# -- 1: a citizen who wants to stop never ends up with a ticket ----------------------
@pytest.mark.parametrize(
    ("first", "then"),
    [
        (["取消", "嗯嗯，先不弄了"], "嗯"),
        (["算了吧，不报了"], "对"),
        (["取消", "不想弄了，太麻烦"], "好的"),
        (["唉，算了吧"], "嗯"),
        (["那就不弄了呢"], "是的"),
    ],
)
async def test_cancel_words_with_fillers_and_reasons_never_register(first: list[str], then: str):
    chat = Chat()
    await _at_summary(chat)
    for text in first:
        reply = await chat.say(text)
        assert "请回复“确认”提交" not in reply
    await chat.say(then)
    assert not chat.ports.registered


async def test_thinking_it_over_keeps_the_draft_and_a_bare_yes_asks_again():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("取消")
    reply = await chat.say("我再想想")
    assert "保留" in reply and "确认" in reply and "放弃" in reply
    assert chat.session.form == "complaint"
    assert "是要提交吗" in await chat.say("好的")
    assert not chat.ports.registered
    assert "工单编号" in await chat.say("确认")


async def test_give_up_after_thinking_it_over_drops_at_once():
    chat = Chat()
    await _at_summary(chat)
    await chat.say("我再想想")
    assert "已取消" in await chat.say("放弃")
    assert chat.session.form is None and not chat.ports.registered


@pytest.mark.parametrize("unclear", ["先这样吧，不急", "我还是再考虑下要不要报"])
async def test_a_yes_after_a_hesitant_reply_at_the_summary_asks_first(unclear: str):
    chat = Chat()
    await _at_summary(chat)
    await chat.say(unclear)
    assert "是要提交吗" in await chat.say("嗯")
    assert not chat.ports.registered


async def test_a_plain_yes_at_the_summary_still_registers():
    chat = Chat()
    await _at_summary(chat)
    assert "工单编号" in await chat.say("好的")


# -- 2: what the citizen adds at the summary is kept ----------------------------------
@pytest.mark.parametrize(
    ("before", "text", "added"),
    [
        ([], "还有，路灯旁边的井盖也松了", "路灯旁边的井盖也松了"),
        ([], "而且晚上特别黑，老人不敢出门", "晚上特别黑，老人不敢出门"),
        ([], "旁边的井盖也松了", "旁边的井盖也松了"),
        (["取消"], "还有楼下的井盖也松了，走路容易崴脚", "楼下的井盖也松了，走路容易崴脚"),
        ([], "补充一下：晚上10点以后完全黑", "；晚上10点以后完全黑"),
        ([], "补充说明：晚上10点以后完全黑", "；晚上10点以后完全黑"),
    ],
)
async def test_more_detail_at_the_summary_goes_into_the_description(
    before: list[str], text: str, added: str
):
    chat = Chat()
    await _at_summary(chat)
    for said in before:
        await chat.say(said)
    reply = await chat.say(text)
    assert "请核对" in reply and added in reply
    await chat.say("确认")
    assert chat.draft.description.endswith(added)


async def test_another_matter_at_the_summary_is_still_registered_next():
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say("另外还有个事，楼下垃圾桶满了好几天没人清")
    assert "另一件事" in reply
    assert "垃圾桶" not in chat.session.slots["description"]


@pytest.mark.parametrize("before", [[], ["取消"]])
async def test_wait_the_phone_is_wrong_asks_for_the_phone(before: list[str]):
    chat = Chat()
    await _at_summary(chat)
    for said in before:
        await chat.say(said)
    reply = await chat.say("等一下，电话写错了")
    assert "联系电话" in reply and chat.session.requested == "contact_phone"
    assert "请核对" in await chat.say("13900139000")
    assert chat.session.slots["contact_phone"] == "13900139000"


# -- 3: a survey answer ending in 呢 is a statement, not a question -------------------
LAMP = "小区门口的路灯坏了两个星期了，海淀区学院路20号院"
DRAIN = "小区门口的下水道堵了，污水漫到路上，海淀区学院路20号院"


async def _answered(chat: Chat, *texts: str) -> list[str]:
    """Register each text and mark it answered by the department; their numbers."""
    chat.suggest("城乡建设")
    numbers = []
    for text in texts:
        await chat.say(text)
        while chat.session.form is not None:
            answer = {"category": "是", "contact_phone": "匿名", "photos": "没有"}
            await chat.say(answer.get(chat.session.requested or "", "确认"))
        numbers.append(chat.session.last_no)
    for no in numbers:
        chat.ports.set_status(no, ComplaintStatus.REPLIED)
    return numbers


@pytest.mark.parametrize("answer", ["路灯还是不亮呢", "还没修呢"])
async def test_not_solved_ending_in_ne_rates_the_one_pending(answer: str):
    chat = Chat()
    [lamp] = await _answered(chat, LAMP)
    reply = await chat.say(answer)
    assert "重新交办" in reply and chat.session.form is None
    assert chat.ports.complaints[lamp].status is not ComplaintStatus.REPLIED


async def test_not_solved_ending_in_ne_names_one_of_two_pending():
    chat = Chat()
    drain, lamp = await _answered(chat, DRAIN, LAMP)
    reply = await chat.say("下水道还是堵着呢")
    assert drain in reply and "重新交办" in reply and chat.session.form is None
    assert chat.ports.complaints[lamp].status is ComplaintStatus.REPLIED


@pytest.mark.parametrize("question", ["还没修好怎么办呢", "什么时候能修好呢"])
async def test_a_question_ending_in_ne_is_no_rating(question: str):
    from dialogs.survey import parse_natural

    assert parse_natural(question) is None


# -- 4: with two surveys pending, the list tells them apart and clear answers apply --
async def test_the_which_list_shows_what_differs():
    chat = Chat()
    await _answered(
        chat,
        "海淀区学院路20号院小区门口的下水道堵了，污水漫到路上",
        "海淀区学院路20号院小区门口的路灯坏了两个星期了",
    )
    reply = await chat.say("满意")
    lines = [line for line in reply.splitlines() if "｜" in line]
    assert len(lines) == 2 and not any("学院路" in line for line in lines)
    assert "路灯坏了" in reply and "下水道堵了" in reply


@pytest.mark.parametrize("answer", ["都解决了，谢谢", "俩都挺好的", "两个都满意"])
async def test_an_answer_about_all_pending_rates_all(answer: str):
    chat = Chat()
    numbers = await _answered(chat, DRAIN, LAMP)
    reply = await chat.say(answer)
    assert all(no in reply for no in numbers) and "请说明是哪一件" not in reply
    assert all(chat.ports.complaints[no].status is ComplaintStatus.CLOSED for no in numbers)


async def test_a_rating_naming_one_of_two_by_a_word_rates_it():
    chat = Chat()
    drain, lamp = await _answered(chat, DRAIN, LAMP)
    assert "已办结" in await chat.say("灯好了，满意")
    assert chat.ports.complaints[lamp].status is ComplaintStatus.CLOSED
    assert chat.ports.complaints[drain].status is ComplaintStatus.REPLIED


async def test_one_answer_naming_each_rates_each():
    chat = Chat()
    drain, lamp = await _answered(chat, DRAIN, LAMP)
    await chat.say("路灯修好了，下水道还是堵")
    assert chat.ports.complaints[lamp].status is ComplaintStatus.CLOSED
    assert chat.ports.complaints[drain].status is ComplaintStatus.DISPATCHED


@pytest.mark.parametrize("rating", ["1", "满意"])
async def test_a_plain_rating_with_two_pending_still_asks_which(rating: str):
    chat = Chat()
    numbers = await _answered(chat, DRAIN, LAMP)
    assert "请说明是哪一件" in await chat.say(rating)
    assert all(chat.ports.complaints[no].status is ComplaintStatus.REPLIED for no in numbers)


# -- 5: progress, complaints and consultations told apart ---------------------------
async def _lamp_registered(chat: Chat) -> str:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    while chat.session.form is not None:
        answer = {"category": "是", "contact_phone": "匿名", "photos": "没有"}
        await chat.say(answer.get(chat.session.requested or "", "确认"))
    return chat.session.last_no


@pytest.mark.parametrize("question", ["我那个事儿有信儿没", "路灯修了没有啊"])
async def test_progress_in_everyday_words_lists_the_complaints(question: str):
    chat = Chat()
    no = await _lamp_registered(chat)
    reply = await chat.say(question)
    assert no in reply and chat.session.form is None


@pytest.mark.parametrize(
    "text",
    [
        "请问这个事情怎么处理：小区井盖松了，车一过就哐当响",
        "楼上邻居装修噪音怎么投诉",
        "我们楼的电梯到底什么时候能修好，有结果了吗",
    ],
)
async def test_a_problem_asked_as_a_question_starts_the_complaint(text: str):
    chat = Chat()
    reply = await chat.say(text)
    assert "暂时没有找到相关答复" not in reply and "登记咨询" not in reply
    assert chat.session.form == "complaint"


@pytest.mark.parametrize(
    "question", ["问一下，垃圾分类几点开始收", "请问装修噪音晚上几点以后算扰民"]
)
async def test_a_question_about_a_rule_is_a_consultation(question: str):
    chat = Chat()
    assert "登记咨询" in await chat.say(question)
    assert chat.session.form is None


# -- third re-test: any unclear reply at the summary makes a bare yes ask again --------
@pytest.mark.parametrize(
    ("unclear", "then"),
    [
        ("过会儿再说", "行"),
        ("明天再提交吧", "嗯"),
        ("稍等", "好的"),
        ("我还没想好", "是的"),
        ("回头再说吧", "OK"),
        ("是西侧那个", "好的"),
    ],
)
async def test_after_any_unclear_reply_only_confirm_registers(unclear: str, then: str):
    chat = Chat()
    await _at_summary(chat)
    reply = await chat.say(unclear)
    assert "以“补充”开头" in reply  # how to add detail, never guessed at
    assert "是要提交吗" in await chat.say(then)
    assert not chat.ports.registered
    assert "工单编号" in await chat.say("确认")
