"""The durable outbox: every message we push to a citizen is a document first.

A push is created once (unique `dedupe_key`), claimed by one worker at a time
(an atomic `find_one_and_update` that sets a lease), and retried with backoff
until it is sent, found undeliverable or fails for good. A worker that dies
mid-send leaves an expired lease behind, and another instance takes over.

One citizen's pushes that are due together go out in the order they were queued,
whichever worker or instance claims them: "已受理" must not arrive after "已答复"
when a backlog drains after a WeChat outage. A push still backing off after a
failure does not hold up later ones.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"  # gave up: final error or too many attempts
UNDELIVERABLE = "undeliverable"  # needs a phone call (e.g. outside the 48-hour window)
# WeChat will not deliver these, now or ever: the centre phones the citizen instead
NEEDS_CALL = (UNDELIVERABLE, FAILED)
CALLED = "called"  # an undeliverable push that staff passed on by phone
# a complaint with no WeChat citizen behind it (Open311, the phone line): what would
# be pushed is a phone call from the start, listed once its `run_at` has come
PHONE = "phone"
NO_WECHAT = "no WeChat citizen behind this complaint (phone channel): call to pass it on"


@dataclass(slots=True)
class OutboxItem:
    id: ObjectId
    dedupe_key: str
    kind: str
    openid: str
    payload: dict[str, Any]
    attempts: int
    run_at: datetime
    complaint_no: str = ""
    created_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> OutboxItem:
        return cls(
            id=doc["_id"],
            dedupe_key=doc["dedupe_key"],
            kind=doc["kind"],
            openid=doc["openid"],
            payload=doc.get("payload", {}),
            attempts=doc.get("attempts", 0),
            run_at=doc["run_at"],
            complaint_no=doc.get("complaint_no", ""),
            created_at=doc.get("created_at"),
        )


@dataclass(frozen=True, slots=True)
class Blocked:
    """A claim found an earlier push to the same citizen still being sent: this
    citizen's pushes wait for it (the claimed one went back to the queue)."""

    openid: str


def _claimable(now: datetime) -> list[dict[str, Any]]:
    return [
        {"state": PENDING, "run_at": {"$lte": now}},
        {"state": SENDING, "lease_until": {"$lt": now}},
    ]


def _lease_to(now: datetime, lease: timedelta, owner: str) -> dict[str, Any]:
    return {
        "$set": {"state": SENDING, "lease_until": now + lease, "owner": owner},
        "$inc": {"attempts": 1},
    }


class Outbox:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("dedupe_key", unique=True)
        await self._c.create_index([("state", ASCENDING), ("run_at", ASCENDING)])
        await self._c.create_index("complaint_no")
        await self._c.create_index([("openid", ASCENDING), ("created_at", ASCENDING)])

    async def enqueue(
        self,
        *,
        dedupe_key: str,
        kind: str,
        openid: str,
        payload: dict[str, Any],
        run_at: datetime,
        now: datetime,
        complaint_no: str = "",
    ) -> bool:
        """Create the push unless one with this key exists; True when created. Without
        an `openid` it is a phone call (see PHONE): never sent, listed for staff."""
        # insert + unique index rather than an upsert: same guarantee, and the
        # embedded server's upserts slow down as the collection grows (measured)
        doc = {
            "dedupe_key": dedupe_key,
            "kind": kind,
            "openid": openid,
            "payload": payload,
            "run_at": run_at,
            "state": PENDING,
            "attempts": 0,
            "created_at": now,
            "complaint_no": complaint_no,
        }
        if not openid:
            doc |= {"state": UNDELIVERABLE, "channel": PHONE, "last_error": NO_WECHAT,
                    "last_errcode": None}  # fmt: skip
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def claim(
        self, now: datetime, lease: timedelta, owner: str, skip: Collection[str] = ()
    ) -> OutboxItem | Blocked | None:
        """The next push to send, leased to `owner`: the earliest due one whose citizen
        is not in `skip`, or that citizen's earlier push when one is due too."""
        # Two indexed queries instead of one $or: due pushes first, then pushes
        # whose worker's lease ran out (it crashed or hung mid-send).
        for query in _claimable(now):
            if skip:
                query = {**query, "openid": {"$nin": list(skip)}}
            doc = await self._c.find_one_and_update(
                query,
                _lease_to(now, lease, owner),
                sort=[("run_at", ASCENDING)],
                return_document=ReturnDocument.AFTER,
            )
            if doc is not None:
                return await self._first_in_line(OutboxItem.from_doc(doc), now, lease, owner)
        return None

    async def _first_in_line(
        self, item: OutboxItem, now: datetime, lease: timedelta, owner: str
    ) -> OutboxItem | Blocked:
        while True:
            earlier = await self._c.find_one(
                {
                    "openid": item.openid,
                    "_id": {"$ne": item.id},
                    "$or": [
                        {"state": PENDING, "run_at": {"$lte": now}},
                        {"state": SENDING},
                    ],
                    "created_at": {"$lte": item.created_at},
                },
                sort=[("created_at", ASCENDING), ("_id", ASCENDING)],
            )
            if earlier is None or (earlier["created_at"], earlier["_id"]) > (
                item.created_at,
                item.id,
            ):
                return item
            # back in the queue as it was: this claim was no attempt
            await self._c.update_one(
                {"_id": item.id, "state": SENDING, "owner": owner},
                {
                    "$set": {"state": PENDING},
                    "$unset": {"lease_until": ""},
                    "$inc": {"attempts": -1},
                },
            )
            doc = await self._c.find_one_and_update(
                {"_id": earlier["_id"], "$or": _claimable(now)},
                _lease_to(now, lease, owner),
                return_document=ReturnDocument.AFTER,
            )
            if doc is None:  # being sent by another worker: the citizen waits for it
                return Blocked(item.openid)
            item = OutboxItem.from_doc(doc)

    async def _finish(self, item: OutboxItem, owner: str, fields: dict[str, Any]) -> bool:
        # Only the lease holder may finish: a late worker must not overwrite a retry.
        result = await self._c.update_one(
            {"_id": item.id, "state": SENDING, "owner": owner},
            {"$set": fields, "$unset": {"lease_until": ""}},
        )
        return result.modified_count == 1

    async def mark_sent(self, item: OutboxItem, owner: str, now: datetime, **info: Any) -> bool:
        return await self._finish(item, owner, {"state": SENT, "sent_at": now, **info})

    async def retry_later(
        self, item: OutboxItem, owner: str, run_at: datetime, error: str, errcode: int | None = None
    ) -> bool:
        fields = {"state": PENDING, "run_at": run_at, "last_error": error, "last_errcode": errcode}
        return await self._finish(item, owner, fields)

    async def give_up(
        self, item: OutboxItem, owner: str, state: str, error: str, errcode: int | None = None
    ) -> bool:
        fields = {"state": state, "last_error": error, "last_errcode": errcode}
        return await self._finish(item, owner, fields)

    async def find(self, **query: Any) -> list[dict[str, Any]]:
        return await self._c.find(query).sort("created_at", ASCENDING).to_list()

    async def mark_called(
        self, dedupe_key: str, by: str, now: datetime, note: str
    ) -> dict[str, Any] | None:
        """Staff phoned the citizen instead: the follow-up leaves the call list once.
        Returns the push as it was, or None when it is not (or no longer) on the list."""
        return await self._c.find_one_and_update(
            {"dedupe_key": dedupe_key, "state": {"$in": list(NEEDS_CALL)}},
            {"$set": {"state": CALLED, "called_by": by, "called_at": now, "call_note": note}},
        )

    async def depth(self) -> int:
        return await self._c.count_documents({"state": {"$in": [PENDING, SENDING]}})
