"""Review 9 (#20): at "有照片吗？", "刚才发了" / "就刚才那两张" mean the photos already sent
are all; when none arrived the citizen is told so, not asked again as if unheard."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat


async def _at_photo_question(chat: Chat) -> None:
    chat.suggest("城乡建设")
    await chat.say("海淀区学院路20号院门口的路灯坏了，电话13812345678")
    reply = await chat.say("是")
    assert chat.session.requested == "photos", reply


@pytest.mark.parametrize(
    "said", ["刚才发了", "就刚才那两张", "我刚刚已经发过了", "上面那张照片就行"]
)
async def test_photos_already_sent_are_all_there_is(said: str):
    chat = Chat()
    await _at_photo_question(chat)
    await chat.photo("media-1")
    reply = await chat.say(said)
    assert reply.startswith("请核对您的诉求"), reply
    assert len(chat.session.slots["photos"]) == 1


async def test_photos_said_sent_that_never_arrived_are_asked_for_again():
    chat = Chat()
    await _at_photo_question(chat)
    reply = await chat.say("刚才发了")
    assert m.PHOTOS_NOT_ARRIVED in reply
    assert chat.session.requested == "photos"
    assert (await chat.say("没有")).startswith("请核对您的诉求")
