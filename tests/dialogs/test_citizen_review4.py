"""Regressions from the fourth citizen-role review, each as met."""

from __future__ import annotations

import pytest

from tests.dialogs.chat import Chat


# -- 1: a worried hazard question is the report; after a miss, "派人来看看" registers it
@pytest.mark.parametrize(
    "worry",
    [
        "阳台上的空调外机架子锈了 掉下去怎么办",
        "路边的电线杆斜了怎么办",
        "万一井盖被偷了怎么办 我们这的井盖都没锁",
        "健身器材松动了万一砸到孩子怎么办",
    ],
)
async def test_a_hazard_asked_about_as_a_worry_starts_the_complaint(worry: str):
    chat = Chat()
    chat.suggest("城乡建设")
    reply = await chat.say(worry)
    assert "暂时没有找到相关答复" not in reply and "登记咨询" not in reply
    assert chat.session.form == "complaint" and chat.session.requested == "location"
    assert chat.session.slots["description"] == worry


@pytest.mark.parametrize("question", ["如果物业不开发票怎么办", "不锈钢栏杆怎么保养"])
async def test_a_what_if_without_a_hazard_is_still_a_question(question: str):
    chat = Chat()
    reply = await chat.say(question)
    assert "登记咨询" in reply and chat.session.form is None


MISSED = "电线杆上的广告牌晃得厉害 会不会出事？"


@pytest.mark.parametrize("follow_up", ["你们派人来看看啊", "我要投诉", "帮我登记", "管管吧"])
async def test_asking_for_action_after_a_miss_registers_the_question_asked(follow_up: str):
    chat = Chat()
    chat.suggest("城乡建设")
    assert "暂时没有找到相关答复" in await chat.say(MISSED)
    reply = await chat.say(follow_up)
    assert "请描述您遇到的问题" not in reply and "刚才说的" in reply
    assert chat.session.requested == "location"
    assert chat.session.slots["description"] == MISSED


async def test_what_the_follow_up_adds_is_kept_in_the_description():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(MISSED)
    await chat.say("你们派人来看看，风一吹就哐哐响")
    assert chat.session.slots["description"] == f"{MISSED}；风一吹就哐哐响"
    await chat.say("朝阳区望京西园三区12号楼")
    for answer in ("是", "匿名", "没有", "确认"):
        await chat.say(answer)
    assert chat.draft.description == f"{MISSED}；风一吹就哐哐响"


async def test_after_a_missed_how_to_question_register_files_the_consultation():
    chat = Chat()
    await chat.say("请问公积金贷款额度是多少？")
    assert "已登记为咨询" in await chat.say("帮我登记")
    assert chat.draft.kind.value == "consultation" and "公积金" in chat.draft.description


async def test_another_problem_told_after_a_miss_is_its_own_complaint():
    chat = Chat()
    chat.suggest("城乡建设")
    await chat.say(MISSED)
    await chat.say("我要投诉楼下饭馆油烟很大")
    assert "广告牌" not in chat.session.slots["description"]
    assert "油烟" in chat.session.slots["description"]
