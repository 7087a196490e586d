"""Long texts once, then one line: the citizen's phone screen is small.

The nine-line help after "没看明白" and the eight-line category list after every
interruption pushed the conversation off the screen.
"""

from __future__ import annotations

from dialogs import messages as m
from dialogs.session import Session
from tests.dialogs.chat import Chat


# -- 没看明白: the help in full once a visit, then a pointer to it --------------------
async def test_not_understood_shows_the_help_once_then_points_to_it():
    chat = Chat()
    first = await chat.say("asdfgh")
    assert m.NOT_UNDERSTOOD in first and m.HELP in first
    second = await chat.say("qwerty")
    assert second == f"{m.NOT_UNDERSTOOD}\n{m.HELP_POINTER}"


async def test_help_asked_for_is_always_in_full_and_counts_as_shown():
    chat = Chat()
    assert await chat.say("帮助") == m.HELP
    assert await chat.say("帮助") == m.HELP
    assert m.HELP not in await chat.say("asdfgh")


async def test_the_help_is_shown_in_full_again_on_a_later_visit():
    chat = Chat()
    await chat.say("asdfgh")
    chat.wait(60 * 24)
    assert m.HELP in await chat.say("asdfgh")


async def test_the_help_stays_shown_after_a_registration():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say("asdfgh")
    await chat.say("朝阳区望京西园三区12号楼门口的路灯坏了一个多星期")
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    assert chat.session.last_no
    assert m.HELP not in await chat.say("asdfgh")


async def test_an_old_stored_session_loads_and_gets_the_full_help():
    chat = Chat()
    stored = Session("o_test", last_no="20261128-0001").to_dict()
    stored.pop("help_shown", None)  # written before the field existed
    chat.session = Session.from_dict(stored, "o_test")
    assert m.HELP in await chat.say("asdfgh")
    assert Session.from_dict(chat.session.to_dict(), "o_test") == chat.session
