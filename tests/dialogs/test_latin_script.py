"""A message in English (review 9, #16): the chat reads Chinese, so an English message is
told where help in English is (12345's foreign-language service), and never becomes a
complaint whose address question can then not be answered; an English answer at a form
question says how to stop. A ticket number asked about in English is looked up."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了，电话13812345678"


@pytest.mark.parametrize(
    "said",
    [
        "Hi, the street light near my apartment is broken",
        "check my complaint please",
        "Bonjour, la lumière de la rue est cassée",
    ],
)
async def test_an_english_message_is_told_where_help_in_english_is(said: str):
    chat = Chat()
    reply = await chat.say(said)
    assert reply == m.LATIN_ONLY
    assert chat.session.form is None and not chat.ports.registered


@pytest.mark.parametrize("said", ["OK thanks", "thank you very much", "ok"])
async def test_pleasantries_in_english_are_not_taken_for_an_english_speaker(said: str):
    reply = await Chat().say(said)
    assert m.LATIN_ONLY not in reply


async def test_chinese_with_english_names_is_chinese():
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say("朝阳区三里屯SOHO 3号楼门口的路灯坏了 broken light")
    assert m.LATIN_ONLY not in reply
    assert chat.session.form is not None


async def test_a_ticket_asked_about_in_english_is_looked_up():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    await chat.say("是")
    await chat.say("没有")
    await chat.say("确认")
    no = chat.session.last_no
    reply = await chat.say(f"status {no}")
    assert no in reply and "状态" in reply, reply
    assert m.LATIN_ONLY not in reply


async def test_an_english_answer_at_a_form_question_says_how_to_stop():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("小区门口的路灯坏了一个星期了")
    reply = await chat.say("Chaoyang District, Sanlitun SOHO building 3")
    assert m.LATIN_ONLY_IN_FORM in reply
    assert chat.session.form is not None and chat.session.requested == "location"
    assert "取消" in m.LATIN_ONLY_IN_FORM
    await chat.say("取消")
    assert chat.session.form is None and not chat.ports.registered


async def test_an_unknown_ticket_asked_about_in_english_is_said_to_be_unknown():
    reply = await Chat().say("status 20261130-0099")
    assert "没有找到编号为 20261130-0099 的诉求" in reply
