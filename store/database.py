"""One connection to MongoDB (real or embedded) and the repositories on it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from store.accounts import AccountRepository
from store.complaints import ComplaintRepository
from store.console_sessions import ConsoleSessionRepository
from store.inbound import InboundLog
from store.knowledge import KnowledgeRepository
from store.locks import LockRepository
from store.model_registry import ModelRegistry
from store.outbox import Outbox
from store.photos import PhotoStore
from store.sandbox import SandboxRecords
from store.sessions import SessionRepository
from store.tokens import TokenRepository
from store.training_jobs import TrainingJobs

log = logging.getLogger(__name__)

# Fail fast: a citizen waits on every call, and WeChat gives us 5 seconds.
CLIENT_OPTIONS = {
    "tz_aware": True,
    "serverSelectionTimeoutMS": 2000,
    "connectTimeoutMS": 2000,
    "retryWrites": False,  # the embedded server is standalone; real sets may override in the URI
}


def _defaults_not_in(uri: str) -> dict[str, object]:
    """Our defaults, except those the URI sets itself: PyMongo lets keyword options win
    over the URI, so without this a deployment could not lengthen a timeout."""
    given = {key.lower() for key in parse_qs(urlsplit(uri).query)}
    return {key: value for key, value in CLIENT_OPTIONS.items() if key.lower() not in given}


@dataclass(slots=True)
class Database:
    client: AsyncMongoClient
    db: AsyncDatabase
    inbound: InboundLog
    sessions: SessionRepository
    locks: LockRepository
    tokens: TokenRepository
    outbox: Outbox
    sandbox: SandboxRecords
    complaints: ComplaintRepository
    photos: PhotoStore
    knowledge: KnowledgeRepository
    models: ModelRegistry
    training_jobs: TrainingJobs
    accounts: AccountRepository
    console_sessions: ConsoleSessionRepository

    @classmethod
    def connect(cls, uri: str, name: str = "hotline") -> Database:
        client: AsyncMongoClient = AsyncMongoClient(uri, **_defaults_not_in(uri))
        db = client[name]
        return cls(
            client=client,
            db=db,
            inbound=InboundLog(db.inbound_messages),
            sessions=SessionRepository(db.sessions),
            locks=LockRepository(db.locks),
            tokens=TokenRepository(db.access_tokens),
            outbox=Outbox(db.outbox),
            sandbox=SandboxRecords(db),
            complaints=ComplaintRepository(db),
            photos=PhotoStore(db),
            knowledge=KnowledgeRepository(db.knowledge),
            models=ModelRegistry(db),
            training_jobs=TrainingJobs(db.training_jobs),
            accounts=AccountRepository(db),
            console_sessions=ConsoleSessionRepository(db.console_sessions),
        )

    async def ensure_indexes(self) -> None:
        for repository in (
            self.inbound,
            self.sessions,
            self.locks,
            self.tokens,
            self.outbox,
            self.sandbox,
            self.complaints,
            self.photos,
            self.knowledge,
            self.models,
            self.training_jobs,
            self.accounts,
            self.console_sessions,
        ):
            await repository.ensure_indexes()

    async def ping(self) -> bool:
        try:
            await self.db.command("ping")
        except PyMongoError as error:
            log.warning("database ping failed: %s", error)
            return False
        return True

    async def close(self) -> None:
        await self.client.close()
