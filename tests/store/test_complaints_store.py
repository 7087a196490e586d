"""Complaint numbers, idempotent registration, photos and the knowledge base."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from models.complaint import Complaint, ComplaintStatus
from store.complaints import TIME_FILTERS, ComplaintConflict, ticket_day
from store.database import Database


def test_ticket_day_is_beijing_time():
    # 17:00 UTC is already the next day in Beijing
    assert ticket_day(datetime(2026, 11, 27, 17, 0, tzinfo=UTC)) == "20261128"
    assert ticket_day(datetime(2026, 11, 27, 15, 59, tzinfo=UTC)) == "20261127"


async def test_numbers_are_unique_under_concurrency(db: Database):
    moment = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    numbers = await asyncio.gather(*(db.complaints.next_number(moment) for _ in range(20)))
    assert len(set(numbers)) == 20
    assert sorted(numbers)[0] == "20261128-0001"
    assert sorted(numbers)[-1] == "20261128-0020"
    next_day = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert await db.complaints.next_number(next_day) == "20261129-0001"


async def test_same_source_registers_once(db: Database):
    doc = {"no": "20261128-0001", "source_key": "draft-1", "openid": "o", "status": "submitted"}
    stored, created = await db.complaints.insert(doc)
    again, created_again = await db.complaints.insert({**doc, "no": "20261128-0002"})
    assert created and not created_again
    assert again["no"] == "20261128-0001"
    assert await db.complaints.count({}) == 1
    assert stored["version"] == 1


async def test_replace_detects_concurrent_change(db: Database):
    stored, _ = await db.complaints.insert({"no": "n1", "source_key": "s1", "status": "a"})
    updated = await db.complaints.replace({**stored, "status": "b"})
    assert updated["version"] == 2
    with pytest.raises(ComplaintConflict):
        await db.complaints.replace({**stored, "status": "c"})
    assert (await db.complaints.get("n1"))["status"] == "b"


async def test_photos_round_trip_and_dedupe(db: Database):
    now = datetime.now(UTC)
    first = await db.photos.put(b"jpeg-bytes", "image/jpeg", openid="o", media_id="m1", now=now)
    second = await db.photos.put(b"jpeg-bytes", "image/jpeg", openid="o", media_id="m1", now=now)
    assert first == second
    photo = await db.photos.get(first)
    assert photo is not None and photo.content == b"jpeg-bytes"
    assert await db.photos.get("not-an-id") is None


async def test_knowledge_seed_keeps_admin_edits(db: Database):
    now = datetime.now(UTC)
    entries = [{"id": "k1", "question": "多久回复？", "answer": "一般7天", "keywords": ["多久"]}]
    assert await db.knowledge.seed(entries, now) == 1
    await db.knowledge.upsert({**entries[0], "answer": "管理员改过的答案"}, "admin", now)
    assert await db.knowledge.seed(entries, now) == 0
    assert (await db.knowledge.all())[0]["answer"] == "管理员改过的答案"


async def test_the_time_limit_filters_are_the_models_rule(db: Database):
    """overdue_filter and due_soon_filter select exactly the complaints whose
    Complaint.past_due / near_due say so: a list, a count and a row agree."""
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    complaints = []
    for status in ComplaintStatus:
        for due in (now - timedelta(hours=1), now + timedelta(hours=1)):
            for overdue, due_soon in ((False, False), (False, True), (True, False), (True, True)):
                n = len(complaints)
                complaints.append(Complaint(
                    no=f"20261128-{n:04d}", openid="o", description="路灯坏了",
                    created_at=now - timedelta(days=7), due_at=due, status=status,
                    overdue=overdue, due_soon=due_soon, source_key=f"s{n}",
                ))  # fmt: skip
    for complaint in complaints:
        await db.complaints.insert(complaint.to_dict())
    for name, rule in (("overdue", Complaint.past_due), ("due_soon", Complaint.near_due)):
        found = await db.complaints.numbers(TIME_FILTERS[name](now))
        assert sorted(found) == [c.no for c in complaints if rule(c, now)], name
    # nothing is both
    assert not any(c.past_due(now) and c.near_due(now) for c in complaints)
