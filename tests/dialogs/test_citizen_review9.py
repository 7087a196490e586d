"""Regressions from the ninth citizen-role review of the complaint dialog: agreement at
the summary said of one item or with "就这样" ("地址没问题", "就这样吧"), a place narrowed
by a landmark ("在超市那边"), a withdrawal's reason kept for staff ("撤回吧，灯已经修好
了", "不用处理了，已经好了"), a place outside Beijing named at the place or district
question ("郑州金水区"), and the district question answered with a hedge, two districts
or "不太清楚"."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from tests.dialogs.chat import Chat

LAMP = "海淀区学院路20号院门口的路灯坏了"
PLACE = "海淀区学院路20号院门口"
NO_DISTRICT = "幸福花园小区门口的路灯坏了"


async def _at_summary(chat: Chat) -> None:
    chat.suggest("城乡建设")
    for said in (LAMP, "是", "13900001111"):
        await chat.say(said)
    assert (await chat.say("没有")).startswith("请核对您的诉求")


# -- 1. the summary: an item said to be right, "就这样" -----------------------------------
@pytest.mark.parametrize(
    "said",
    ["地址没问题", "就这样吧", "就这样", "就这样提交", "电话没错", "地址对的", "电话是对的",
     "地址和电话都没问题", "那就这样吧"],
)  # fmt: skip
async def test_an_item_said_right_or_就这样_registers(said: str):
    chat = Chat()
    await _at_summary(chat)
    assert "已为您登记" in await chat.say(said)
    assert chat.draft.contact_phone == "13900001111" and chat.draft.location.text == PLACE


@pytest.mark.parametrize(
    ("said", "asked"),
    [("地址不对", m.ASK_LOCATION), ("电话没写对", m.ASK_PHONE), ("电话不正确", m.ASK_PHONE),
     ("地址没问题，电话不对", m.ASK_PHONE)],
)  # fmt: skip
async def test_an_item_said_wrong_asks_for_it_again(said: str, asked: str):
    chat = Chat()
    await _at_summary(chat)
    assert await chat.say(said) == asked
    assert not chat.ports.registered
