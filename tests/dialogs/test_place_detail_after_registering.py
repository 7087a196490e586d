"""Second review of review 9: a place detail sent minutes after registering ("1号楼",
"是20号院的1号楼门口") got 没看明白 or opened a new form. It is offered to the ticket
just registered, as a photo or a location pin is, and added on a yes."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了，电话13812345678"


async def _registered(chat: Chat) -> str:
    chat.suggest("城乡建设")
    await chat.say(LAMP)
    for answer in ("是", "没有"):
        await chat.say(answer)
    assert "已为您登记" in await chat.say("确认")
    return chat.session.last_no


def _supplements(chat: Chat, no: str) -> list[str]:
    return [e.reason for e in chat.ports.complaints[no].history if e.action == "supplement"]


@pytest.mark.parametrize("detail", ["1号楼", "3号楼的", "是20号院的1号楼门口", "在北门那边"])
async def test_a_place_detail_just_after_registering_goes_onto_the_ticket(detail: str):
    chat = Chat()
    no = await _registered(chat)
    reply = await chat.say(detail)
    assert no in reply and "地点吗" in reply, reply
    reply = await chat.say("是")
    assert m.DETAIL_ADDED_TO_TICKET.format(no=no) in reply
    assert _supplements(chat, no) == [m.DETAIL_SUPPLEMENT.format(detail=detail)]
    assert chat.session.form is None and len(chat.ports.registered) == 1


async def test_a_detail_declined_adds_nothing():
    chat = Chat()
    no = await _registered(chat)
    await chat.say("1号楼")
    assert m.DETAIL_DROPPED in await chat.say("不用")
    assert _supplements(chat, no) == []


async def test_a_detail_long_after_registering_is_not_offered():
    chat = Chat()
    no = await _registered(chat)
    chat.wait(60)
    reply = await chat.say("1号楼")
    assert no not in reply or "地点吗" not in reply
