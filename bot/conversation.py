"""From one parsed WeChat message to one reply, exactly once, in order.

- Idempotent: the message id is claimed in the store before anything happens;
  a retry gets the stored reply, or waits for the first delivery's.
- Ordered: one citizen's messages run one at a time, under an in-process lock
  (cheap) and a leased lock in the store (holds across instances).
- In time: WeChat waits 5 seconds. If the dialog needs longer than the reply
  budget (~4 s), the callback answers `success` and the reply goes out through
  the outbox as a customer-service message instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pymongo.errors import PyMongoError

from bot.keyed_locks import KeyedLocks
from bot.wechat_inbound import Parsed
from dialogs import messages
from models.inbound import Inbound
from store.database import Database
from store.locks import LockTimeout
from store.sessions import StaleSession

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(seconds=30)
USER_LOCK_LEASE = timedelta(seconds=60)
USER_LOCK_WAIT = 20.0


class DialogRunner(Protocol):
    """The dialog as the edge sees it: stored session in, replies and new session out."""

    async def run(
        self, session: dict[str, Any] | None, inbound: Inbound, now: datetime
    ) -> tuple[list[str], dict[str, Any]]: ...


@dataclass(slots=True)
class _Job:
    decided: asyncio.Future[str] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    late: bool = False


def join_replies(replies: list[str]) -> str:
    return "\n\n".join(reply.strip() for reply in replies if reply and reply.strip())


class Conversation:
    def __init__(
        self,
        db: Database,
        dialog: DialogRunner,
        *,
        reply_budget: float,
        push_late_reply: Callable[[str, str, str], Awaitable[None]],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = db
        self._dialog = dialog
        self._budget = reply_budget
        self._push_late_reply = push_late_reply
        self._clock = clock
        self._user_locks = KeyedLocks()
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, parsed: Parsed) -> str | None:
        """The passive reply text, or None to answer `success`."""
        inbound, key = parsed.inbound, parsed.dedupe_key
        try:
            claim = await self._db.inbound.claim(key, inbound.openid, self._clock(), CLAIM_LEASE)
        except PyMongoError as error:
            log.error("cannot record message %s: %s", key, error)
            return messages.SYSTEM_BUSY
        if not claim.owned:
            if claim.reply is None:
                claim = await self._db.inbound.wait_for_reply(key, self._budget)
            if claim.late or not claim.reply:
                return None
            return claim.reply
        job = _Job()
        task = asyncio.create_task(self._process(inbound, key, job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            reply = await asyncio.wait_for(asyncio.shield(job.decided), self._budget)
        except TimeoutError:
            # Checked by _process without an await in between: no reply is lost.
            job.late = True
            log.info("message %s passed the reply budget; replying by push", key)
            return None
        return reply or None

    async def _process(self, inbound: Inbound, key: str, job: _Job) -> None:
        try:
            async with (
                self._user_locks.hold(inbound.openid),
                self._db.locks.hold(
                    f"user:{inbound.openid}", lease=USER_LOCK_LEASE, wait=USER_LOCK_WAIT
                ),
            ):
                replies = await self._run_dialog(inbound)
        except (PyMongoError, LockTimeout) as error:
            log.error("message %s not handled: %s", key, error)
            replies = [messages.SYSTEM_BUSY]
        except Exception:
            log.exception("message %s: dialog failed", key)
            replies = [messages.SYSTEM_BUSY]
        text = join_replies(replies)
        if job.late:
            try:
                if text:
                    await self._push_late_reply(inbound.openid, key, text)
                await self._db.inbound.finish(key, text, late=True)
            except PyMongoError as error:
                log.error("late reply for %s not queued: %s", key, error)
            return
        job.decided.set_result(text)
        try:
            await self._db.inbound.finish(key, text)
        except PyMongoError as error:
            log.error("reply for %s not recorded: %s", key, error)

    async def _run_dialog(self, inbound: Inbound) -> list[str]:
        session, version = await self._db.sessions.load(inbound.openid)
        now = self._clock()
        replies, new_session = await self._dialog.run(session, inbound, now)
        try:
            await self._db.sessions.save(inbound.openid, new_session, version, now)
        except StaleSession:
            # Only possible when our lock lease ran out; the newer session wins,
            # and the domain writes themselves are idempotent.
            log.warning("session of %s changed under us; keeping the newer one", inbound.openid)
        return replies

    async def drain(self) -> None:
        """Let in-flight dialogs finish (at shutdown)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
