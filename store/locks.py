"""Leased locks in MongoDB: one citizen's messages are handled one at a time,
also when several `hotline serve` instances share the database."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError


class LockTimeout(Exception):
    """The lock stayed taken for longer than the caller could wait."""


class LockRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("until")

    async def try_acquire(self, name: str, owner: str, lease: timedelta) -> bool:
        now = datetime.now(UTC)
        try:
            result = await self._c.find_one_and_update(
                {"_id": name, "$or": [{"until": {"$lt": now}}, {"owner": owner}]},
                {"$set": {"owner": owner, "until": now + lease}},
                upsert=True,
            )
        except DuplicateKeyError:
            # The document exists and is held by someone else: the upsert collided.
            return False
        return result is not None or await self._owned(name, owner)

    async def _owned(self, name: str, owner: str) -> bool:
        doc = await self._c.find_one({"_id": name})
        return doc is not None and doc.get("owner") == owner

    async def release(self, name: str, owner: str) -> None:
        await self._c.delete_one({"_id": name, "owner": owner})

    @contextlib.asynccontextmanager
    async def hold(self, name: str, *, lease: timedelta, wait: float) -> AsyncIterator[None]:
        owner = uuid.uuid4().hex  # unique per hold, so two holders in one process exclude too
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        delay = 0.01
        while not await self.try_acquire(name, owner, lease):
            if loop.time() >= deadline:
                raise LockTimeout(name)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.2)
        try:
            yield
        finally:
            await self.release(name, owner)
