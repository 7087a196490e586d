"""Second review of review 9: with two tickets, "撤回" asks about the newest; a citizen who
answers with the other one's number ("0001") means that one. It was kept ("工单…0002 没有
撤回"), 0001 was never offered, and the following "确定" drew "无需重复确认"."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from models.complaint import ComplaintStatus
from tests.dialogs.chat import Chat

TEXTS = (
    "海淀区学院路20号院门口的路灯坏了，电话13812345678",
    "东城区和平里东街11号院3号楼楼道灯坏了，电话13812345678",
)


async def _two_registered(chat: Chat) -> list[str]:
    chat.suggest("城乡建设")
    numbers = []
    for text in TEXTS:
        await chat.say(text)
        for answer in ("是", "没有"):
            await chat.say(answer)
        assert "已为您登记" in await chat.say("确认")
        numbers.append(chat.session.last_no)
        if len(numbers) == 1:
            chat.wait(60)  # the second is the one just registered
    return numbers


@pytest.mark.parametrize("how", ["tail", "whole"])
async def test_the_other_ticket_named_at_the_withdraw_question_is_asked_about(how: str):
    chat = Chat()
    first, second = await _two_registered(chat)
    reply = await chat.say("撤回")
    assert second in reply and "确定要撤回" in reply
    named = first.rpartition("-")[2] if how == "tail" else first
    reply = await chat.say(named)
    assert first in reply and "确定要撤回" in reply, reply
    reply = await chat.say("确定")
    assert m.WITHDRAWN.format(no=first) in reply, reply
    assert chat.ports.complaints[first].status is ComplaintStatus.WITHDRAWN
    assert chat.ports.complaints[second].status is not ComplaintStatus.WITHDRAWN


async def test_the_same_ticket_named_again_asks_for_a_clear_yes():
    chat = Chat()
    _, second = await _two_registered(chat)
    await chat.say("撤回")
    reply = await chat.say(second.rpartition("-")[2])
    assert second in reply and "确定要撤回" in reply
    assert chat.ports.complaints[second].status is not ComplaintStatus.WITHDRAWN


@pytest.mark.parametrize("said", ["先别撤回", "我不想撤回", "不用撤回，灯还没修好"])
async def test_not_withdrawing_is_acknowledged(said: str):
    chat = Chat()
    first, second = await _two_registered(chat)
    reply = await chat.say(said)
    assert reply.startswith(m.NOT_WITHDRAWING), reply
    assert chat.session.form is None and len(chat.ports.registered) == 2
    assert all(
        chat.ports.complaints[no].status is not ComplaintStatus.WITHDRAWN for no in (first, second)
    )


async def test_not_withdrawing_said_at_the_question_is_answered_once():
    chat = Chat()
    _, second = await _two_registered(chat)
    await chat.say("撤回")
    reply = await chat.say("不用撤回，灯还没修好")
    assert reply == m.WITHDRAW_KEPT.format(no=second), reply
    assert chat.ports.complaints[second].status is not ComplaintStatus.WITHDRAWN
