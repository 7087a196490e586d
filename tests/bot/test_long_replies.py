"""A turn whose replies pass WeChat's 2,048-byte limit for one text message reaches the
citizen whole: the passive reply is the first part, the rest follows through the
outbox in order, and a retry of the message sends no part twice."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import hotline_key
from bot.conversation import split_reply
from bot.wechat_api import TEXT_LIMIT_BYTES
from tests.bot.staff import pushes, wait_for_push
from tests.bot.wechat import WeChatDriver
from tests.conftest import start_server

QUESTION = "居住证怎么办理？"
NEXT_QUESTION = "这个问题属于【城乡建设】吗"  # the form's next question after the problem
LINE = "第{}条：办理居住证需要携带身份证、租房合同和近期照片，到社区服务站提交材料。"


def fits(text: str) -> bool:
    return len(text.encode()) <= TEXT_LIMIT_BYTES


def answer_of(lines: int) -> str:
    return "\n".join(LINE.format(i) for i in range(1, lines + 1))


async def knows(server, settings, answer: str) -> None:
    """A knowledge entry written straight to the store (one from before the console
    limited answers to one message, when longer than that). The question is asked
    once, so that the search index is built before the test's own turn, which
    must stay within the reply budget on a busy test machine."""
    entry = {"id": "juzhuzheng", "question": QUESTION, "answer": answer, "keywords": ["居住证"]}
    await server.app[hotline_key].db.knowledge.upsert(entry, "test", datetime.now(UTC))
    await WeChatDriver(server, settings).say("o_warm_up", QUESTION)


async def settled(server, openid: str, count: int) -> list[str]:
    """The pushes once `count` have arrived and a moment has passed without more."""
    await wait_for_push(server, openid, "", count=count)
    await asyncio.sleep(0.6)  # several outbox sweeps (0.2 s apart in tests)
    return await pushes(server, openid)


# -- cutting ------------------------------------------------------------------------------


def test_whole_replies_stay_together_while_they_fit():
    assert split_reply(["一", " ", "二"]) == ["一\n\n二"]
    assert split_reply(["", "  "]) == []
    big = "长" * 600  # 1,800 bytes
    assert split_reply([big, "下一个问题？"]) == [big + "\n\n下一个问题？"]
    assert split_reply([big, big, "问"]) == [big, big + "\n\n问"]


def test_a_long_reply_is_cut_at_line_breaks_then_sentences_then_bytes():
    lines = [f"第{i}行。" + "字" * 300 for i in range(5)]  # about 920 bytes each
    parts = split_reply(["\n".join(lines)])
    assert parts == ["\n".join(lines[:2]), "\n".join(lines[2:4]), lines[4]]
    sentences = ["这是很长的一句话，" * 20 + "。", "真的？", "是的！"] * 8
    parts = split_reply(["".join(sentences)])
    assert all(fits(p) for p in parts) and "".join(parts) == "".join(sentences)
    assert all(p.endswith(("。", "？", "！")) for p in parts)
    # one sentence alone over the limit: a hard cut, never inside a character
    parts = split_reply(["长" * 1000 + "。"], limit=TEXT_LIMIT_BYTES)
    assert [len(p.encode()) for p in parts] == [2046, 957]
    assert "".join(parts) == "长" * 1000 + "。"
    # closing quotes stay with the sentence they close
    assert split_reply(["他说：“好。”然后走了。"], limit=24) == ["他说：“好。”", "然后走了。"]


# -- end to end ---------------------------------------------------------------------------


async def test_a_turn_over_the_limit_arrives_whole_and_in_order(server, settings):
    answer = answer_of(40)  # about 4,600 bytes: three messages with the next question
    assert len(answer.encode()) > 2 * TEXT_LIMIT_BYTES
    await knows(server, settings, answer)
    driver = WeChatDriver(server, settings)
    openid = "o_long_turn"
    await driver.say(openid, "朝阳区望京西园三区门口的路灯坏了好几天了")
    msg_id = driver.sim.next_msg_id()
    reply = await driver.say(openid, "对了，" + QUESTION, msg_id=msg_id)
    assert reply.status == 200 and fits(reply.text)
    assert reply.text.startswith(LINE.format(1)) and reply.text.endswith("。")
    rest = await settled(server, openid, 2)
    assert len(rest) == 2 and all(fits(text) for text in rest)
    assert NEXT_QUESTION in rest[-1]
    # in order: the parts read as the whole turn, cut only at line breaks
    whole = "\n".join([reply.text, *rest])
    assert whole.startswith(answer + "\n\n") and NEXT_QUESTION in whole.removeprefix(answer)
    # WeChat's retry of the same message: the same first part, nothing pushed again
    retry = await driver.say(openid, "对了，" + QUESTION, msg_id=msg_id)
    assert retry.text == reply.text
    await asyncio.sleep(0.6)
    assert await pushes(server, openid) == rest
    outbox = server.app[hotline_key].db.outbox
    keys = [item["dedupe_key"] for item in await outbox.find(openid=openid)]
    assert keys == [f"reply-part:msg:{openid}:{msg_id}:{i}" for i in (1, 2)]


async def test_an_answer_that_fits_alone_is_the_reply_and_the_question_follows(server, settings):
    answer = answer_of(17)  # about 1,950 bytes: fits alone, not with the next question
    assert fits(answer) and not fits(answer + "\n\n" + NEXT_QUESTION + "？" + "字" * 40)
    await knows(server, settings, answer)
    driver = WeChatDriver(server, settings)
    openid = "o_fits_alone"
    await driver.say(openid, "朝阳区望京西园三区门口的路灯坏了好几天了")
    reply = await driver.say(openid, "对了，" + QUESTION)
    assert reply.text == answer
    [rest] = await settled(server, openid, 1)
    assert NEXT_QUESTION in rest and fits(rest)


@pytest.fixture
async def hurried(settings, mongo_uri):
    """A server that answers by push when the dialog takes more than 0.3 s."""
    server = await start_server(replace(settings, reply_budget=0.3), mongo_uri)
    yield server
    await server.app[hotline_key].db.client.drop_database(settings.db_name)
    await server.close()


async def test_a_late_reply_over_the_limit_is_pushed_whole_in_order(hurried, settings):
    server = hurried
    answer = answer_of(40)
    await knows(server, settings, answer)
    driver = WeChatDriver(server, settings)
    openid = "o_late_long"
    await driver.say(openid, "朝阳区望京西园三区门口的路灯坏了好几天了")
    db = server.app[hotline_key].db
    msg_id = driver.sim.next_msg_id()
    # another instance still handles this citizen's previous message: ours waits past
    # the reply budget, and its reply goes out as pushes
    async with db.locks.hold(f"user:{openid}", lease=timedelta(seconds=30), wait=5):
        first = await driver.say(openid, "对了，" + QUESTION, msg_id=msg_id)
        assert first.body == "success"
        await asyncio.sleep(0.5)
    texts = await settled(server, openid, 3)
    assert len(texts) == 3 and all(fits(text) for text in texts)
    whole = "\n".join(texts)
    assert whole.startswith(answer + "\n\n") and NEXT_QUESTION in whole.removeprefix(answer)
    retry = await driver.say(openid, "对了，" + QUESTION, msg_id=msg_id)
    assert retry.body == "success"
    await asyncio.sleep(0.6)
    assert await pushes(server, openid) == texts
    keys = [item["dedupe_key"] for item in await db.outbox.find(openid=openid)]
    key = f"msg:{openid}:{msg_id}"
    assert keys == [f"late-reply:{key}", f"reply-part:{key}:1", f"reply-part:{key}:2"]
    assert {item["state"] for item in await db.outbox.find(openid=openid)} == {"sent"}
    # a retry gets the first part recorded, as the passive path records it
    assert (await db.inbound.get(key))["reply"] == texts[0]
