"""Training jobs: their progress, and who is still working on them.

A job belongs to the instance that runs it. That instance renews the job's
`heartbeat_at` while it lives; a job whose heartbeat is older than the caller's
limit was abandoned (its instance was killed or lost the database) and is marked
failed with the error "interrupted", so nobody waits for it any more.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

UNFINISHED = ("queued", "running")
INTERRUPTED = "interrupted"


class TrainingJobs:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index([("started_at", DESCENDING)])
        await self._c.create_index("state")

    async def create(self, job_id: str, *, by: str, owner: str, now: datetime) -> None:
        await self._c.insert_one(
            {"_id": job_id, "state": "queued", "progress": 0.0, "stage": "queued", "by": by,
             "owner": owner, "started_at": now, "heartbeat_at": now}
        )  # fmt: skip

    async def update(self, job_id: str, fields: dict[str, Any]) -> bool:
        """Record progress or the outcome, only while the job is unfinished: a job that
        was declared abandoned stays failed even if its worker turns out to be alive.
        False when nothing was written."""
        result = await self._c.update_one(
            {"_id": job_id, "state": {"$in": list(UNFINISHED)}}, {"$set": fields}
        )
        return result.matched_count == 1

    async def heartbeat(self, job_id: str, now: datetime) -> bool:
        """The worker is alive; False when the job is no longer unfinished."""
        return await self.update(job_id, {"heartbeat_at": now})

    async def reap(self, *, now: datetime, stale_after: timedelta) -> list[str]:
        """Mark unfinished jobs whose heartbeat is older than `stale_after` failed
        ("interrupted"); returns their ids. Jobs from before heartbeats count from
        their start. Each write is conditional on the heartbeat that was read, so a
        worker renewing it at this moment keeps its job."""
        cutoff = now - stale_after
        reaped = []
        for doc in await self._c.find({"state": {"$in": list(UNFINISHED)}}).to_list():
            beat = doc.get("heartbeat_at") or doc.get("started_at")
            if beat is not None and beat >= cutoff:
                continue
            result = await self._c.update_one(
                {"_id": doc["_id"], "state": doc["state"], "heartbeat_at": doc.get("heartbeat_at")},
                {"$set": {"state": "failed", "error": INTERRUPTED, "finished_at": now}},
            )
            if result.modified_count == 1:
                reaped.append(doc["_id"])
        return reaped

    async def get(self, job_id: str) -> dict[str, Any] | None:
        return await self._c.find_one({"_id": job_id})

    async def recent(self, limit: int = 5) -> list[dict[str, Any]]:
        return await self._c.find({}).sort("started_at", DESCENDING).limit(limit).to_list()
