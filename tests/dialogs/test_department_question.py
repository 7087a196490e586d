"""The department asked the citizen something (an `ask` event on the ticket, pushed by
the bot layer): the citizen's plain answer, and photos, go onto that ticket for a while;
commands, ratings and a message long after are handled as always."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from models.complaint import Action, Complaint, ComplaintStatus
from tests.dialogs.chat import Chat

LAMP = "朝阳区望京西园三区12号楼楼道灯坏了，晚上漆黑一片"
QUESTION = "请问是几单元？方便请拍一张照片。"


def _asked(chat: Chat, no: str = "20261128-0001") -> str:
    complaint = Complaint.submit(
        no=no, openid=chat.openid, description=LAMP, created_at=chat.ports.now,
        due_at=chat.ports.now + timedelta(days=7), category="城乡建设",
        department="zjw", department_name="市住房城乡建设委",
    )  # fmt: skip
    now = chat.ports.now
    complaint = complaint.apply(Action.DISPATCH, "dispatcher", now, "派单")
    complaint = complaint.apply(Action.ACCEPT, "zjw-1", now, "受理")
    chat.ports.complaints[no] = complaint.apply(Action.ASK, "zjw-1", now, QUESTION)
    return no


def _supplements(chat: Chat, no: str) -> list[str]:
    return [e.reason for e in chat.ports.complaints[no].history if e.action == "supplement"]


async def test_the_answer_and_its_photo_go_onto_the_ticket():
    chat = Chat()
    no = _asked(chat)
    chat.wait(60)
    reply = await chat.say("是3单元门口那一盏")
    assert f"补充到工单 {no}" in reply
    assert f"照片已补充到工单 {no}" in await chat.photo("m1")
    chat.wait(5)
    assert f"补充到工单 {no}" in await chat.say("晚上七点以后就不亮了")
    assert _supplements(chat, no) == ["是3单元门口那一盏", "补充照片", "晚上七点以后就不亮了"]
    assert chat.ports.complaints[no].status is ComplaintStatus.ACCEPTED
    assert chat.ports.registered == []


async def test_after_the_answer_a_later_message_is_a_new_matter():
    chat = Chat()
    no = _asked(chat)
    await chat.say("是3单元门口那一盏")
    chat.wait(30)
    chat.suggest("城乡建设")
    reply = await chat.say("海淀区学院路30号门口的井盖丢了，很危险")
    assert "补充到工单" not in reply
    assert _supplements(chat, no) == ["是3单元门口那一盏"]


async def test_commands_and_late_messages_are_not_answers():
    chat = Chat()
    no = _asked(chat)
    reply = await chat.say(f"查询 {no}")
    assert "补充到工单" not in reply
    assert "补充到工单" not in await chat.say("你好")
    chat.wait(4 * 24 * 60)  # the question was days ago
    assert "补充到工单" not in await chat.say("是3单元门口那一盏")
    assert _supplements(chat, no) == []


async def test_an_answered_ticket_asks_no_more():
    chat = Chat()
    no = _asked(chat)
    chat.ports.complaints[no] = replace(chat.ports.complaints[no], status=ComplaintStatus.REPLIED)
    assert "补充到工单" not in await chat.say("是3单元门口那一盏")
    assert _supplements(chat, no) == []
