"""Repositories against the real embedded server: locks, sessions, outbox, inbound log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from store.database import Database
from store.locks import LockTimeout
from store.outbox import PENDING, SENDING, SENT, Blocked
from store.sessions import StaleSession


def now() -> datetime:
    return datetime.now(UTC)


async def test_lock_excludes_other_holders(db: Database):
    order: list[str] = []

    async def worker(name: str) -> None:
        async with db.locks.hold("user:o1", lease=timedelta(seconds=10), wait=5):
            order.append(f"{name}-in")
            await asyncio.sleep(0.05)
            order.append(f"{name}-out")

    await asyncio.gather(worker("a"), worker("b"), worker("c"))
    # never two "in" in a row: each holder left before the next entered
    for first, second in zip(order[::2], order[1::2], strict=True):
        assert first.endswith("-in") and second == first.replace("-in", "-out")


async def test_lock_times_out_and_expired_lease_is_taken_over(db: Database):
    assert await db.locks.try_acquire("job", "owner-1", timedelta(seconds=30))
    with pytest.raises(LockTimeout):
        async with db.locks.hold("job", lease=timedelta(seconds=1), wait=0.2):
            pass
    assert await db.locks.try_acquire("short", "owner-1", timedelta(milliseconds=50))
    await asyncio.sleep(0.1)
    assert await db.locks.try_acquire("short", "owner-2", timedelta(seconds=5))


async def test_session_versions(db: Database):
    assert await db.sessions.load("o") == (None, 0)
    version = await db.sessions.save("o", {"a": 1}, 0, now())
    assert version == 1
    with pytest.raises(StaleSession):
        await db.sessions.save("o", {"a": 2}, 0, now())
    assert await db.sessions.save("o", {"a": 3}, 1, now()) == 2
    with pytest.raises(StaleSession):
        await db.sessions.save("o", {"a": 4}, 1, now())
    assert await db.sessions.load("o") == ({"a": 3}, 2)


async def test_outbox_enqueue_is_idempotent_and_claims_are_exclusive(db: Database):
    t = now()
    created = [
        await db.outbox.enqueue(
            dedupe_key="reply:1", kind="text", openid="o", payload={"text": "x"}, run_at=t, now=t
        )
        for _ in range(3)
    ]
    assert created == [True, False, False]
    claims = await asyncio.gather(
        *(db.outbox.claim(now(), timedelta(seconds=30), f"w{i}") for i in range(4))
    )
    claimed = [c for c in claims if c is not None]
    assert len(claimed) == 1
    item = claimed[0]
    assert item.attempts == 1
    # someone else cannot finish it
    assert not await db.outbox.mark_sent(item, "intruder", now())
    winner = next(f"w{i}" for i, c in enumerate(claims) if c is not None)
    assert await db.outbox.mark_sent(item, winner, now())
    assert (await db.outbox.find(dedupe_key="reply:1"))[0]["state"] == SENT


async def test_outbox_expired_lease_is_reclaimed(db: Database):
    t = now()
    await db.outbox.enqueue(
        dedupe_key="k", kind="text", openid="o", payload={"text": "x"}, run_at=t, now=t
    )
    item = await db.outbox.claim(now(), timedelta(milliseconds=50), "dead-worker")
    assert item is not None
    assert await db.outbox.claim(now(), timedelta(seconds=30), "w2") is None
    await asyncio.sleep(0.1)
    again = await db.outbox.claim(now(), timedelta(seconds=30), "w2")
    assert again is not None and again.attempts == 2
    # the dead worker's late answer is ignored
    assert not await db.outbox.mark_sent(item, "dead-worker", now())
    doc = (await db.outbox.find(dedupe_key="k"))[0]
    assert doc["state"] == SENDING and doc["owner"] == "w2"


async def test_outbox_retry_later_waits_for_run_at(db: Database):
    t = now()
    await db.outbox.enqueue(
        dedupe_key="r", kind="text", openid="o", payload={"text": "x"}, run_at=t, now=t
    )
    item = await db.outbox.claim(now(), timedelta(seconds=30), "w")
    assert item is not None
    assert await db.outbox.retry_later(item, "w", now() + timedelta(hours=1), "busy")
    assert await db.outbox.claim(now(), timedelta(seconds=30), "w") is None
    doc = (await db.outbox.find(dedupe_key="r"))[0]
    assert doc["state"] == PENDING and doc["last_error"] == "busy"


async def _push(db: Database, key: str, openid: str, run_at: datetime, created: datetime) -> None:
    await db.outbox.enqueue(
        dedupe_key=key,
        kind="text",
        openid=openid,
        payload={"text": key},
        run_at=run_at,
        now=created,
    )


async def test_outbox_sends_one_citizens_due_pushes_in_queue_order(db: Database):
    t = now() - timedelta(minutes=10)
    # "accepted" was queued first but failed once and is due again only now, after
    # "answered": the earliest due is "answered", yet "accepted" must go first
    await _push(db, "accepted", "o", run_at=t + timedelta(minutes=5), created=t)
    await _push(
        db, "answered", "o", run_at=t + timedelta(minutes=1), created=t + timedelta(seconds=1)
    )
    await _push(db, "other", "o2", run_at=t, created=t + timedelta(seconds=2))
    lease = timedelta(seconds=30)

    first = await db.outbox.claim(now(), lease, "w1")
    assert first is not None and first.dedupe_key == "other"  # another citizen: unaffected
    second = await db.outbox.claim(now(), lease, "w1")
    assert second is not None and second.dedupe_key == "accepted"
    [answered] = await db.outbox.find(dedupe_key="answered")
    assert answered["state"] == PENDING and answered["attempts"] == 0  # put back untouched

    # while "accepted" is being sent, the citizen's later push waits
    blocked = await db.outbox.claim(now(), lease, "w2")
    assert blocked == Blocked("o")
    assert await db.outbox.claim(now(), lease, "w2", skip={"o"}) is None
    assert await db.outbox.mark_sent(second, "w1", now())
    third = await db.outbox.claim(now(), lease, "w2")
    assert third is not None and third.dedupe_key == "answered" and third.attempts == 1


async def test_outbox_a_push_backing_off_does_not_hold_up_later_ones(db: Database):
    t = now()
    await _push(
        db, "retrying", "o", run_at=t + timedelta(hours=1), created=t - timedelta(minutes=1)
    )
    await _push(db, "later", "o", run_at=t, created=t)
    item = await db.outbox.claim(now(), timedelta(seconds=30), "w")
    assert item is not None and item.dedupe_key == "later"


async def test_inbound_claim_and_reply(db: Database):
    lease = timedelta(seconds=30)
    first = await db.inbound.claim("msg:1", "o", now(), lease)
    second = await db.inbound.claim("msg:1", "o", now(), lease)
    assert first.owned and not second.owned and second.reply is None
    await db.inbound.finish("msg:1", "您好")
    third = await db.inbound.claim("msg:1", "o", now(), lease)
    assert not third.owned and third.reply == "您好"


async def test_inbound_abandoned_claim_is_taken_over(db: Database):
    await db.inbound.claim("msg:2", "o", now(), timedelta(milliseconds=10))
    await asyncio.sleep(0.05)
    assert (await db.inbound.claim("msg:2", "o", now(), timedelta(seconds=30))).owned
