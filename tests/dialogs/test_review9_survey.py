"""Regressions from the ninth citizen-role review, survey answers and ratings: sarcasm
("满意个屁") read as 不满意 (#3); "还没看到" leaves the survey open (#4); a 不满意 or a
relapse named on a closed case says what happens and offers to file it again (#12);
picking from the list of surveys by its place, and a lone yes answering nothing (#18);
scores ("5分", "五星") as ratings (#24)."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from dialogs.survey import parse_survey
from models.complaint import Action, ComplaintStatus, Satisfaction
from tests.dialogs.chat import Chat

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED

LAMP = "小区门口的路灯不亮了，海淀区学院路20号院"
BIN = "小区垃圾桶满了没人清，海淀区学院路20号院"


async def _answered(chat: Chat, *texts: str) -> list[str]:
    """Complaints registered in chat and answered by the department: surveys pending."""
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


def _supplements(chat: Chat, no: str) -> list[str]:
    return [e.reason for e in chat.ports.complaints[no].history if e.action == Action.SUPPLEMENT]


# -- #3: sarcasm is 不满意 ----------------------------------------------------------------
SARCASM = ["满意个屁", "满意个鬼", "满意才怪", "还满意呢", "满意？做梦", "满意你个头"]


@pytest.mark.parametrize("said", SARCASM)
async def test_a_sarcastic_satisfied_reopens_the_case(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    complaint = chat.ports.complaints[no]
    assert complaint.rating is not None and complaint.rating.satisfaction is U, reply
    assert complaint.status is ComplaintStatus.DISPATCHED and "重新交办" in reply
    assert complaint.rating.comment == said  # the department reads what was said
    assert "感谢您的评价" not in reply


@pytest.mark.parametrize("said", ["解决个屁", "解决了个鬼", "修好了才怪"])
async def test_a_sarcastic_solved_is_not_solved(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    rating = chat.ports.complaints[no].rating
    assert rating is not None and (rating.satisfaction, rating.solved) == (U, False), reply


async def test_sarcasm_after_a_satisfied_takes_it_back():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    assert m.ASK_SOLVED in await chat.say("满意")
    reply = await chat.say("满意个屁")
    complaint = chat.ports.complaints[no]
    assert complaint.status is ComplaintStatus.DISPATCHED and "重新交办" in reply
    assert complaint.rating is not None and complaint.rating.satisfaction is U


def test_sincere_answers_stay_as_they_were():
    for said, satisfaction in (("满意", S), ("很满意", S), ("不满意", U), ("3，还是很吵", U)):
        answer = parse_survey(said)
        assert answer is not None and answer.satisfaction is satisfaction
    # sarcasm reads as 不满意 in the strict reader too, not only in chat
    assert parse_survey("满意个屁") is not None
    assert parse_survey("满意个屁").satisfaction is U  # type: ignore[union-attr]


# -- #4: "don't know yet" leaves the survey open --------------------------------------------
NOT_YET = [
    "我还没回家，晚上回去看看",
    "不知道，我还没去看",
    "还没看到",
    "我不在家，不清楚修没修",
    "过两天再说",
    "过两天再说吧",
]


@pytest.mark.parametrize("said", NOT_YET)
async def test_not_known_yet_rates_nothing_and_the_survey_stays_open(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    complaint = chat.ports.complaints[no]
    assert complaint.rating is None and complaint.status is ComplaintStatus.REPLIED, reply
    assert "评价给您留着" in reply and no in reply and "重新交办" not in reply
    assert _supplements(chat, no) == [] and not chat.ports.registered[1:]
    # the survey is still answerable, and a real "not solved" still reopens
    reply = await chat.say("还是不亮")
    complaint = chat.ports.complaints[no]
    assert complaint.rating is not None and complaint.rating.solved is False, reply
    assert complaint.status is ComplaintStatus.DISPATCHED


async def test_later_then_过两天再说_adds_nothing_to_the_ticket():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    await chat.say("不知道，我还没去看")
    reply = await chat.say("过两天再说吧")
    assert "已补充" not in reply and _supplements(chat, no) == []
    assert chat.ports.complaints[no].status is ComplaintStatus.REPLIED


@pytest.mark.parametrize("said", ["还没看到", "我还没回家，晚上回去看看"])
async def test_not_known_yet_to_the_solved_question_records_nothing(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    await chat.say("满意")
    reply = await chat.say(said)
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.solved is None, reply
    assert "解决了" in reply and chat.ports.solved_calls == 0
    # asked later, the answer still counts
    assert m.SOLVED_RECORDED in await chat.say("解决了")
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.solved is True


async def test_过两天再说_after_a_reopening_is_not_filed_on_the_ticket():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    assert "重新交办" in await chat.say("没解决")
    reply = await chat.say("过两天再说吧")
    assert _supplements(chat, no) == [] and "已补充" not in reply
    assert no in reply


# -- #12: a closed case named with 不满意, or 补充 -------------------------------------------
async def _closed_days_ago(chat: Chat) -> str:
    [no] = await _answered(chat, LAMP)
    await chat.say("满意")
    await chat.say("是")
    assert chat.ports.complaints[no].status is ComplaintStatus.CLOSED
    chat.wait(60 * 24 * 3)
    return no


async def test_不满意_on_a_closed_case_says_so_and_files_it_again_on_request():
    chat = Chat()
    no = await _closed_days_ago(chat)
    reply = await chat.say(f"{no} 不满意")
    assert f"工单 {no} 已经办结" in reply and "满意" in reply and "重新反映" in reply, reply
    assert "状态：" not in reply  # not the status card, as if nothing was said
    assert chat.ports.complaints[no].status is ComplaintStatus.CLOSED
    reply = await chat.say("重新反映")
    assert no in reply and chat.session.form == "complaint"
    reply = await chat.say("没有")
    assert "请核对您的诉求" in reply and "学院路20号院" in reply, reply
    await chat.say("确认")
    assert "无需重复确认" in await chat.say("确认")
    assert len(chat.ports.registered) == 2
    old, new = chat.ports.registered
    assert (new.description, new.location, new.category) == (
        old.description,
        old.location,
        old.category,
    )


async def test_补充_on_a_closed_case_offers_to_file_it_again_with_what_was_said():
    chat = Chat()
    no = await _closed_days_ago(chat)
    reply = await chat.say(f"补充 {no} 又坏了")
    assert "无法办理" not in reply and f"工单 {no} 已经办结" in reply, reply
    assert "重新反映" in reply and "又坏了" in reply
    await chat.say("好的")
    await chat.say("没有")
    await chat.say("确认")
    assert chat.ports.registered[-1].description == f"{LAMP}；又坏了"


async def test_no_to_the_offer_files_nothing():
    chat = Chat()
    no = await _closed_days_ago(chat)
    assert "重新反映" in await chat.say(f"{no} 不满意")
    reply = await chat.say("不用")
    assert reply == m.OFFER_DECLINED and len(chat.ports.registered) == 1


async def test_不满意_with_the_number_right_after_a_satisfied_still_changes_it():
    # the rule for changing a rating: right after it, while "问题解决了吗？" waits
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    await chat.say("满意")
    reply = await chat.say(f"{no} 不满意")
    complaint = chat.ports.complaints[no]
    assert "重新交办" in reply and complaint.status is ComplaintStatus.DISPATCHED
    assert complaint.rating is not None and complaint.rating.satisfaction is U
    assert no not in complaint.rating.comment  # the number named it, it is no comment


# -- #18: picking from the list; a yes to nothing ------------------------------------------
@pytest.mark.parametrize(("pick", "place"), [("1", 0), ("2", 1), ("2号", 1)])
async def test_a_place_in_the_list_picks_that_survey(pick: str, place: int):
    chat = Chat()
    numbers = await _answered(chat, LAMP, BIN)
    reply = await chat.say("满意")
    assert "1. " in reply and "2. " in reply, reply
    listed = sorted(numbers, reverse=True)  # newest first, as the list shows them
    reply = await chat.say(pick)
    chosen, other = listed[place], listed[1 - place]
    rating = chat.ports.complaints[chosen].rating
    assert rating is not None and rating.satisfaction is S, reply  # the kept rating
    assert chat.ports.complaints[other].rating is None


async def test_a_yes_answering_nothing_long_after_registering_names_no_ticket():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    await chat.say("满意")
    await chat.say("第二个")  # the solved question lapses
    chat.wait(60)
    reply = await chat.say("是")
    assert "无需重复确认" not in reply and no not in reply, reply
    assert reply == m.YES_TO_NOTHING
    # a second 确认 right after registering is still told it is done
    chat.suggest("城乡建设")
    await chat.say(BIN)
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    assert "无需重复确认" in await chat.say("确认")


async def test_a_late_second_confirm_is_no_double_confirm():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    chat.wait(60 * 24)
    reply = await chat.say("对")
    assert "无需重复确认" not in reply and len(chat.ports.registered) == 1


# -- #24: scores -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "satisfaction"),
    [("5分", S), ("打5分", S), ("五星", S), ("给五星", S), ("满分", S), ("4分", S),
     ("3分", B), ("2分", U), ("1分", U), ("1分，太慢了", U)],
)  # fmt: skip
async def test_a_score_is_a_rating(said: str, satisfaction: Satisfaction):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.satisfaction is satisfaction, reply


def test_a_score_is_read_but_minutes_are_not():
    assert parse_survey("5分") is not None
    for said in ("5分钟", "5分钟前有人来看了", "8分", "2分局"):
        assert parse_survey(said) is None, said


async def test_a_score_at_the_category_question_rates_the_survey_not_a_category():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    chat.suggest("城乡建设")
    await chat.say("西城区德胜门外大街12号的人行道被共享单车堵死了")
    assert chat.session.requested == "category"
    reply = await chat.say("5分")
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.satisfaction is S, reply
    assert chat.session.requested == "category" and "category" not in chat.session.slots


async def test_sarcasm_about_both_surveys_reopens_both():
    chat = Chat()
    numbers = await _answered(chat, LAMP, BIN)
    reply = await chat.say("俩都满意个屁")
    for no in numbers:
        rating = chat.ports.complaints[no].rating
        assert rating is not None and rating.satisfaction is U, reply


async def test_不满意_on_a_case_closed_unrated_says_the_time_to_rate_is_over():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    chat.ports.set_status(no, ComplaintStatus.CLOSED)  # the 7-day sweep, no rating
    reply = await chat.say(f"{no} 不满意，还是不亮")
    assert reply.startswith(m.RATING_CLOSED_UNRATED.format(no=no)) and "重新反映" in reply, reply


async def test_a_new_problem_told_with_不在家_is_still_registered():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    chat.suggest("城乡建设")
    reply = await chat.say("我不在家的时候楼上漏水了，朝阳区安贞西里5号楼")
    assert "评价给您留着" not in reply and chat.session.form == "complaint", reply
    assert chat.ports.complaints[no].rating is None


# -- review 9b: regressions of the fixes above -------------------------------------------
# High #1: a laugh or a question mark beside a sincere praise is no sarcasm
@pytest.mark.parametrize(
    ("said", "solved"),
    [("修好了？哈哈，终于修好了，谢谢", True), ("满意？哈哈当然满意", None), ("呵呵，满意", None),
     ("满意，呵呵", None)],
)  # fmt: skip
async def test_a_laugh_with_a_sincere_praise_closes_the_case(said: str, solved: bool | None):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    complaint = chat.ports.complaints[no]
    assert "重新交办" not in reply and complaint.status is ComplaintStatus.CLOSED, reply
    assert complaint.rating is not None and complaint.rating.satisfaction is S
    assert complaint.rating.solved is solved


@pytest.mark.parametrize("said", ["满意？哈哈", "好了？呵呵", "修好了？哈哈", "呵呵满意"])
async def test_a_praise_only_questioned_is_asked_about(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    complaint = chat.ports.complaints[no]
    assert complaint.rating is None and complaint.status is ComplaintStatus.REPLIED, reply
    assert reply == m.SURVEY_DOUBTFUL.format(about=m.SURVEY_LATER_TICKET.format(no=no))
    reply = await chat.say("不满意")  # the answer to the question counts
    assert "重新交办" in reply and chat.ports.complaints[no].rating is not None


# Medium #3 (9b): someone else's excuse, a request to come again, a flickering lamp
@pytest.mark.parametrize(
    "said", ["物业说没时间", "工作人员说没空", "你们自己去看看吧", "你们再派人去看看吧"]
)
async def test_someone_elses_excuse_or_come_again_asks_if_unhappy(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    assert "评价给您留着" not in reply and chat.session.form is None, reply
    assert "不满意吗" in reply and no in reply
    reply = await chat.say("是")
    complaint = chat.ports.complaints[no]
    assert complaint.rating is not None and complaint.rating.satisfaction is U, reply
    assert complaint.status is ComplaintStatus.DISPATCHED and len(chat.ports.registered) == 1


async def test_an_intermittent_fault_is_not_solved():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say("说不好，时亮时不亮")
    complaint = chat.ports.complaints[no]
    assert complaint.rating is not None and complaint.rating.solved is False, reply
    assert complaint.status is ComplaintStatus.DISPATCHED


@pytest.mark.parametrize("said", ["我还没时间去看", "还没来得及去看", "说不好"])
async def test_the_citizens_own_not_having_looked_is_still_not_yet(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    assert "评价给您留着" in reply and chat.ports.complaints[no].rating is None, reply


# Medium #6 (9b): scorn inside a new complaint with its own place
async def test_scorn_in_a_new_complaint_with_a_place_rates_nothing():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    chat.suggest("城乡建设")
    reply = await chat.say("朝阳区安贞西里那边的垃圾站满意个屁，臭死了")
    complaint = chat.ports.complaints[no]
    assert complaint.rating is None and complaint.status is ComplaintStatus.REPLIED, reply
    assert chat.session.form == "complaint" and "重新交办" not in reply


# Low #4 (9b): the words that picked the ticket are no comment
@pytest.mark.parametrize(
    ("said", "comment"),
    [("路灯那个满意", ""), ("路灯那个不满意，还是不亮", "还是不亮"), ("垃圾桶那个满意，师傅很负责", "师傅很负责")],
)  # fmt: skip
async def test_picking_words_are_not_stored_as_the_comment(said: str, comment: str):
    chat = Chat()
    await _answered(chat, LAMP, BIN)
    reply = await chat.say(said)
    rated = [c for c in chat.ports.complaints.values() if c.rating is not None]
    assert len(rated) == 1 and rated[0].rating is not None, reply
    assert rated[0].rating.comment == comment


async def test_an_ordinal_with_the_rating_is_not_stored_as_the_comment():
    chat = Chat()
    numbers = await _answered(chat, LAMP, BIN)
    await chat.say("满意")
    await chat.say("1")  # the newest: the bin
    reply = await chat.say("第二个满意")
    rating = chat.ports.complaints[numbers[0]].rating
    assert rating is not None and rating.satisfaction is S and rating.comment == "", reply


# -- the fault said gone or still there, as citizens say it ---------------------------------
@pytest.mark.parametrize("said", ["亮了", "看过了，亮了", "灯亮了，谢谢", "邻居说亮了"])
async def test_the_lamp_said_lit_is_solved(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    await chat.say(said)
    complaint = chat.ports.complaints[no]
    assert complaint.rating is not None and complaint.rating.solved is True, said
    assert complaint.status is ComplaintStatus.CLOSED


@pytest.mark.parametrize("said", ["不亮了", "灯没亮", "还不亮呢"])
async def test_the_lamp_said_still_dark_is_not_solved(said: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(said)
    complaint = chat.ports.complaints[no]
    assert complaint.rating is not None and complaint.rating.solved is False, said
    assert complaint.status is ComplaintStatus.DISPATCHED and "重新交办" in reply
