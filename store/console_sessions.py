"""Console login sessions, kept in MongoDB so every instance behind the load
balancer knows them. Only the SHA-256 of the cookie value is stored: a copy of
the database does not hand out logged-in cookies."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    name: str  # the account
    csrf: str  # echoed by every form; a cross-site page cannot read it
    expires_at: datetime


def _key(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class ConsoleSessionRepository:
    def __init__(self, collection: AsyncCollection) -> None:
        self._c = collection

    async def ensure_indexes(self) -> None:
        await self._c.create_index("expires_at")
        await self._c.create_index("name")

    async def create(self, name: str, now: datetime, lifetime: timedelta) -> tuple[str, str]:
        """A new session for `name`; returns (cookie value, CSRF token)."""
        sid = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        await self._c.insert_one(
            {"_id": _key(sid), "name": name, "csrf": csrf, "created_at": now,
             "expires_at": now + lifetime, "lifetime": lifetime.total_seconds()}
        )  # fmt: skip
        # expired sessions are dropped here rather than by a TTL index, which the
        # embedded server does not run
        await self._c.delete_many({"expires_at": {"$lt": now, "$ne": None}})
        return sid, csrf

    async def get(self, sid: str, now: datetime) -> ConsoleSession | None:
        """The session, its expiry pushed back while in use: a clerk typing a long
        reply at the end of a shift must not lose it to a fixed logout time."""
        doc = await self._c.find_one({"_id": _key(sid)})
        if doc is None or doc["expires_at"] <= now:
            return None
        lifetime = timedelta(seconds=doc.get("lifetime", 0))
        expires_at = doc["expires_at"]
        if expires_at - now < lifetime / 2:
            expires_at = now + lifetime
            await self._c.update_one({"_id": doc["_id"]}, {"$set": {"expires_at": expires_at}})
        return ConsoleSession(doc["name"], doc["csrf"], expires_at)

    async def delete(self, sid: str) -> None:
        await self._c.delete_one({"_id": _key(sid)})

    async def delete_for(self, name: str) -> int:
        """Log an account out everywhere (password change, lockout by an admin)."""
        return (await self._c.delete_many({"name": name})).deleted_count
