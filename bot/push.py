"""Sending outbox items through the WeChat API, with WeChat's error semantics.

| answer | what we do |
|---|---|
| ok | sent |
| -1, HTTP 5xx, timeout, 45047 (rate) | retry later, exponential backoff with jitter |
| 40001/42001 | refreshed once inside the API client |
| 45015 (48-hour window closed) | template message if one is configured, |
|   | else undeliverable (phone follow-up) |
| 43004 (unsubscribed) | final |
| 45002 (over the size limit) | undeliverable at once (phone follow-up) |
| anything else | failed after `MAX_ATTEMPTS` |
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.metrics import Metrics
from bot.wechat_api import (
    ContentTooLong,
    OutsideServiceWindow,
    RateLimited,
    Unsubscribed,
    WeChatAPI,
    WeChatError,
    WeChatTransientError,
)
from store.complaints import ComplaintRepository
from store.outbox import FAILED, UNDELIVERABLE, Blocked, Outbox, OutboxItem

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)
BASE_BACKOFF = 5.0
MAX_BACKOFF = 3600.0


def backoff(
    attempts: int, base: float = BASE_BACKOFF, rng: Callable[[], float] = random.random
) -> timedelta:
    """Exponential backoff with jitter: spreads retries of many instances apart."""
    ceiling = min(MAX_BACKOFF, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=ceiling * (0.5 + rng() / 2))


async def enqueue_followers(
    outbox: Outbox, openid: str, complaint_no: str, payload: dict, now: datetime
) -> None:
    """Queue the pushes that wait for this one (`payload["then"]`, e.g. the survey after
    an answer): once it was sent, or once staff passed it on by phone."""
    for follow in payload.get("then", []):
        fields = {k: v for k, v in follow.items() if k not in ("dedupe_key", "delay")}
        await outbox.enqueue(
            dedupe_key=follow["dedupe_key"],
            kind="text",
            openid=openid,
            payload=fields,
            run_at=now + timedelta(seconds=float(follow.get("delay", 0))),
            now=now,
            complaint_no=complaint_no,
        )


def still_wanted(payload: dict, complaint: dict | None) -> bool:
    """Whether a push's condition (`payload["only_if"]`: the complaint still in that
    round and state, e.g. a survey not yet answered) holds for the complaint as it is."""
    condition = payload.get("only_if")
    if not condition:
        return True
    return (
        complaint is not None
        and complaint.get("round") == condition.get("round", complaint.get("round"))
        and complaint.get("status") == condition.get("status", complaint.get("status"))
    )


SKIPPED = "skipped"  # its condition no longer held (e.g. the survey was already answered)


@dataclass(slots=True)
class PushSender:
    outbox: Outbox
    api: WeChatAPI
    metrics: Metrics
    complaints: ComplaintRepository
    template_id: str = ""
    lease: timedelta = LEASE
    base_backoff: float = BASE_BACKOFF
    owner: str = ""

    def __post_init__(self) -> None:
        self.owner = self.owner or uuid.uuid4().hex

    async def send_due(self, limit: int = 200, concurrency: int = 4) -> int:
        """Claim and send due items until none is left (or `limit`); returns how many ran.

        A citizen whose earlier push is still being sent waits for the next round
        (`Blocked`), which starts as soon as this one has sent something, so their
        pushes keep their order.
        """
        done = 0
        while done < limit:
            sent, waiting = await self._round(limit - done, concurrency)
            done += sent
            if not waiting or not sent:
                break
        self.metrics.outbox_depth.set(await self.outbox.depth())
        return done

    async def _round(self, limit: int, concurrency: int) -> tuple[int, set[str]]:
        # A few claim-and-send loops run side by side: a slow WeChat answer for one
        # citizen must not hold up everyone else's pushes.
        done = 0
        waiting: set[str] = set()

        async def worker() -> None:
            nonlocal done
            while done < limit:
                item = await self.outbox.claim(datetime.now(UTC), self.lease, self.owner, waiting)
                if item is None:
                    return
                if isinstance(item, Blocked):
                    waiting.add(item.openid)
                    continue
                done += 1
                await self._send(item)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done, waiting

    async def _still_wanted(self, item: OutboxItem) -> bool:
        condition = item.payload.get("only_if")
        if not condition:
            return True
        return still_wanted(item.payload, await self.complaints.get(condition["no"]))

    async def _send(self, item: OutboxItem) -> None:
        if not await self._still_wanted(item):
            await self.outbox.give_up(item, self.owner, SKIPPED, "condition no longer holds")
            self.metrics.outbox_results.inc(SKIPPED)
            return
        try:
            await self._deliver(item)
        except OutsideServiceWindow as error:
            if self.template_id and item.kind == "text":
                try:
                    await self.api.send_template(
                        item.openid, self.template_id, {"content": item.payload["text"]}
                    )
                except WeChatError as template_error:
                    await self._failed(item, template_error)
                else:
                    await self._finished(item, "template")
                return
            await self._give_up(item, UNDELIVERABLE, error)
        except ContentTooLong as error:
            # the same text would be refused on every retry: a person must pass it on
            await self._give_up(item, UNDELIVERABLE, error)
        except Unsubscribed as error:
            await self._give_up(item, FAILED, error)
        except (WeChatTransientError, RateLimited) as error:
            await self._failed(item, error)
        except WeChatError as error:
            await self._failed(item, error)
        else:
            await self._finished(item, "custom")

    async def _deliver(self, item: OutboxItem) -> None:
        if item.kind == "text":
            await self.api.send_text(item.openid, item.payload["text"])
        elif item.kind == "template":
            await self.api.send_template(
                item.openid, item.payload["template_id"], item.payload["data"]
            )
        else:
            raise WeChatError(0, f"unknown push kind {item.kind!r}", "outbox")

    async def _finished(self, item: OutboxItem, channel: str) -> None:
        now = datetime.now(UTC)
        if not await self.outbox.mark_sent(item, self.owner, now, channel=channel):
            return  # our lease expired and another worker owns it now
        self.metrics.outbox_results.inc("sent")
        if item.payload.get("mark") == "survey" and item.complaint_no:
            await self.complaints.set_fields(item.complaint_no, {"survey_sent_at": now})
        await enqueue_followers(self.outbox, item.openid, item.complaint_no, item.payload, now)

    async def _failed(self, item: OutboxItem, error: WeChatError) -> None:
        if item.attempts >= MAX_ATTEMPTS:
            await self._give_up(item, FAILED, error)
            return
        retry_at = datetime.now(UTC) + backoff(item.attempts, self.base_backoff)
        await self.outbox.retry_later(item, self.owner, retry_at, str(error), error.errcode)
        self.metrics.outbox_results.inc("retry")
        log.info("push %s: %s; retrying at %s", item.dedupe_key, error, retry_at)

    async def _give_up(self, item: OutboxItem, state: str, error: WeChatError) -> None:
        await self.outbox.give_up(item, self.owner, state, str(error), error.errcode)
        self.metrics.outbox_results.inc(state)
        log.warning("push %s %s: %s", item.dedupe_key, state, error)
