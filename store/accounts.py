"""Staff accounts. Tokens and passwords are stored only as argon2 hashes.

A token is `<token_id>.<secret>`: the id finds the account without scanning,
the secret is verified against its argon2 hash. A disabled account keeps its
history (audit entries, complaint history name it) but neither its token nor its
password opens anything; resetting the token gives it a new id, so the old token
stops working everywhere at once.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from models.accounts import Account, Role, check_account_name

_hasher = PasswordHasher()
# verified against when the name is unknown, so timing does not reveal which names exist
_DUMMY_HASH = _hasher.hash("no such account")


MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


class AccountExists(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class LoginResult:
    account: Account | None
    locked_until: datetime | None = None
    disabled: bool = False  # the right password for a disabled account


def _verify(hashed: str, secret: str) -> bool:
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


class AccountRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self._c = db.accounts
        self._audit = db.audit_log

    async def ensure_indexes(self) -> None:
        await self._c.create_index("token_id", unique=True)
        await self._audit.create_index([("at", -1)])
        # the audit page filters by who and by what
        await self._audit.create_index([("actor", 1), ("at", -1)])
        await self._audit.create_index([("action", 1), ("at", -1)])

    async def create(self, account: Account, now: datetime, password: str | None = None) -> str:
        """Create the account; returns its API token (shown once, stored hashed).
        Raises `InvalidAccountName` for a name outside the rule (models.accounts)."""
        check_account_name(account.name)
        token, fields = await _new_token()
        doc: dict[str, Any] = {
            "_id": account.name,
            "role": account.role.value,
            "department": account.department,
            **fields,
            "created_at": now,
            "failed_logins": 0,
        }
        if password:
            doc["password_hash"] = await asyncio.to_thread(_hasher.hash, password)
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            raise AccountExists(account.name) from None
        return token

    async def by_token(self, token: str) -> Account | None:
        token_id, _, secret = token.partition(".")
        if not token_id or not secret:
            return None
        doc = await self._c.find_one({"token_id": token_id})
        # argon2 is deliberately slow (~50 ms): keep it off the event loop
        if doc is None or not await asyncio.to_thread(_verify, doc["token_hash"], secret):
            return None
        return None if doc.get("disabled_at") else _account(doc)

    async def by_token_id(self, token_id: str) -> Account | None:
        """Who a token's account is now, without checking the secret: for a token whose
        secret was verified a moment ago, so a disabled account or a reset token is
        refused at once rather than when the verification cache expires."""
        doc = await self._c.find_one({"token_id": token_id, "disabled_at": None})
        return _account(doc) if doc else None

    async def reset_token(self, name: str) -> str | None:
        """A new token for the account (returned once); the old one stops working."""
        token, fields = await _new_token()
        result = await self._c.update_one({"_id": name}, {"$set": fields})
        return token if result.matched_count == 1 else None

    async def set_disabled(self, name: str, disabled: bool, now: datetime) -> bool:
        result = await self._c.update_one(
            {"_id": name}, {"$set": {"disabled_at": now if disabled else None}}
        )
        return result.matched_count == 1

    async def disabled(self) -> set[str]:
        docs = await self._c.find({"disabled_at": {"$ne": None}}, {"_id": 1}).to_list()
        return {doc["_id"] for doc in docs}

    async def login(self, name: str, password: str, now: datetime) -> LoginResult:
        """Check a console password, counting failures per account.

        After `MAX_FAILURES` wrong passwords in a row the account is locked for
        `LOCK_FOR`; while locked even the right password is refused, so guessing
        gains nothing. Unknown names cost the same argon2 work as known ones.
        """
        doc = await self._c.find_one({"_id": name})
        locked_until = doc.get("locked_until") if doc else None
        if locked_until is not None and locked_until > now:
            return LoginResult(None, locked_until)
        hashed = (doc or {}).get("password_hash", _DUMMY_HASH)
        ok = await asyncio.to_thread(_verify, hashed, password)
        if doc is None or "password_hash" not in doc:
            return LoginResult(None)
        if ok:
            await self._c.update_one(
                {"_id": name}, {"$set": {"failed_logins": 0, "locked_until": None}}
            )
            if doc.get("disabled_at"):
                return LoginResult(None, disabled=True)
            return LoginResult(_account(doc))
        failures = doc.get("failed_logins", 0) + 1
        update: dict[str, Any] = {"failed_logins": failures}
        if failures >= MAX_FAILURES:
            update = {"failed_logins": 0, "locked_until": now + LOCK_FOR}
        await self._c.update_one({"_id": name}, {"$set": update})
        return LoginResult(None, update.get("locked_until"))

    async def set_password(self, name: str, password: str) -> bool:
        hashed = await asyncio.to_thread(_hasher.hash, password)
        result = await self._c.update_one(
            {"_id": name},
            {"$set": {"password_hash": hashed, "failed_logins": 0, "locked_until": None}},
        )
        return result.matched_count == 1

    async def unlock(self, name: str) -> bool:
        result = await self._c.update_one(
            {"_id": name}, {"$set": {"failed_logins": 0, "locked_until": None}}
        )
        return result.matched_count == 1

    async def locked(self, now: datetime) -> dict[str, datetime]:
        """Accounts locked right now, with the time their lock ends."""
        docs = await self._c.find({"locked_until": {"$gt": now}}).to_list()
        return {doc["_id"]: doc["locked_until"] for doc in docs}

    async def get(self, name: str) -> Account | None:
        """The account if it exists and is not disabled."""
        doc = await self._c.find_one({"_id": name, "disabled_at": None})
        return _account(doc) if doc else None

    async def list(self) -> list[Account]:
        return [_account(doc) for doc in await self._c.find({}).sort("_id", 1).to_list()]

    async def audit(self, actor: str, action: str, target: str, now: datetime) -> None:
        """Who read which personal data when."""
        await self._audit.insert_one(
            {"actor": actor, "action": action, "target": target, "at": now}
        )

    async def audit_entries(self, limit: int = 100) -> list[dict[str, Any]]:
        return await self._audit.find({}, {"_id": 0}).sort("at", -1).limit(limit).to_list()

    async def audit_page(
        self, *, actor: str = "", action: str = "", skip: int = 0, limit: int = 100
    ) -> tuple[int, list[dict[str, Any]]]:
        """One page of the audit log, newest first, optionally only one actor's or one
        action's entries: (how many match, the page). Entries written in the same
        instant keep one order (by id) across pages."""
        query = {key: value for key, value in (("actor", actor), ("action", action)) if value}
        total = await self._audit.count_documents(query)
        cursor = self._audit.find(query, {"_id": 0}).sort([("at", -1), ("_id", -1)])
        return total, await cursor.skip(skip).limit(limit).to_list()


async def _new_token() -> tuple[str, dict[str, str]]:
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    hashed = await asyncio.to_thread(_hasher.hash, secret)
    return f"{token_id}.{secret}", {"token_id": token_id, "token_hash": hashed}


def _account(doc: dict[str, Any]) -> Account:
    return Account(doc["_id"], Role(doc["role"]), doc.get("department", ""))
