"""The consultation knowledge base: question/answer entries admins can edit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection


class KnowledgeRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("updated_at")

    async def seed(self, entries: list[dict[str, Any]], now: datetime) -> int:
        """Insert shipped entries that are missing; never overwrite an admin's edit."""
        added = 0
        for entry in entries:
            result = await self._c.update_one(
                {"_id": entry["id"]},
                {"$setOnInsert": {**_fields(entry), "updated_at": now, "updated_by": "seed"}},
                upsert=True,
            )
            added += result.upserted_id is not None
        return added

    async def all(self) -> list[dict[str, Any]]:
        docs = await self._c.find({}).sort("_id", ASCENDING).to_list()
        return [{"id": doc.pop("_id"), **doc} for doc in docs]

    async def upsert(self, entry: dict[str, Any], by: str, now: datetime) -> None:
        await self._c.update_one(
            {"_id": entry["id"]},
            {"$set": {**_fields(entry), "updated_at": now, "updated_by": by}},
            upsert=True,
        )

    async def delete(self, entry_id: str) -> bool:
        return (await self._c.delete_one({"_id": entry_id})).deleted_count == 1

    async def version(self) -> tuple[int, datetime | None]:
        """Changes when any entry changes: cheap cache key for the retrieval index."""
        count = await self._c.count_documents({})
        latest = await self._c.find_one({}, sort=[("updated_at", -1)])
        return count, latest["updated_at"] if latest else None


def _fields(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "question": entry["question"],
        "answer": entry["answer"],
        "keywords": list(entry.get("keywords", [])),
    }
