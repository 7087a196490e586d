"""Complaint operations shared by the dialog, the API and the jobs.

Every change goes through `change`: read, apply the domain transition (which
records who, when and why), write with a version check, retry on a concurrent
change. Pushes the citizen should get are queued in the durable outbox in the
same step, each with a dedupe key that makes a retried operation harmless.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from bot import messages
from bot.push import enqueue_followers, still_wanted
from bot.wechat_api import TEXT_LIMIT_BYTES
from models.accounts import Account
from models.beijing import short_time
from models.complaint import (
    IN_WORK,
    PHONE_SURVEY,
    Action,
    Complaint,
    ComplaintKind,
    ComplaintStatus,
    DomainError,
    HistoryEvent,
    Location,
    Rating,
    Satisfaction,
)
from models.departments import Department, department_for
from models.sla import URGENCY_NAMES, SlaPolicy, Urgency, describe_limit, detect_urgency
from store.complaints import ComplaintConflict
from store.database import Database
from store.outbox import NEEDS_CALL, PHONE
from store.photos import Photo

log = logging.getLogger(__name__)

SURVEY_REMINDER_AFTER = timedelta(days=1)
SURVEY_CLOSE_AFTER = timedelta(days=7)
# the history note of a rating staff took down on a phone survey call
PHONE_RATED = "电话回访：{verdict}{note}"
DUE_SOON_AT_MOST = timedelta(hours=24)


class NotFound(LookupError):
    pass


def reply_push(no: str, department: str, text: str, attachments: list[dict[str, str]]) -> str:
    """The citizen's push carrying a department's answer."""
    links = "".join(messages.ATTACHMENT.format(name=a["name"], url=a["url"]) for a in attachments)
    return messages.REPLY.format(no=no, department=department, text=text, attachments=links)


def ask_push(no: str, department: str, text: str) -> str:
    """The citizen's push carrying a department's question."""
    return messages.ASKED.format(no=no, department=department, text=text)


def longest_name(departments: Iterable[Department]) -> str:
    """The longest department name: a push's size is counted with it, so that what
    fits fits whichever department sends it."""
    return max((d.name for d in departments), key=len, default="")


def _excess(push: str) -> int:
    return max(0, len(push.encode()) - TEXT_LIMIT_BYTES)


def ask_excess(text: str, departments: Iterable[Department]) -> int:
    """Bytes by which a question's push would pass WeChat's limit (0: it fits), as
    `reply_excess` counts them."""
    return _excess(ask_push("20260101-0000", longest_name(departments), text))


def reply_excess(
    text: str, attachments: list[dict[str, str]], departments: Iterable[Department]
) -> int:
    """Bytes by which an answer's push would pass WeChat's limit (0: it fits), counted
    with the longest department name (`longest_name`). WeChat refuses a longer message
    outright: the citizen would never get the answer."""
    return _excess(reply_push("20260101-0000", longest_name(departments), text, attachments))


def dispatch_state(complaint: Complaint) -> str:
    """What a dispatcher's page shows of a complaint's dispatching: its status and the
    department handling it (none while queued: the queue shows only a suggestion)."""
    queued = complaint.status is ComplaintStatus.SUBMITTED
    return f"{complaint.status.value}:{'' if queued else complaint.department}"


# the follow-up items a phone survey call can rate: the survey, and the answer (whose
# call may ask the survey's question straight away)
PHONE_RATABLE = ("survey", "reply")


def phone_survey_target(key: str) -> tuple[str, str, int]:
    """(kind, complaint number, round) of a follow-up item a phone call may rate, from
    its dedupe key ("survey:20261128-0013:1"); ("", "", 0) for any other item."""
    kind, _, rest = key.partition(":")
    no, _, round_text = rest.partition(":")
    if kind not in PHONE_RATABLE or not no or not round_text.isdigit():
        return "", "", 0
    return kind, no, int(round_text)


class PhoneRatingRefused(DomainError):
    """A phone rating for a round that is rated already (by the citizen in chat, or by
    another dispatcher's call), or no longer waits for one (closed unrated, withdrawn)."""

    def __init__(self, now: Complaint, round: int) -> None:
        self.complaint = now
        self.round = round
        rating = now.rating if now.rating and now.rating.round == round else None
        self.rating = rating
        self.by = (rating.by or "citizen") if rating else ""
        super().__init__(
            f"round {round} of complaint {now.no} was rated already"
            f" ({rating.satisfaction.value}, by {self.by})"
            if rating
            else f"complaint {now.no} waits for no rating of round {round} "
            f"(now {now.status.value}, round {now.round})"
        )


def rating_event(complaint: Complaint, round: int) -> HistoryEvent | None:
    """The event that rated `round` (the citizen's in chat, or staff's phone call), if
    that round was rated."""
    if complaint.rating is None or complaint.rating.round != round:
        return None
    for event in reversed(complaint.history):
        if event.action in (Action.CLOSE.value, Action.REOPEN.value) and event.actor != "system":
            return event
    return None


class StaleDispatch(DomainError):
    """Another dispatcher dispatched (or a department handed back) the complaint after
    this dispatcher's page was shown."""

    def __init__(self, now: Complaint) -> None:
        moves = [e for e in now.history if e.action in ("dispatch", "transfer")]
        last = moves[-1] if moves else (now.history[-1] if now.history else None)
        self.actor = last.actor if last else ""
        self.department_name = now.department_name
        self.status = now.status
        super().__init__(
            f"complaint {now.no} changed meanwhile (now {now.status.value}"
            f"{', with ' + now.department_name if now.department_name else ''}"
            f"{', by ' + self.actor if self.actor else ''}); check it and dispatch again"
        )


def _missed_limit(c: Complaint, now: datetime) -> bool:
    """The first round's current limit passed before the department responded (accepted
    or answered), while it was in force: it was set before it fell due. A limit that
    was already past when it was set (a mistaken urgency, corrected) was never missed."""
    if c.round != 1 or c.due_at >= now:
        return False
    set_at = max((e.at for e in c.history if e.action in ("submit", "adjust")), default=None)
    responded = min((e.at for e in c.history if e.action in ("accept", "reply")), default=None)
    return (set_at is None or set_at < c.due_at) and (responded is None or responded > c.due_at)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class ComplaintService:
    db: Database
    departments: tuple[Department, ...]
    sla: SlaPolicy
    survey_delay: timedelta
    auto_dispatch_threshold: float = 0.5
    kick: Callable[[], None] = lambda: None  # wake the outbox sender after queueing

    def department(self, code: str) -> Department | None:
        return next((d for d in self.departments if d.code == code), None)

    async def get(self, no: str) -> Complaint:
        doc = await self.db.complaints.get(no)
        if doc is None:
            raise NotFound(no)
        return Complaint.from_dict(doc)

    async def readable(self, account: Account, no: str) -> Complaint:
        """The complaint if this account may read it; NotFound otherwise, so a
        department cannot learn that another department's ticket exists."""
        complaint = await self.get(no)
        if not account.may_read(complaint):
            raise NotFound(no)
        return complaint

    async def photo_for(self, account: Account, photo_id: str) -> Photo | None:
        """A complaint photo, if this account may read the complaint it belongs to."""
        owners = await self.db.complaints.find({"photos": photo_id}, limit=1)
        if not owners or not account.may_read(Complaint.from_dict(owners[0])):
            return None
        return await self.db.photos.get(photo_id)

    async def follow_ups(self, actor: str) -> list[dict[str, str]]:
        """Pushes WeChat would not or will never deliver (outside the 48-hour window,
        unsubscribed, too long, failing) and still wanted, with the number to call.
        The 12345 centre needs it, so reading it is audited."""
        rows = []
        now = _now()
        for item in await self.db.outbox.find(state={"$in": list(NEEDS_CALL)}):
            if item.get("channel") == PHONE and item["run_at"] > now:
                continue  # a phone citizen's survey call, not due yet
            no = item.get("complaint_no", "")
            doc = await self.db.complaints.get(no) if no else None
            if not still_wanted(item.get("payload", {}), doc):
                continue  # e.g. a survey the citizen has answered since: no call needed
            phone = (doc or {}).get("contact_phone", "")
            if phone:
                await self.db.accounts.audit(actor, "read-phone-follow-up", item["dedupe_key"],
                                             _now())  # fmt: skip
            _, _, round = phone_survey_target(item["dedupe_key"])
            rows.append({
                "key": item["dedupe_key"],
                "complaint": no,
                "text": item.get("payload", {}).get("text", ""),
                "contact_phone": phone,
                "last_error": item.get("last_error", ""),
                "channel": item.get("channel", "wechat"),
                # the call may take the citizen's rating down: its round waits for one
                "ratable": bool(round) and doc is not None and doc.get("round") == round
                and doc.get("status") == ComplaintStatus.REPLIED.value,
            })  # fmt: skip
        return rows

    async def follow_up_called(self, key: str, by: str, note: str) -> bool:
        """Staff passed an undelivered push on by phone. What waited for it (the survey
        after an answer) is queued now, as if it had been delivered: else the case
        would wait for a survey that never comes and stay 已答复 for ever."""
        now = _now()
        item = await self.db.outbox.mark_called(key, by, now, note)
        if item is None:
            return False
        no = item.get("complaint_no", "")
        if item["payload"].get("mark") == "survey" and no:
            # the survey was asked on the phone: the case may close unrated in time like
            # any other, and a WeChat reminder after the call would make no sense
            await self.db.complaints.set_fields(no, {"survey_sent_at": now})
            return True
        await enqueue_followers(self.db.outbox, item["openid"], no, item["payload"], now)
        self.kick()
        return True

    async def change(
        self, no: str, mutate: Callable[[Complaint], Complaint], *, attempts: int = 5
    ) -> tuple[Complaint, Complaint]:
        """Apply `mutate` with optimistic concurrency; returns (before, after)."""
        for _ in range(attempts):
            doc = await self.db.complaints.get(no)
            if doc is None:
                raise NotFound(no)
            before = Complaint.from_dict(doc)
            after = mutate(before)  # raises DomainError when not allowed
            if after is before:
                return before, after  # nothing to change: no write, no history event
            try:
                await self.db.complaints.replace({**after.to_dict(), "version": doc["version"]})
            except ComplaintConflict:
                continue
            return before, after
        raise DomainError(f"complaint {no} is changing too often; try again")

    async def push(
        self,
        complaint: Complaint,
        key: str,
        text: str,
        *,
        delay: timedelta = timedelta(0),
        then: list[dict[str, Any]] | None = None,
        only_if: dict[str, Any] | None = None,
        call: bool = False,
    ) -> None:
        """Queue a push to the complaint's citizen. With no WeChat citizen behind it (an
        Open311 or phone-line complaint) there is nobody to push to: what the citizen
        must hear (`call`: the answer, then the survey) goes on the phone follow-up list
        when they left a number; the rest (notices of progress) is dropped."""
        if not complaint.openid and not (call and complaint.contact_phone):
            return
        now = _now()
        payload: dict[str, Any] = {"text": text}
        if then:
            payload["then"] = then
        if only_if:
            payload["only_if"] = only_if
        await self.db.outbox.enqueue(
            dedupe_key=key,
            kind="text",
            openid=complaint.openid,  # none: a phone call (store.outbox.PHONE)
            payload=payload,
            run_at=now + delay,
            now=now,
            complaint_no=complaint.no,
        )
        self.kick()

    def _name(self, code: str) -> str:
        department = self.department(code)
        return department.name if department else code

    async def register(
        self,
        *,
        source_key: str,
        openid: str,
        description: str,
        location: Location,
        category: str = "",
        category_confidence: float | None = None,
        contact_phone: str = "",
        photos: tuple[str, ...] = (),
        kind: ComplaintKind = ComplaintKind.COMPLAINT,
        channel: str = "wechat",
        actor: str = "citizen",
    ) -> Complaint:
        """A new complaint (once per `source_key`): number, time limit, department,
        and straight dispatch when the model was confident."""
        existing = await self.db.complaints.find_by_source(source_key)
        if existing is not None:
            return Complaint.from_dict(existing)
        now = _now()
        urgency = detect_urgency(description)
        department = department_for(category, self.departments)
        complaint = Complaint.submit(
            no=await self.db.complaints.next_number(now),
            openid=openid,
            description=description,
            created_at=now,
            due_at=self.sla.due_at(now, urgency),
            actor=actor,
            kind=kind,
            category=category,
            category_confidence=category_confidence,
            department=department.code if department else "",
            department_name=department.name if department else "",
            location=location,
            contact_phone=contact_phone,
            photos=photos,
            urgency=urgency,
            source_key=source_key,
            channel=channel,
        )
        stored, created = await self.db.complaints.insert(complaint.to_dict())
        registered = Complaint.from_dict(stored)
        if created and registered.kind is ComplaintKind.COMPLAINT:
            try:
                registered = await self.auto_dispatch(registered)
            except DomainError as error:  # the queue takes it; registration stands
                log.warning("auto-dispatch of %s failed: %s", registered.no, error)
        return registered

    # -- staff actions ------------------------------------------------------------------
    async def dispatch(
        self, no: str, code: str, actor: str, reason: str = "", seen: str | None = None
    ) -> Complaint:
        """Send the complaint to a department. `seen` is dispatch_state() as the
        dispatcher's page showed it: when another dispatcher acted since, StaleDispatch
        says who sent it where, rather than the citizen being told of two departments.
        The department it is already with again changes nothing (a second click)."""
        department = self.department(code)
        if department is None:
            raise DomainError(f"unknown department {code!r}")

        def mutate(c: Complaint) -> Complaint:
            if seen is not None and dispatch_state(c) != seen:
                raise StaleDispatch(c)
            if c.status is ComplaintStatus.DISPATCHED and c.department == department.code:
                return c
            return c.apply(
                Action.DISPATCH,
                actor,
                _now(),
                reason or f"派至{department.name}",
                department=department.code,
                department_name=department.name,
            )

        before, after = await self.change(no, mutate)
        if after is before:
            return after
        await self.push(
            after,
            f"dispatched:{no}:{after.round}:{department.code}",
            messages.DISPATCHED.format(no=no, department=department.name),
        )
        return after

    async def auto_dispatch(self, complaint: Complaint) -> Complaint:
        """Dispatch straight away when the model was confident; else leave it to the queue."""
        confidence = complaint.category_confidence or 0.0
        if confidence < self.auto_dispatch_threshold or not complaint.department:
            return complaint
        return await self.dispatch(
            complaint.no, complaint.department, "system", f"自动派单（置信度 {confidence:.2f}）"
        )

    async def accept(self, no: str, actor: str) -> Complaint:
        _, after = await self.change(no, lambda c: c.apply(Action.ACCEPT, actor, _now(), "受理"))
        await self.push(
            after,
            f"accepted:{no}:{after.round}",
            messages.ACCEPTED.format(no=no, department=after.department_name),
        )
        return after

    async def reply(
        self, no: str, text: str, actor: str, attachments: list[dict[str, str]] | None = None
    ) -> Complaint:
        """Answer the citizen; `attachments` are {name, url} links (documents, photos)."""
        now = _now()
        attachments = attachments or []

        def mutate(c: Complaint) -> Complaint:
            answer = {"round": c.round, "text": text, "by": actor, "at": now,
                      "attachments": attachments}  # fmt: skip
            replied = c.apply(Action.REPLY, actor, now, text, replies=(*c.replies, answer))
            if not c.openid and not c.contact_phone:
                # nobody to tell or to ask: the survey window starts now, so the case
                # closes unrated in time like every other instead of staying 已答复
                replied = replace(replied, survey_sent_at=now)
            return replied

        _, after = await self.change(no, mutate)
        r = after.round
        # which problem: a citizen with two cases answered cannot tell them apart by number
        about = after.description[:16] + ("…" if len(after.description) > 16 else "")
        unrated = {"no": no, "round": r, "status": ComplaintStatus.REPLIED.value}
        survey = {
            "dedupe_key": f"survey:{no}:{r}",
            "delay": self.survey_delay.total_seconds(),
            "text": messages.SURVEY.format(no=no, about=about),
            "only_if": unrated,
            "mark": "survey",
            "then": [
                {
                    "dedupe_key": f"survey-reminder:{no}:{r}",
                    "delay": SURVEY_REMINDER_AFTER.total_seconds(),
                    "text": messages.SURVEY_REMINDER.format(no=no, about=about),
                    "only_if": unrated,
                }
            ],
        }
        await self.push(
            after,
            f"reply:{no}:{r}",
            reply_push(no, after.department_name, text, attachments),
            then=[survey],
            call=True,
        )
        return after

    async def ask(self, no: str, text: str, actor: str) -> Complaint:
        """Ask the citizen a question (or for more material) while handling the case:
        an `ask` event, pushed to the citizen, whose answer comes back as a supplement.
        The round stays open and its time limit keeps running. Asking a dispatched case
        accepts it first (two events): the department is evidently handling it, and so
        it has responded in time for 响应率. The same question again by the same clerk
        with nothing in between (a retried request, a second click) changes nothing and
        is not pushed again: each question's push is keyed by its history event."""

        def mutate(c: Complaint) -> Complaint:
            last = c.history[-1] if c.history else None
            if last and (last.action, last.actor, last.reason) == ("ask", actor, text):
                return c
            if not c.openid and not c.contact_phone:
                raise DomainError(f"complaint {no} has no WeChat citizen and no phone to ask")
            now = _now()
            if c.status is ComplaintStatus.DISPATCHED:
                c = c.apply(Action.ACCEPT, actor, now, "受理（向市民提问）")
            return c.apply(Action.ASK, actor, now, text)

        _, after = await self.change(no, mutate)
        event = len(after.history) - 1  # the question: the latest event, retried or not
        # the push is (re)queued under the question's own key: a retry after a crash
        # between the write and the push still sends it, and only once
        await self.push(
            after,
            f"ask:{no}:{after.round}:{event}",
            ask_push(no, after.department_name, text),
            call=True,  # a phone-line citizen is called and asked
        )
        return after

    async def transfer(self, no: str, reason: str, actor: str) -> Complaint:
        _, after = await self.change(
            no,
            lambda c: c.apply(
                Action.TRANSFER, actor, _now(), reason, department="", department_name=""
            ),
        )
        return after

    async def recategorise(self, no: str, category: str, actor: str) -> Complaint:
        """Correct the category. While the complaint waits in the dispatch queue the
        suggested department follows the category; once dispatched, the department
        stays (moving it is a transfer or a new dispatch, which the citizen is told
        about). The same category again changes nothing."""
        department = department_for(category, self.departments)

        def mutate(c: Complaint) -> Complaint:
            if c.category == category:
                return c
            queued = c.status is ComplaintStatus.SUBMITTED and department is not None
            return c.apply(
                Action.RECATEGORISE,
                actor,
                _now(),
                f"{c.category or '未分类'} → {category}",
                category=category,
                # the model's confidence was in the category it suggested, not in this one
                category_confidence=None,
                department=department.code if queued else c.department,
                department_name=department.name if queued else c.department_name,
            )

        before, after = await self.change(no, mutate)
        if before.category != category:
            # staff corrections teach the next model (hotline train --from-store)
            await self.db.db.category_corrections.update_one(
                {"_id": no},
                {"$set": {"text": after.description, "label": category,
                          "previous": before.category, "by": actor, "at": _now()}},
                upsert=True,
            )  # fmt: skip
        return after

    async def set_urgency(self, no: str, urgency: Urgency, actor: str) -> Complaint:
        """Change the urgency, and so the time limit, counted from the start of the
        current round (a reopened complaint's limit runs from its reopening)."""
        now = _now()

        def mutate(c: Complaint) -> Complaint:
            if c.urgency is urgency:
                return c
            due = self.sla.due_at(c.round_started_at, urgency)
            missed = c.missed_due_at
            if missed is None and _missed_limit(c, now):
                missed = c.due_at  # a change after the fact does not make it punctual
            return c.apply(
                Action.ADJUST,
                actor,
                now,
                f"紧急程度调整为{URGENCY_NAMES[urgency]}，"
                f"{describe_limit(self.sla.limit(urgency))}办理",
                urgency=urgency.value,
                due_at=due,
                # Newly past the limit is left to the time-limit job, which also tells
                # the dispatchers and apologises to the citizen; a near-limit warning
                # is re-judged there against the new limit.
                overdue=c.overdue and due < now,
                due_soon=False,
                missed_due_at=missed,
            )

        before, after = await self.change(no, mutate)
        if after.due_at > max(before.due_at, now) and after.status in IN_WORK:
            # the citizen was promised the old limit: tell them the new one (a push per
            # change, so a limit changed back and forth ends with the last one)
            await self.push(
                after,
                f"extended:{no}:{after.round}:{len(after.history)}",
                messages.EXTENDED.format(no=no, due=short_time(after.due_at)),
            )
        return after

    # -- citizen actions ---------------------------------------------------------------
    def _rated(self, c: Complaint, rating: Rating, actor: str, reason: str = "") -> Complaint:
        """The complaint with its current round rated: closed, or (不满意, or not solved)
        reopened for another round. The one rule for a chat rating and a phone one."""
        rated = replace(rating, round=c.round)
        now = _now()
        if rating.satisfaction is Satisfaction.UNSATISFIED or rating.solved is False:
            # the new round has the full limit of the complaint's urgency, from now
            return c.apply(Action.REOPEN, actor, now, reason or rating.comment or "不满意",
                           rating=rated, due_at=self.sla.due_at(now, c.urgency))  # fmt: skip
        return c.apply(Action.CLOSE, actor, now, reason or rating.satisfaction.value, rating=rated)

    async def rate(
        self, no: str, openid: str, rating: Rating, *, actor: str = "citizen"
    ) -> Complaint:
        def mutate(c: Complaint) -> Complaint:
            if c.openid != openid:
                raise DomainError("not this citizen's complaint")
            return self._rated(c, rating, actor)

        # the citizen is answered in chat (dialogs/messages.py): no push needed
        return (await self.change(no, mutate))[1]

    async def rate_by_phone(
        self, key: str, satisfaction: Satisfaction, solved: bool | None, by: str, note: str
    ) -> Complaint:
        """The citizen's verdict, taken down by staff `by` on the call for follow-up `key`
        (the survey, or the answer with the survey asked in the same call): rated as a
        chat rating is (不满意 reopens), the event's actor being `by`, then the item
        leaves the call list. Only the round the item is about, only while it waits for
        a rating: a second submission, or a case the citizen rated in chat meanwhile, is
        refused with PhoneRatingRefused (the version check makes two at once one)."""
        _, no, round = phone_survey_target(key)
        items = await self.db.outbox.find(dedupe_key=key)
        if not items or not no or items[0].get("complaint_no") != no:
            raise NotFound(key)
        rating = Rating(satisfaction, solved, note, round, PHONE_SURVEY, by)
        said = "" if solved is None else "，已解决" if solved else "，未解决"
        # the history says it was a phone call (the event's actor: who took it down)
        reason = PHONE_RATED.format(verdict=satisfaction.value + said,
                                    note=f"（{note}）" if note else "")  # fmt: skip

        def mutate(c: Complaint) -> Complaint:
            if c.rating is not None and c.rating.round == round:
                raise PhoneRatingRefused(c, round)
            if c.round != round or c.status is not ComplaintStatus.REPLIED:
                raise PhoneRatingRefused(c, round)
            return self._rated(c, rating, by, reason)

        _, after = await self.change(no, mutate)
        # the call is made: off the list. What would follow the answer (the survey) is
        # not queued: the survey was just answered.
        await self.db.outbox.mark_called(key, by, _now(), reason)
        return after

    async def record_solved(
        self, no: str, openid: str, round: int, solved: bool, comment: str = ""
    ) -> Complaint:
        """Add whether the problem was solved to the citizen's rating of `round` (the 解决率
        counts it), and the reason said with it ("没有，还是不亮") to the rating's comment.
        Only once and only if the rating does not say already: a repeated or late answer
        changes nothing; the status is not touched."""

        def mutate(c: Complaint) -> Complaint:
            if c.openid != openid:
                raise DomainError("not this citizen's complaint")
            if c.rating is None or c.rating.round != round:
                raise DomainError(f"complaint {no} has no rating for round {round}")
            if c.rating.solved is not None:
                return c
            said = "；".join(part for part in (c.rating.comment, comment) if part)
            return replace(c, rating=replace(c.rating, solved=solved, comment=said))

        return (await self.change(no, mutate))[1]

    # -- jobs --------------------------------------------------------------------------
    async def _notify(self, kind: str, complaint: Complaint, now: datetime) -> None:
        """A dispatcher notification, once per complaint, round and kind."""
        with contextlib.suppress(DuplicateKeyError):
            await self.db.db.notifications.insert_one(
                {
                    "_id": f"{kind}:{complaint.no}:{complaint.round}",
                    "kind": kind,
                    "no": complaint.no,
                    "department": complaint.department,
                    "due_at": complaint.due_at,
                    "at": now,
                }
            )

    async def check_time_limits(self, now: datetime, *, batch: int = 200) -> int:
        """Flag, notify and apologise for what is past its time limit; then warn
        dispatchers of what is near it.

        Past-due cases come first, earliest limit first, in batches until none is left:
        however many cases are merely near their limit, none that has passed it waits.
        A warning is given once (`due_soon`), so only the not yet warned are read again;
        those not near enough yet for their own urgency are paged over, so none starves.
        Every instance runs this: the flags are plain writes and each notification and
        push has a unique key, so two instances flagging one case notify only once."""
        open_states = [s.value for s in IN_WORK]
        flagged = 0
        failed = 0  # still matching after a failed change: page past them
        while True:
            docs = await self.db.complaints.find(
                {"status": {"$in": open_states}, "due_at": {"$lt": now},
                 "overdue": {"$ne": True}},
                limit=batch, skip=failed, sort="due_at", oldest_first=True,
            )  # fmt: skip
            for doc in docs:
                done = await self._overdue(Complaint.from_dict(doc), now)
                flagged += done
                failed += 1 - done
            if len(docs) < batch:
                break
        skip = 0  # near the 24-hour horizon but not yet near their own (shorter) warning
        while True:
            docs = await self.db.complaints.find(
                {"status": {"$in": open_states},
                 "due_at": {"$gte": now, "$lt": now + DUE_SOON_AT_MOST},
                 "overdue": {"$ne": True}, "due_soon": {"$ne": True}},
                limit=batch, skip=skip, sort="due_at", oldest_first=True,
            )  # fmt: skip
            for doc in docs:
                complaint = Complaint.from_dict(doc)
                if complaint.due_at - now > self._warning(complaint):
                    skip += 1
                    continue
                try:
                    _, after = await self.change(complaint.no, lambda c: replace(c, due_soon=True))
                except (NotFound, DomainError):
                    skip += 1
                    continue
                await self._notify("due_soon", after, now)
                flagged += 1
            if len(docs) < batch:
                break
        return flagged

    def _warning(self, complaint: Complaint) -> timedelta:
        """A day before a 7-day limit, a quarter of the time before a 2-hour one."""
        try:
            limit = self.sla.limit(Urgency(complaint.urgency))
        except ValueError:
            limit = self.sla.normal
        return min(DUE_SOON_AT_MOST, limit / 4)

    async def _overdue(self, complaint: Complaint, now: datetime) -> int:
        try:
            _, after = await self.change(complaint.no, lambda c: replace(c, overdue=True))
        except (NotFound, DomainError):
            return 0
        await self._notify("overdue", after, now)
        await self.push(
            after,
            f"overdue:{after.no}:{after.round}",
            messages.OVERDUE.format(no=after.no, department=after.department_name or "承办部门"),
        )
        return 1

    async def notifications(
        self,
        limit: int = 100,
        *,
        skip: int = 0,
        kind: str | None = None,
        nos: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Time-limit warnings, newest first; of one `kind`, about the complaints `nos`."""
        if nos == []:
            return []  # (the embedded server cannot run an empty `$in`)
        cursor = self.db.db.notifications.find(_notification_filter(kind, nos))
        return await cursor.sort("at", -1).skip(skip).limit(limit).to_list()

    async def count_notifications(
        self, *, kind: str | None = None, nos: list[str] | None = None
    ) -> int:
        if nos == []:
            return 0
        return await self.db.db.notifications.count_documents(_notification_filter(kind, nos))

    async def close_unrated(self, now: datetime) -> int:
        """Seven days after the survey without an answer, close as not rated."""
        docs = await self.db.complaints.find(
            {
                "status": ComplaintStatus.REPLIED.value,
                # $ne null: the embedded server orders null before dates, MongoDB does not match
                "survey_sent_at": {"$ne": None, "$lt": now - SURVEY_CLOSE_AFTER},
            },
            limit=200,
        )
        closed = 0
        for doc in docs:
            try:
                await self.change(
                    doc["no"], lambda c: c.apply(Action.CLOSE, "system", now, "未评价，自动办结")
                )
                closed += 1
            except (NotFound, DomainError):
                continue
        return closed


def _notification_filter(kind: str | None, nos: list[str] | None) -> dict[str, Any]:
    query: dict[str, Any] = {}
    if kind:
        query["kind"] = kind
    if nos is not None:
        query["no"] = {"$in": nos}
    return query
