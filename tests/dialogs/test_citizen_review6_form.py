"""Regressions from the sixth citizen-role review of the complaint form, each as met."""

from __future__ import annotations

import pytest

from dialogs import messages as m
from models.sla import Urgency, detect_urgency
from tests.dialogs.chat import Chat


# -- A9: emergencies that got no safety advice
@pytest.mark.parametrize(
    ("said", "kind", "number"),
    [
        ("楼道里电动车在充电冒烟了", "fire", "119"),
        ("配电箱冒火花了，噼里啪啦的", "electric", "先断开电源"),
        ("家里有老人走丢了，有老年痴呆", "missing", "110"),
    ],
)
async def test_these_emergencies_get_safety_advice_and_the_two_hour_limit(
    said: str, kind: str, number: str
):
    chat = Chat()
    reply = await chat.say(said)
    assert reply.startswith(m.EMERGENCY[kind]) and number in reply
    assert chat.session.requested == "location"  # then on to registering it
    assert detect_urgency(said) is Urgency.DANGER
