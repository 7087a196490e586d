"""The model registry: every trained model is a version in GridFS with its metrics.

Which version is active is one document (`model_state`), so activation is a
single write that every instance sees on its next check. Rollback re-activates
the version that was active before the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bson import ObjectId
from gridfs import AsyncGridFSBucket
from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase


class RegistryError(LookupError):
    """No such version, or nothing to roll back to."""


@dataclass(frozen=True, slots=True)
class ModelVersion:
    version: str
    created_at: datetime
    created_by: str
    metrics: dict[str, Any]
    data: dict[str, Any]
    size: int
    file_id: ObjectId

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ModelVersion:
        return cls(
            doc["_id"],
            doc["created_at"],
            doc.get("created_by", ""),
            doc.get("metrics", {}),
            doc.get("data", {}),
            doc.get("size", 0),
            doc["file_id"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "metrics": self.metrics,
            "data": self.data,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class ActiveModel:
    version: str
    activated_at: datetime
    activated_by: str


class ModelRegistry:
    def __init__(self, db: AsyncDatabase) -> None:
        self._versions = db.model_versions
        self._state = db.model_state
        self._counters = db.counters
        self._bucket = AsyncGridFSBucket(db, bucket_name="models")

    async def ensure_indexes(self) -> None:
        await self._versions.create_index([("created_at", DESCENDING)])

    async def register(
        self,
        artifact: bytes,
        *,
        metrics: dict[str, Any],
        data: dict[str, Any],
        created_by: str,
        now: datetime,
    ) -> ModelVersion:
        counter = await self._counters.find_one_and_update(
            {"_id": "model-version"},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        version = f"v{int(counter['value']):04d}"
        file_id = await self._bucket.upload_from_stream(
            f"{version}.skops", artifact, metadata={"version": version}
        )
        doc = {
            "_id": version,
            "created_at": now,
            "created_by": created_by,
            "metrics": metrics,
            "data": data,
            "size": len(artifact),
            "file_id": file_id,
        }
        await self._versions.insert_one(doc)
        return ModelVersion.from_doc(doc)

    async def list(self) -> list[ModelVersion]:
        docs = await self._versions.find({}).sort("_id", DESCENDING).to_list()
        return [ModelVersion.from_doc(doc) for doc in docs]

    async def get(self, version: str) -> ModelVersion:
        doc = await self._versions.find_one({"_id": version})
        if doc is None:
            raise RegistryError(f"no model version {version}")
        return ModelVersion.from_doc(doc)

    async def artifact(self, version: str) -> bytes:
        entry = await self.get(version)
        stream = await self._bucket.open_download_stream(entry.file_id)
        return await stream.read()

    async def active(self) -> ActiveModel | None:
        doc = await self._state.find_one({"_id": "active"})
        if doc is None:
            return None
        return ActiveModel(doc["version"], doc["activated_at"], doc.get("activated_by", ""))

    async def activate(self, version: str, *, by: str, now: datetime) -> ActiveModel:
        await self.get(version)
        current = await self.active()
        history = [] if current is None else [current.version]
        await self._state.update_one(
            {"_id": "active"},
            {
                "$set": {"version": version, "activated_at": now, "activated_by": by},
                "$push": {"history": {"$each": history}},
            },
            upsert=True,
        )
        return ActiveModel(version, now, by)

    async def rollback(self, *, by: str, now: datetime) -> ActiveModel:
        doc = await self._state.find_one({"_id": "active"})
        history = list((doc or {}).get("history", []))
        if not history:
            raise RegistryError("no earlier active version to roll back to")
        previous = history.pop()
        await self._state.update_one(
            {"_id": "active"},
            {"$set": {"version": previous, "activated_at": now, "activated_by": by,
                      "history": history}},
        )  # fmt: skip
        return ActiveModel(previous, now, by)

    async def is_empty(self) -> bool:
        return await self._versions.count_documents({}, limit=1) == 0
