"""Dialog sessions, one document per citizen, with optimistic versioning.

The per-citizen lock already serialises handling; the version check is the
second line of defence, so that a handler whose lease ran out can never
overwrite a newer session written by another instance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError


class StaleSession(Exception):
    """Someone else saved this session since we read it."""


class SessionRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("updated_at")

    async def load(self, openid: str) -> tuple[dict[str, Any] | None, int]:
        doc = await self._c.find_one({"_id": openid})
        if doc is None:
            return None, 0
        return doc.get("data"), doc.get("version", 0)

    async def save(self, openid: str, data: dict[str, Any], version: int, now: datetime) -> int:
        """Write `data` if the stored version is still `version`; returns the new version."""
        new_version = version + 1
        update = {"$set": {"data": data, "version": new_version, "updated_at": now}}
        if version == 0:
            try:
                await self._c.insert_one({"_id": openid, **update["$set"]})
            except DuplicateKeyError:
                raise StaleSession(openid) from None
            return new_version
        result = await self._c.update_one({"_id": openid, "version": version}, update)
        if result.matched_count != 1:
            raise StaleSession(openid)
        return new_version
