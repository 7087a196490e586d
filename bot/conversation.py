"""From one parsed WeChat message to one reply, exactly once, in order.

- Idempotent: the message id is claimed in the store before anything happens;
  a retry gets the stored reply, or waits for the first delivery's.
- Ordered: one citizen's messages run one at a time, under an in-process lock
  (cheap) and a leased lock in the store (holds across instances).
- In time: WeChat waits 5 seconds. If the dialog needs longer than the reply
  budget (~4 s), the callback answers `success` and the reply goes out through
  the outbox as a customer-service message instead.
- Whole: WeChat takes at most 2,048 bytes in one text message (`split_reply`). A
  longer turn (a knowledge-base answer and the form's next question) is cut into
  parts: the first is the passive reply, the others follow through the outbox in
  order, each under a key made from the message's key and the part's index, so a
  retry of the message or another instance never queues a part twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pymongo.errors import PyMongoError

from bot.keyed_locks import KeyedLocks
from bot.wechat_api import TEXT_LIMIT_BYTES
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


# Where a long turn may be cut, best first: between two replies, at a line break,
# after a sentence (with the closing quotes or brackets that end it); a hard cut
# inside a sentence only when one sentence alone is over the limit.
_SEPARATORS = ("\n\n", "\n", "")
_SENTENCE = re.compile(r"[^。！？]*(?:[。！？]+[”’」』）】)]*)?")


def _size(text: str) -> int:
    return len(text.encode())


def split_reply(replies: list[str], limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """A turn's replies as WeChat text messages of at most `limit` UTF-8 bytes each.

    Whole replies are kept together, a blank line apart, as far as they fit; a reply
    too long for one message is cut at line breaks, a line at sentence ends (。！？),
    a sentence by bytes. [] when there is nothing to say."""
    units = [reply.strip() for reply in replies if reply and reply.strip()]
    parts = (part.strip() for part in _pack(units, 0, limit))
    return [part for part in parts if part]


def _pack(units: list[str], level: int, limit: int) -> list[str]:
    """`units` joined by this level's separator into as few parts as fit."""
    separator = _SEPARATORS[level]
    parts: list[str] = []
    current: str | None = None
    for unit in units:
        if _size(unit) > limit:
            if current is not None:
                parts.append(current)
            *whole, current = _cut(unit, level + 1, limit)
            parts.extend(whole)
        elif current is not None and _size(current + separator + unit) <= limit:
            current += separator + unit
        else:
            if current is not None:
                parts.append(current)
            current = unit
    if current is not None:
        parts.append(current)
    return parts


def _cut(text: str, level: int, limit: int) -> list[str]:
    """One unit too long for a message, cut at the next finer kind of boundary."""
    if level == 1:
        return _pack(text.split("\n"), level, limit)
    if level == 2:
        return _pack([s for s in _SENTENCE.findall(text) if s], level, limit)
    parts, current, size = [], [], 0
    for char in text:  # by characters: a cut never splits one character's bytes
        width = _size(char)
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return parts


def part_key(key: str, index: int) -> str:
    """The outbox key of part `index` of the reply to message `key`. Part 0 pushed
    (the reply was late) keeps the key late replies always had."""
    return f"late-reply:{key}" if index == 0 else f"reply-part:{key}:{index}"


class Conversation:
    def __init__(
        self,
        db: Database,
        dialog: DialogRunner,
        *,
        reply_budget: float,
        push_reply: Callable[[str, str, str], Awaitable[None]],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = db
        self._dialog = dialog
        self._budget = reply_budget
        # (openid, outbox key, text): queue one customer-service text message
        self._push_reply = push_reply
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
        parts = split_reply(replies)
        first = parts[0] if parts else ""
        if job.late:
            await self._push(inbound.openid, key, parts, start=0)
            await self._finish(key, first, late=True)
            return
        job.decided.set_result(first)
        # The rest after the passive reply is on its way, so it follows it; before the
        # message is recorded as done, so a retry meanwhile waits for the record and
        # gets the first part again, never a second copy of the rest.
        await self._push(inbound.openid, key, parts, start=1)
        await self._finish(key, first)

    async def _push(self, openid: str, key: str, parts: list[str], start: int) -> None:
        """Queue `parts[start:]` in order, each under its own key (`part_key`)."""
        try:
            for index in range(start, len(parts)):
                await self._push_reply(openid, part_key(key, index), parts[index])
        except PyMongoError as error:
            log.error("reply to %s not queued in full: %s", key, error)

    async def _finish(self, key: str, first: str, *, late: bool = False) -> None:
        """Record the message as handled with the reply a retry gets: the first part."""
        try:
            await self._db.inbound.finish(key, first, late=late)
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
