"""Second review of review 9: an emergency typed after the 咨询 menu got its safety
advice ("需要登记的话请接着回答"), and the next "好" filed it as a consultation: no
place, no category, no department. It becomes a complaint, with the usual questions."""

from __future__ import annotations

import pytest

from models.complaint import ComplaintKind
from tests.dialogs.chat import Chat


@pytest.mark.parametrize(
    "said",
    ["家里煤气泄漏了怎么办", "楼道里着火了", "有人晕倒了，朝阳区安贞西里5号楼", "电梯里困了人"],
)
async def test_an_emergency_after_the_consult_menu_becomes_a_complaint(said: str):
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.click("CONSULT")
    reply = await chat.say(said)
    assert "【紧急】" in reply
    await chat.say("好")
    assert not chat.ports.registered or all(
        c.kind is not ComplaintKind.CONSULTATION for c in chat.ports.registered
    )
    assert chat.session.form is not None
    assert chat.session.slots["description"].startswith(said.split("，")[0])


async def test_a_plain_question_after_the_consult_menu_is_still_filed_as_one():
    chat = Chat()
    await chat.click("CONSULT")
    await chat.say("灵活就业人员的社保在哪里交")
    await chat.say("登记咨询")
    assert [c.kind for c in chat.ports.registered] == [ComplaintKind.CONSULTATION]
