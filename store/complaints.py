"""Complaints: one document per ticket, keyed by its readable number.

Numbers are `YYYYMMDD-NNNN` in Beijing time, allocated atomically per day from
a counter document, so two instances never hand out the same number. Every
complaint also carries a unique `source_key` (the dialog's draft id, an
Open311 request's key, ...): registering the same draft twice returns the
first complaint instead of creating a second.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from models.complaint import IN_WORK

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


_PAST_DUE_IN_WORK = {"status": {"$in": [s.value for s in IN_WORK]}}


def overdue_filter(now: datetime) -> dict[str, Any]:
    """Complaint.past_due as a query: flagged 超期, or in work with its limit passed."""
    return {"$or": [{"overdue": True}, {**_PAST_DUE_IN_WORK, "due_at": {"$lt": now}}]}


def due_soon_filter(now: datetime) -> dict[str, Any]:
    """Complaint.near_due as a query: warned, and not 超期 by overdue_filter."""
    return {
        "due_soon": True,
        "overdue": {"$ne": True},
        "$nor": [{**_PAST_DUE_IN_WORK, "due_at": {"$lt": now}}],
    }


# the list filters by time limit, by their query parameter's name
TIME_FILTERS = {"overdue": overdue_filter, "due_soon": due_soon_filter}


class ComplaintConflict(Exception):
    """The complaint changed since it was read (optimistic concurrency)."""


def ticket_day(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y%m%d")


class ComplaintRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self._c: AsyncCollection = db.complaints
        self._counters: AsyncCollection = db.counters
        self._notifications: AsyncCollection = db.notifications

    async def ensure_indexes(self) -> None:
        await self._c.create_index("no", unique=True)
        await self._c.create_index("source_key", unique=True)
        await self._c.create_index([("openid", ASCENDING), ("created_at", DESCENDING)])
        await self._c.create_index([("status", ASCENDING), ("due_at", ASCENDING)])
        await self._c.create_index([("department", ASCENDING), ("status", ASCENDING)])
        await self._c.create_index("category")
        # time-limit warnings: read newest first, a department's by complaint number
        await self._notifications.create_index([("at", DESCENDING)])
        await self._notifications.create_index("no")

    async def next_number(self, moment: datetime) -> str:
        day = ticket_day(moment)
        doc = await self._counters.find_one_and_update(
            {"_id": f"complaint-no:{day}"},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return f"{day}-{int(doc['value']):04d}"

    async def insert(self, doc: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Store a new complaint; returns (the stored complaint, created?)."""
        try:
            await self._c.insert_one({**doc, "version": 1})
        except DuplicateKeyError:
            existing = await self._c.find_one({"source_key": doc["source_key"]})
            if existing is None:
                raise
            return _clean(existing), False
        return {**doc, "version": 1}, True

    async def find_by_source(self, source_key: str) -> dict[str, Any] | None:
        return _clean(await self._c.find_one({"source_key": source_key}))

    async def get(self, no: str) -> dict[str, Any] | None:
        return _clean(await self._c.find_one({"no": no}))

    async def list_for(self, openid: str, limit: int) -> list[dict[str, Any]]:
        cursor = self._c.find({"openid": openid}).sort("created_at", DESCENDING).limit(limit)
        return [_clean(doc) for doc in await cursor.to_list()]

    async def find(
        self,
        query: dict[str, Any],
        *,
        limit: int = 50,
        skip: int = 0,
        sort: str = "created_at",
        oldest_first: bool = False,
    ) -> list[dict[str, Any]]:
        direction = ASCENDING if oldest_first else DESCENDING
        cursor = self._c.find(query).sort(sort, direction).skip(skip).limit(limit)
        return [_clean(doc) for doc in await cursor.to_list()]

    async def numbers(self, query: dict[str, Any]) -> list[str]:
        """The numbers of the complaints matching `query` (nothing else is read)."""
        cursor = self._c.find(query, projection={"no": True, "_id": False})
        return [doc["no"] for doc in await cursor.to_list()]

    async def count(self, query: dict[str, Any]) -> int:
        return await self._c.count_documents(query)

    async def set_fields(self, no: str, fields: dict[str, Any]) -> bool:
        """A small update that still bumps the version, so no concurrent replace loses it."""
        result = await self._c.update_one({"no": no}, {"$set": fields, "$inc": {"version": 1}})
        return result.matched_count == 1

    async def replace(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Write a changed complaint if nobody else changed it since `doc['version']`."""
        version = doc["version"]
        new = {**doc, "version": version + 1}
        result = await self._c.replace_one({"no": doc["no"], "version": version}, new)
        if result.matched_count != 1:
            raise ComplaintConflict(doc["no"])
        return new


def _clean(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is not None:
        doc.pop("_id", None)
    return doc
