"""The WeChat access token, shared by every instance through the database.

WeChat invalidates the previous token whenever a new one is fetched, so
instances must not each fetch their own: one fetches under a lock, all read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pymongo.asynchronous.collection import AsyncCollection


@dataclass(frozen=True, slots=True)
class StoredToken:
    token: str
    expires_at: datetime


class TokenRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        """Keyed by appid: nothing to index."""

    async def get(self, appid: str) -> StoredToken | None:
        doc = await self._c.find_one({"_id": appid})
        if doc is None:
            return None
        return StoredToken(doc["token"], doc["expires_at"])

    async def put(self, appid: str, token: StoredToken, fetched_at: datetime) -> None:
        await self._c.update_one(
            {"_id": appid},
            {
                "$set": {
                    "token": token.token,
                    "expires_at": token.expires_at,
                    "fetched_at": fetched_at,
                }
            },
            upsert=True,
        )

    async def discard(self, appid: str, token: str) -> None:
        """Forget `token` if it is still the stored one (another instance may have refreshed)."""
        await self._c.delete_one({"_id": appid, "token": token})
