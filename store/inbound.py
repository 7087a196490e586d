"""The record of processed WeChat messages: what makes the callback idempotent.

WeChat retries a message up to three times when it has no answer within five
seconds. The first delivery claims the message id; its reply is stored with
it, and every retry gets that stored reply instead of a second effect.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

PROCESSING = "processing"
DONE = "done"
KEEP_FOR = timedelta(days=3)  # WeChat retries within seconds; three days is plenty


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome of claiming a message id."""

    owned: bool  # we are the first: handle it
    reply: str | None = None  # a finished earlier delivery's reply
    late: bool = False  # the reply goes out as a customer-service message


class InboundLog:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("expires_at", expireAfterSeconds=0)

    async def claim(self, key: str, openid: str, now: datetime, lease: timedelta) -> Claim:
        doc = {
            "_id": key,
            "openid": openid,
            "state": PROCESSING,
            "lease_until": now + lease,
            "created_at": now,
            "expires_at": now + KEEP_FOR,
        }
        try:
            await self._c.insert_one(doc)
            return Claim(owned=True)
        except DuplicateKeyError:
            pass
        # A handler that died mid-way leaves an expired lease: take it over.
        taken = await self._c.find_one_and_update(
            {"_id": key, "state": PROCESSING, "lease_until": {"$lt": now}},
            {"$set": {"lease_until": now + lease}},
        )
        if taken is not None:
            return Claim(owned=True)
        existing = await self._c.find_one({"_id": key})
        if existing and existing["state"] == DONE:
            return Claim(owned=False, reply=existing.get("reply"), late=existing.get("late", False))
        return Claim(owned=False)

    async def wait_for_reply(self, key: str, within: float) -> Claim:
        """Poll for a concurrent delivery's reply (the same message, in flight)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        delay = 0.02
        while True:
            existing = await self._c.find_one({"_id": key})
            if existing is None or existing["state"] == DONE:
                reply = existing.get("reply") if existing else None
                late = existing.get("late", False) if existing else False
                return Claim(owned=False, reply=reply, late=late)
            if loop.time() + delay > deadline:
                return Claim(owned=False)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.25)

    async def finish(self, key: str, reply: str, *, late: bool = False) -> None:
        await self._c.update_one(
            {"_id": key}, {"$set": {"state": DONE, "reply": reply, "late": late}}
        )

    async def mark_late(self, key: str) -> None:
        """The reply will be pushed: retries must answer `success`, not wait."""
        await self._c.update_one({"_id": key}, {"$set": {"late": True}})

    async def get(self, key: str) -> dict[str, Any] | None:
        return await self._c.find_one({"_id": key})
