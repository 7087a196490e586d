"""State of the built-in fake WeChat API (sandbox mode only).

Kept in the database rather than in memory so that several instances share
one fake WeChat and `hotline chat` sees pushes whichever instance sent them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase


class SandboxRecords:
    def __init__(self, db: AsyncDatabase) -> None:
        self._messages = db.sandbox_messages
        self._tokens = db.sandbox_tokens
        self._faults = db.sandbox_faults
        self._media = db.sandbox_media
        self._state = db.sandbox_state

    async def ensure_indexes(self) -> None:
        await self._messages.create_index([("touser", ASCENDING), ("seq", ASCENDING)])
        await self._faults.create_index([("api", ASCENDING), ("seq", ASCENDING)])

    async def _next(self, name: str) -> int:
        doc = await self._state.find_one_and_update(
            {"_id": name},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["value"])

    # tokens ---------------------------------------------------------------
    async def issue_token(self, appid: str, now: datetime, ttl: int) -> str:
        token = secrets.token_urlsafe(24)
        await self._tokens.insert_one(
            {"_id": token, "appid": appid, "expires_at": now + timedelta(seconds=ttl)}
        )
        await self._next("token_calls")
        return token

    async def token_valid(self, token: str, now: datetime) -> bool:
        doc = await self._tokens.find_one({"_id": token})
        return doc is not None and doc["expires_at"] > now

    async def revoke_tokens(self) -> None:
        await self._tokens.delete_many({})

    async def counter(self, name: str) -> int:
        doc = await self._state.find_one({"_id": name})
        return int(doc["value"]) if doc else 0

    # faults ---------------------------------------------------------------
    async def add_fault(self, api: str, errcode: int, times: int, **extra: Any) -> None:
        """Make the next `times` calls of `api` fail with `errcode` (or HTTP status)."""
        for _ in range(times):
            seq = await self._next("fault_seq")
            await self._faults.insert_one({"api": api, "errcode": errcode, "seq": seq, **extra})

    async def take_fault(self, api: str) -> dict[str, Any] | None:
        return await self._faults.find_one_and_delete(
            {"api": {"$in": [api, "*"]}}, sort=[("seq", ASCENDING)]
        )

    async def clear_faults(self) -> None:
        await self._faults.delete_many({})

    # messages -------------------------------------------------------------
    async def record_message(self, api: str, body: dict[str, Any], now: datetime) -> int:
        seq = await self._next("message_seq")
        await self._messages.insert_one(
            {"seq": seq, "api": api, "touser": body.get("touser", ""), "body": body, "at": now}
        )
        return seq

    async def messages(self, touser: str | None = None, after: int = 0) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"seq": {"$gt": after}}
        if touser:
            query["touser"] = touser
        docs = await self._messages.find(query, {"_id": 0}).sort("seq", ASCENDING).to_list()
        return docs

    async def record_menu(self, menu: dict[str, Any], now: datetime) -> None:
        await self._state.update_one(
            {"_id": "menu"}, {"$set": {"menu": menu, "at": now}}, upsert=True
        )

    async def menu(self) -> dict[str, Any] | None:
        doc = await self._state.find_one({"_id": "menu"})
        return doc["menu"] if doc else None

    # media ----------------------------------------------------------------
    async def put_media(self, content: bytes, content_type: str, now: datetime) -> str:
        media_id = str(ObjectId())
        await self._media.insert_one(
            {"_id": media_id, "content": content, "content_type": content_type, "at": now}
        )
        return media_id

    async def get_media(self, media_id: str) -> dict[str, Any] | None:
        return await self._media.find_one({"_id": media_id})
