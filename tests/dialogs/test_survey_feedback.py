"""Survey answers in the citizen's own words (citizen review 6: A1, A2, A3, B8, B14):
each message as sent with one survey (or two) pending, the rating it must record."""

from __future__ import annotations

import pytest

from dialogs.survey import parse_feedback
from models.complaint import ComplaintStatus, Satisfaction
from tests.dialogs.chat import Chat

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASICALLY, Satisfaction.UNSATISFIED

LAMP = "小区门口的路灯不亮了，海淀区学院路20号院"
BIN = "小区垃圾桶满了没人清，海淀区学院路20号院"
ASK_ADDRESS = "问题发生在哪里"


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


# -- A1: ordinary answers are ratings, never a new complaint ---------------------------
@pytest.mark.parametrize(
    ("text", "satisfaction", "solved"),
    [
        ("我不满意", U, None),
        ("俺不满意", U, None),
        ("一点都不满意", U, None),
        ("我很满意", S, None),
        ("挺好的", S, None),
        ("行吧", B, None),
        ("不行", U, None),
        ("不咋地", U, None),
        ("还那样，没啥变化", U, False),
        ("灯是换了，可是才亮了一天又灭了", U, False),
        ("灯是换了，可是才亮了一天又灭了，俺不满意", U, False),
        ("没有不满意", S, None),
        ("不太满意", U, None),
    ],
)
async def test_an_ordinary_answer_rates_the_pending_survey(
    text: str, satisfaction: Satisfaction, solved: bool | None
):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(text)
    rating = chat.ports.complaints[no].rating
    assert rating is not None, reply
    assert (rating.satisfaction, rating.solved) == (satisfaction, solved)
    assert chat.session.form is None and ASK_ADDRESS not in reply
    assert "还在等您的评价" not in reply and len(chat.ports.registered) == 1
    if satisfaction is U:
        assert (
            "重新交办" in reply and chat.ports.complaints[no].status is ComplaintStatus.DISPATCHED
        )
    else:
        assert "已办结" in reply


@pytest.mark.parametrize(
    ("text", "comment"),
    [
        ("我不满意", ""),
        ("挺好的，谢谢", ""),
        ("灯是换了，可是才亮了一天又灭了，俺不满意", "灯是换了，可是才亮了一天又灭了"),
        ("还那样，没啥变化", "还那样，没啥变化"),
    ],
)
def test_the_comment_keeps_what_was_said_beyond_the_rating(text: str, comment: str):
    answer = parse_feedback(text)
    assert answer is not None and answer.comment == comment


@pytest.mark.parametrize(
    "text",
    [
        "另外朝阳区望京西园三区5号楼的井盖丢了",
        "满意度怎么评价",
        "我不满意怎么办",
        "挺好的小区，就是路灯坏了",
        "谢谢",
        "好的",
    ],
)
def test_what_is_no_rating(text: str):
    assert parse_feedback(text) is None


async def test_a_new_problem_with_a_place_still_starts_a_complaint():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    chat.suggest("城乡建设")
    await chat.say("另外朝阳区望京西园三区5号楼的井盖丢了")
    assert chat.session.form == "complaint"
    assert chat.session.slots["location"]["district"] == "朝阳区"
    assert chat.ports.complaints[no].rating is None


async def test_an_unclear_grumble_is_asked_about_not_registered():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say("就这？")
    assert f"您是说对工单 {no}" in reply and "不满意吗" in reply
    assert chat.session.form is None and chat.ports.complaints[no].rating is None
    reply = await chat.say("是")
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.satisfaction is U and "重新交办" in reply


async def test_an_unclear_grumble_can_still_be_registered_as_a_new_problem():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say("楼道里也没灯")
    assert "不满意吗" in reply and "新问题" in reply
    reply = await chat.say("新问题")
    assert chat.session.form == "complaint" and ASK_ADDRESS in reply
    assert chat.session.slots["description"] == "楼道里也没灯"
    assert chat.ports.complaints[no].rating is None


async def test_with_two_surveys_a_bare_answer_asks_which_and_a_telling_word_picks():
    chat = Chat()
    bin_no, lamp_no = await _answered(chat, BIN, LAMP)
    reply = await chat.say("俺不满意")
    assert "请说明是哪一件" in reply and bin_no in reply and lamp_no in reply
    assert all(chat.ports.complaints[no].rating is None for no in (bin_no, lamp_no))
    await chat.say(lamp_no)
    rating = chat.ports.complaints[lamp_no].rating
    assert rating is not None and rating.satisfaction is U
    assert chat.ports.complaints[bin_no].rating is None

    chat = Chat()
    bin_no, lamp_no = await _answered(chat, BIN, LAMP)
    reply = await chat.say("灯是换了，可是才亮了一天又灭了，俺不满意")
    assert lamp_no in reply and "重新交办" in reply
    assert chat.ports.complaints[bin_no].rating is None


# -- A2: praise said with the answer is the rating's comment ---------------------------
async def test_solved_with_praise_is_the_rating():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    text = "修好了，维修师傅小王态度特别好，表扬一下"
    reply = await chat.say(text)
    complaint = chat.ports.complaints[no]
    assert complaint.status is ComplaintStatus.CLOSED and complaint.rating is not None
    rating = complaint.rating
    assert (rating.satisfaction, rating.solved, rating.comment) == (S, True, text)
    assert "表扬" in reply and "回复“登记”" not in reply and chat.session.offer == ""
    assert len(chat.ports.registered) == 1


# -- A3: a photo and words after "哪里还没解决？" go onto the reopened ticket ----------
async def test_a_photo_after_the_reopening_is_added_to_the_ticket():
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say("根本没人来过！骗人")
    assert "哪里还没解决" in reply
    reply = await chat.photo("m1")
    assert f"照片已补充到工单 {no}" in reply
    assert chat.ports.complaints[no].photos == ("photo-m1",)
    assert chat.session.form is None
    reply = await chat.say("你看看这照片，灯还是黑的")
    assert f"已补充到工单 {no}" in reply and ASK_ADDRESS not in reply
    assert chat.session.form is None and len(chat.ports.registered) == 1
    reasons = [event.reason for event in chat.ports.complaints[no].history]
    assert "你看看这照片，灯还是黑的" in reasons


# -- B8: a thumbs-up to the survey is asked about once ---------------------------------
@pytest.mark.parametrize("sticker", ["👍", "👌"])
async def test_a_thumbs_up_is_asked_whether_it_means_satisfied(sticker: str):
    chat = Chat()
    [no] = await _answered(chat, LAMP)
    reply = await chat.say(sticker)
    assert "满意吗" in reply and "还在等您的评价" not in reply
    assert chat.ports.complaints[no].rating is None
    reply = await chat.say("是")
    rating = chat.ports.complaints[no].rating
    assert rating is not None and rating.satisfaction is S and "已办结" in reply


# -- B14: no farewell before the last question -----------------------------------------
async def test_the_farewell_comes_after_the_last_question():
    chat = Chat()
    await _answered(chat, LAMP)
    reply = await chat.say("1")
    assert "解决了吗" in reply and "随时找我们" not in reply
    reply = await chat.say("是")
    assert "已记录" in reply and "随时找我们" in reply
