"""The model's confidence travels with the complaint only for the model's own category:
it decides whether a complaint is dispatched without a dispatcher (a staff review found
a citizen's other choice auto-dispatched "with 98 % confidence" to the wrong bureau)."""

from __future__ import annotations

from tests.dialogs.chat import Chat

SMOKE = "饭店油烟直排，整栋楼都是油烟味，窗户都不敢开，西城区西直门内大街100号"


async def _file(chat: Chat, category_answer: str) -> None:
    chat.suggest("环境保护", 0.98)
    assert "环境保护" in await chat.say(SMOKE)
    await chat.say(category_answer)
    await chat.say("匿名")
    await chat.say("好了")
    assert "已为您登记" in await chat.say("确认")


async def test_a_category_the_citizen_picked_over_the_suggestion_has_no_confidence():
    chat = Chat()
    await _file(chat, "3")  # 交通运输, not the suggested 环境保护
    assert chat.draft.category == "交通运输"
    assert chat.draft.category_confidence is None


async def test_the_confirmed_suggestion_keeps_its_confidence():
    chat = Chat()
    await _file(chat, "是")
    assert chat.draft.category == "环境保护"
    assert chat.draft.category_confidence == 0.98
