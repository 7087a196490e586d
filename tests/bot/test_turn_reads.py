"""One chat turn reads the citizen's complaints from the database once, and still
sees what the turn itself changed; the next turn reads again."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.app import hotline_key
from bot.ports import KnowledgeCache, StorePorts
from dialogs.ports import ComplaintDraft
from models.complaint import ComplaintStatus, Rating, Satisfaction
from store.complaints import ComplaintRepository
from tests.bot.staff import register
from tests.bot.wechat import WeChatDriver


class CountingComplaints(ComplaintRepository):
    """The real repository, counting the reads of a citizen's complaint list."""

    def __init__(self, db: Any) -> None:
        super().__init__(db)
        self.reads: Counter[str] = Counter()

    async def list_for(self, openid: str, limit: int) -> list[dict[str, Any]]:
        self.reads[openid] += 1
        return await super().list_for(openid, limit)


@pytest.fixture
def counted(server) -> CountingComplaints:
    db = server.app[hotline_key].db
    db.complaints = CountingComplaints(db.db)  # the app's service and ports read through it
    return db.complaints


async def replied(server, openid: str, text: str) -> str:
    """A complaint of `openid` a department has answered: its survey waits."""
    service = server.app[hotline_key].complaints
    no = await register(server, text, openid=openid)
    await service.dispatch(no, "zjw", "dispatcher")
    await service.reply(no, "已安排维修，三日内修复。", "zjw-1")
    return no


async def test_a_survey_answer_reads_the_complaints_once(server, settings, counted):
    openid = "o_reads_survey"
    no = await replied(server, openid, "望京西园三区12号楼门口的路灯坏了一个多星期")
    reply = await WeChatDriver(server, settings).say(openid, "解决了，谢谢")
    assert f"工单 {no} 已办结" in reply.text
    assert counted.reads[openid] == 1  # several steps ask; one read serves them


async def test_each_turn_reads_afresh(server, settings, counted):
    driver = WeChatDriver(server, settings)
    openid = "o_reads_turns"
    no = await register(server, "望京西园三区12号楼门口的路灯坏了一个多星期", openid=openid)
    assert "已登记，等待派单" in (await driver.say(openid, "我的投诉")).text
    await server.app[hotline_key].complaints.dispatch(no, "zjw", "dispatcher")
    assert "已派发承办部门" in (await driver.say(openid, "我的投诉")).text
    assert counted.reads[openid] == 2


def turn_ports(server) -> StorePorts:
    """The ports as a chat turn gets them."""
    hotline = server.app[hotline_key]
    shared = StorePorts(hotline.api, KnowledgeCache(hotline.db), hotline.models, hotline.complaints)
    return shared.for_turn()


async def test_a_write_in_the_turn_is_seen_by_the_next_read(server, counted):
    openid = "o_reads_writes"
    ports = turn_ports(server)

    async def latest():
        return (await ports.list_complaints(openid, 5))[0]

    assert await ports.list_complaints(openid, 5) == []
    new = await ports.register_complaint(ComplaintDraft("d1", openid, "小区门口的路灯坏了"))
    assert (await latest()).no == new.no
    await ports.supplement_complaint(new.no, openid, "晚上特别黑")
    assert (await latest()).history[-1].reason == "晚上特别黑"
    await ports.add_photo(new.no, openid, "photo-1")
    assert (await latest()).photos == ("photo-1",)
    await ports.withdraw_complaint(new.no, openid)
    assert (await latest()).status is ComplaintStatus.WITHDRAWN

    no = await replied(server, openid, "楼下的下水道堵了好几天")
    ports = turn_ports(server)  # the next turn: the department's reply is seen
    reads = counted.reads[openid]
    assert (await ports.pending_survey(openid)).no == no
    assert (await latest()).status is ComplaintStatus.REPLIED
    assert counted.reads[openid] == reads + 1
    await ports.rate_complaint(no, openid, Rating(Satisfaction.SATISFIED, None, "", 1))
    assert (await latest()).status is ComplaintStatus.CLOSED
    await ports.record_solved(no, openid, 1, True)
    assert (await latest()).rating.solved is True
    assert counted.reads[openid] == reads + 3  # once after each write, not once per call


async def test_a_larger_limit_reads_again_only_when_there_may_be_more(server, counted):
    ports = turn_ports(server)
    openid = "o_reads_limits"
    for text in ("小区门口的路灯坏了", "楼下的下水道堵了", "楼道里堆满了杂物"):
        await register(server, text, openid=openid)
    assert len(await ports.list_complaints(openid, 2)) == 2
    assert len(await ports.list_complaints(openid, 1)) == 1
    assert counted.reads[openid] == 1
    assert len(await ports.list_complaints(openid, 10)) == 3  # 2 read: there may be more
    assert len(await ports.list_complaints(openid, 20)) == 3  # 3 of 10: that is all
    assert counted.reads[openid] == 2
