"""Regressions from the fifth citizen-role review, each as met."""

from __future__ import annotations

import pytest

from tests.dialogs.chat import Chat


# -- 3: nowhere to get the rabies shot is a health-service complaint, not an injury
@pytest.mark.parametrize(
    "said", ["被狗咬了都没地方打", "狂犬疫苗没货，社区医院说等通知", "被狗咬伤了 打不上狂犬疫苗"]
)
async def test_no_rabies_shot_is_an_ordinary_health_complaint(said: str):
    chat = Chat()  # no model: the keyword fallback suggests the category
    reply = await chat.say(said)
    assert "【紧急】" not in reply and "120" not in reply
    assert chat.session.requested == "location"
    reply = await chat.say("朝阳区望京西园三区12号楼")
    assert "【卫生计生】" in reply
    for answer in ("是", "匿名", "没有"):
        await chat.say(answer)
    reply = await chat.say("确认")
    assert "7 天内" in reply and chat.draft.category == "卫生计生"


async def test_a_bite_that_bleeds_still_gets_first_aid_advice():
    chat = Chat()
    reply = await chat.say("孩子被狗咬了流了好多血")
    assert "【紧急】" in reply and "120" in reply
