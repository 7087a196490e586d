"""The model registry: every trained model is a version in GridFS with its metrics.

Which version is active is one document (`model_state`), so activation is a
single write that every instance sees on its next check. Rollback re-activates
the version that was active before the current one. Both are compare-and-set on
that document, so concurrent calls from several instances or admins cannot undo
one step twice or lose a step of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bson import ObjectId
from gridfs import AsyncGridFSBucket
from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


class RegistryError(LookupError):
    """No such version, or nothing to roll back to."""


class RegistryConflict(RegistryError):
    """The active version changed while this activation or rollback was deciding."""


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
    changed: bool = True  # False: the version was already active, nothing was written


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
        """Make `version` the active one; the one it replaces goes on the rollback history.

        Activating the version that is already active changes nothing (no history
        entry, so a later rollback still goes back to a different model): the result
        then has `changed=False`. Concurrent activations do not lose history entries:
        the write is conditional on the state that was read, and retried.
        """
        await self.get(version)
        for _ in range(_ATTEMPTS):
            doc = await self._state.find_one({"_id": "active"})
            if doc is None:
                try:
                    await self._state.insert_one(
                        {"_id": "active", "version": version, "activated_at": now,
                         "activated_by": by, "history": []}
                    )  # fmt: skip
                except DuplicateKeyError:
                    continue  # another activation created it first: read it again
                return ActiveModel(version, now, by)
            if doc["version"] == version:
                return ActiveModel(
                    version, doc["activated_at"], doc.get("activated_by", ""), changed=False
                )
            result = await self._state.update_one(
                _unchanged(doc),
                {"$set": {"version": version, "activated_at": now, "activated_by": by},
                 "$push": {"history": doc["version"]}},
            )  # fmt: skip
            if result.modified_count == 1:
                return ActiveModel(version, now, by)
        raise RegistryConflict("the active model kept changing; try again")

    async def rollback(self, *, by: str, now: datetime, expect: str | None = None) -> ActiveModel:
        """Re-activate the version that was active before the current one.

        One step per call, atomically: two rollbacks at the same time do not both
        undo the same step (the second gets RegistryConflict). With `expect`, the
        rollback only happens while that version is still the active one, so a
        page that showed v0002 cannot roll back again after someone else did.
        """
        doc, previous, history = await self._previous(expect)
        result = await self._state.update_one(
            _unchanged(doc),
            {"$set": {"version": previous, "activated_at": now, "activated_by": by,
                      "history": history}},
        )  # fmt: skip
        if result.modified_count != 1:
            raise RegistryConflict("the active model changed meanwhile; nothing was rolled back")
        return ActiveModel(previous, now, by)

    async def previous(self, expect: str | None = None) -> tuple[str, str]:
        """(the active version, the one a rollback would return to), without writing;
        raises as rollback() would."""
        doc, previous, _ = await self._previous(expect)
        return doc["version"], previous

    async def _previous(self, expect: str | None) -> tuple[dict[str, Any], str, list[str]]:
        doc = await self._state.find_one({"_id": "active"})
        if doc is None:
            raise RegistryError("no earlier active version to roll back to")
        current = doc["version"]
        if expect is not None and current != expect:
            raise RegistryConflict(f"{expect} is no longer active ({current} is)")
        history = list(doc.get("history", []))
        # older documents may hold the active version itself: going "back" to it changes nothing
        while history and history[-1] == current:
            history.pop()
        if not history:
            raise RegistryError(f"no version before {current} to roll back to")
        previous = history.pop()
        return doc, previous, history

    async def is_empty(self) -> bool:
        return await self._versions.count_documents({}, limit=1) == 0


# a few retries are plenty: each loser of a race sees the winner's write on re-reading
_ATTEMPTS = 5


def _unchanged(doc: dict[str, Any]) -> dict[str, Any]:
    """A filter matching the state document only as it was read: the compare in
    compare-and-set. activated_at changes on every write, so it tells writes apart
    even when the same version comes back."""
    return {"_id": "active", "version": doc["version"], "activated_at": doc["activated_at"]}
