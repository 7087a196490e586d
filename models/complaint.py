"""The complaint and its lifecycle.

    submitted --dispatch--> dispatched --accept--> accepted --reply--> replied --close--> closed
    dispatched --reply--> replied            (a quick answer needs no separate accept)
    dispatched|accepted --transfer--> submitted   (back to the dispatcher queue)
    accepted --ask--> accepted   (a question to the citizen; asking a dispatched case
                                  accepts it first)
    replied|closed --reopen--> dispatched          (round + 1, supervised)
    submitted|dispatched|accepted --withdraw--> withdrawn   (only before a reply)

Transitions are a table, not scattered ifs: `Complaint.apply` looks the action
up, refuses anything not in it with `IllegalTransition`, and records who, when
and why in the history. Field names follow the API contract.

Decisions worth knowing:
- `transfer` is a department saying "not ours": the complaint goes back to the
  dispatcher queue (`submitted`) without a department, rather than straight to
  another department, because only a dispatcher decides who handles what.
- `reopen` is allowed from `replied` (an unsatisfied rating) and from `closed`
  (a late complaint after auto-close); it goes back to `dispatched` with the
  same department, `round + 1` and `supervised`, as Beijing's 接诉即办 does.
- `ask` is the department asking the citizen a question or for more material
  while it handles the case; the citizen's answer is a `supplement`. The round
  stays open and its time limit keeps running.
- `supplement`, `ask`, `recategorise` and `adjust` change no status but are still
  table entries, so "which actions are allowed when" has one answer.
- `submit` has no row: a complaint is created submitted by `Complaint.submit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from models.sla import Urgency


class ComplaintStatus(StrEnum):
    SUBMITTED = "submitted"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    REPLIED = "replied"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# Where the department still owes an answer: the time limit runs only here.
IN_WORK = (ComplaintStatus.SUBMITTED, ComplaintStatus.DISPATCHED, ComplaintStatus.ACCEPTED)


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"
    CONSULTATION = "consultation"


class Action(StrEnum):
    SUBMIT = "submit"  # creation only: see Complaint.submit
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    REPLY = "reply"
    TRANSFER = "transfer"  # the department hands it back to the dispatch queue
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    SUPPLEMENT = "supplement"  # the citizen adds information: no status change
    ASK = "ask"  # the department asks the citizen (a question, more material): no status change
    RECATEGORISE = "recategorise"
    ADJUST = "adjust"  # urgency or time limit changed by a dispatcher


S = ComplaintStatus
_ANY_OPEN = (S.SUBMITTED, S.DISPATCHED, S.ACCEPTED, S.REPLIED)
TRANSITIONS: dict[Action, dict[ComplaintStatus, ComplaintStatus]] = {
    Action.SUBMIT: {},
    Action.DISPATCH: {S.SUBMITTED: S.DISPATCHED, S.DISPATCHED: S.DISPATCHED},
    Action.ACCEPT: {S.DISPATCHED: S.ACCEPTED},
    Action.REPLY: {S.DISPATCHED: S.REPLIED, S.ACCEPTED: S.REPLIED},
    Action.TRANSFER: {S.DISPATCHED: S.SUBMITTED, S.ACCEPTED: S.SUBMITTED},
    Action.CLOSE: {S.REPLIED: S.CLOSED},
    Action.REOPEN: {S.REPLIED: S.DISPATCHED, S.CLOSED: S.DISPATCHED},
    Action.WITHDRAW: {S.SUBMITTED: S.WITHDRAWN, S.DISPATCHED: S.WITHDRAWN, S.ACCEPTED: S.WITHDRAWN},
    Action.SUPPLEMENT: {status: status for status in _ANY_OPEN},
    Action.ASK: {S.ACCEPTED: S.ACCEPTED},
    # a wrong category is often noticed while the case is handled, or after: correcting
    # it then still fixes the statistics and teaches the next model
    Action.RECATEGORISE: {
        status: status for status in (S.SUBMITTED, S.DISPATCHED, S.ACCEPTED, S.REPLIED, S.CLOSED)
    },
    Action.ADJUST: {status: status for status in (S.SUBMITTED, S.DISPATCHED, S.ACCEPTED)},
}

STATUS_LABELS = {
    S.SUBMITTED: "已登记，等待派单",
    S.DISPATCHED: "已派发承办部门",
    S.ACCEPTED: "部门已受理，正在办理",
    S.REPLIED: "部门已答复",
    S.CLOSED: "已办结",
    S.WITHDRAWN: "已撤回",
}


class DomainError(Exception):
    """A request the domain refuses; the message is safe to show staff."""


class IllegalTransition(DomainError):
    def __init__(self, action: Action, status: ComplaintStatus) -> None:
        super().__init__(f"cannot {action.value} a complaint that is {status.value}")
        self.action = action
        self.status = status


class Satisfaction(StrEnum):
    SATISFIED = "满意"
    BASICALLY = "基本满意"
    UNSATISFIED = "不满意"


@dataclass(frozen=True, slots=True)
class Location:
    text: str = ""
    district: str = ""
    lat: float | None = None
    lng: float | None = None

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"text": self.text, "district": self.district}
        if self.lat is not None and self.lng is not None:
            doc["lat"], doc["lng"] = self.lat, self.lng
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any] | None) -> Location:
        doc = doc or {}
        return cls(doc.get("text", ""), doc.get("district", ""), doc.get("lat"), doc.get("lng"))


# Rating.channel of a rating staff took down on a phone survey call
PHONE_SURVEY = "phone"


@dataclass(frozen=True, slots=True)
class Rating:
    satisfaction: Satisfaction
    solved: bool | None = None
    comment: str = ""
    round: int = 1
    # Who took the rating down when it was not the citizen in chat: a phone survey call
    # (`channel` PHONE_SURVEY, `by` the staff account). Empty for a chat rating, and
    # then left out of the document, so chat ratings are stored as they always were.
    channel: str = ""
    by: str = ""

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "satisfaction": self.satisfaction.value,
            "solved": self.solved,
            "comment": self.comment,
            "round": self.round,
        }
        if self.channel:
            doc |= {"channel": self.channel, "by": self.by}
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any] | None) -> Rating | None:
        if not doc:
            return None
        return cls(
            Satisfaction(doc["satisfaction"]),
            doc.get("solved"),
            doc.get("comment", ""),
            doc.get("round", 1),
            doc.get("channel", ""),
            doc.get("by", ""),
        )


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    at: datetime
    actor: str  # "citizen", "system", or a staff account name
    action: str
    from_status: str
    to_status: str
    reason: str = ""
    # The department code a dispatch sent the case to, or a transfer took it back from.
    # Recorded, not read from `reason`: a dispatcher's own note or an automatic
    # dispatch names no department there. Empty for other events and older records.
    department: str = ""

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "reason": self.reason,
        }
        if self.department:  # only the events that concern a department carry it
            doc["department"] = self.department
        return doc

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> HistoryEvent:
        return cls(
            doc["at"],
            doc["actor"],
            doc["action"],
            doc["from_status"],
            doc["to_status"],
            doc.get("reason", ""),
            doc.get("department") or "",
        )


@dataclass(frozen=True, slots=True)
class Complaint:
    no: str
    openid: str
    description: str
    created_at: datetime
    due_at: datetime
    status: ComplaintStatus = ComplaintStatus.SUBMITTED
    round: int = 1
    kind: ComplaintKind = ComplaintKind.COMPLAINT
    category: str = ""
    category_confidence: float | None = None
    department: str = ""  # the handling department's code
    department_name: str = ""
    location: Location = field(default_factory=Location)
    contact_phone: str = ""
    photos: tuple[str, ...] = ()
    urgency: Urgency = Urgency.NORMAL
    supervised: bool = False
    rating: Rating | None = None
    history: tuple[HistoryEvent, ...] = ()
    source_key: str = ""
    channel: str = "wechat"
    replies: tuple[dict[str, Any], ...] = ()  # {round, text, by, at}, oldest first
    survey_sent_at: datetime | None = None
    overdue: bool = False
    due_soon: bool = False  # close to its time limit: dispatchers are warned
    # The first round's limit that passed unanswered before the urgency was changed:
    # the answer stays late in the statistics however far the limit was moved after.
    missed_due_at: datetime | None = None

    def __post_init__(self) -> None:
        # Callers (and old documents) pass plain strings; keep the enums honest.
        object.__setattr__(self, "status", ComplaintStatus(self.status))
        object.__setattr__(self, "kind", ComplaintKind(self.kind))
        object.__setattr__(self, "urgency", Urgency(self.urgency))

    @classmethod
    def submit(
        cls,
        *,
        no: str,
        openid: str,
        description: str,
        created_at: datetime,
        due_at: datetime,
        actor: str = "citizen",
        **fields: Any,
    ) -> Complaint:
        """A new complaint, with its submission as the first history event."""
        event = HistoryEvent(
            created_at, actor, Action.SUBMIT.value, "", ComplaintStatus.SUBMITTED.value
        )
        return cls(
            no=no,
            openid=openid,
            description=description,
            created_at=created_at,
            due_at=due_at,
            status=ComplaintStatus.SUBMITTED,
            history=(event,),
            **fields,
        )

    @property
    def is_open(self) -> bool:
        return self.status not in (ComplaintStatus.CLOSED, ComplaintStatus.WITHDRAWN)

    def past_due(self, now: datetime) -> bool:
        """超期: flagged by the time-limit sweep, or still in work with its limit passed.
        The sweep (which notifies and apologises) runs every few seconds at best, so a
        case must not read as 临期 in between. store.complaints.overdue_filter is the same
        rule as a query: lists, counts and filters agree with what a row shows."""
        return self.overdue or (self.status in IN_WORK and self.due_at < now)

    def near_due(self, now: datetime) -> bool:
        """临期: warned by the sweep as close to its limit, and not 超期 (the warning's flag
        stays once the limit passes; a case is one or the other, never both).
        store.complaints.due_soon_filter is the same rule as a query."""
        return self.due_soon and not self.past_due(now)

    @property
    def held_by_department(self) -> bool:
        """Whether `department` names who holds (or last held) the complaint rather
        than the model's suggestion: not while it waits for dispatch, nor after the
        citizen withdrew it while it waited (the department never had it)."""
        if self.status is ComplaintStatus.SUBMITTED:
            return False
        if self.status is ComplaintStatus.WITHDRAWN:
            withdrawn = [e for e in self.history if e.action == Action.WITHDRAW.value]
            return not withdrawn or withdrawn[-1].from_status != ComplaintStatus.SUBMITTED.value
        return True

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def round_started_at(self) -> datetime:
        """When the current round began: registration, or the citizen's latest reopening.
        A round's time limit counts from here."""
        for event in reversed(self.history):
            if event.action == Action.REOPEN.value:
                return event.at
        return self.created_at

    @property
    def open_question(self) -> HistoryEvent | None:
        """The department's latest question to the citizen (`ask`) while it still
        handles the case in this round; None when there is none or it was answered
        (replied), handed back or the round ended."""
        if self.status is not ComplaintStatus.ACCEPTED:
            return None
        for event in reversed(self.history):
            if event.action == Action.ASK.value:
                return event
            if event.action in (Action.REOPEN.value, Action.DISPATCH.value, Action.TRANSFER.value):
                return None
        return None

    def apply(
        self, action: Action, actor: str, at: datetime, reason: str = "", **changes: Any
    ) -> Complaint:
        """The complaint after `action`, with the event in its history.

        `changes` are other fields set in the same step (the department on
        dispatch, the rating on close), so one history event covers them. A dispatch's
        event records the department it sends the case to, a transfer's the department
        handing it back (the one holding it until now: the transfer clears it).
        """
        try:
            action = Action(action)
        except ValueError:
            raise DomainError(f"unknown action {action!r}") from None
        target = TRANSITIONS[action].get(self.status)
        if target is None:
            raise IllegalTransition(action, self.status)
        concerns = ""
        if action is Action.DISPATCH:
            concerns = changes.get("department", self.department)
        elif action is Action.TRANSFER:
            concerns = self.department
        event = HistoryEvent(
            at, actor, action.value, self.status.value, target.value, reason, concerns
        )
        if action is Action.REOPEN:
            # A new round: the same time limit again, from now, and last round's
            # overdue/near-limit flags gone (else the time-limit job, which skips
            # flagged complaints, would never warn or escalate this round).
            changes = {
                "round": self.round + 1,
                "supervised": True,
                "survey_sent_at": None,
                "due_at": at + (self.due_at - self.round_started_at),
                "overdue": False,
                "due_soon": False,
                **changes,
            }
        return replace(self, status=target, history=(*self.history, event), **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "openid": self.openid,
            "description": self.description,
            "created_at": self.created_at,
            "due_at": self.due_at,
            "status": self.status.value,
            "round": self.round,
            "kind": self.kind.value,
            "category": self.category,
            "category_confidence": self.category_confidence,
            "department": self.department,
            "department_name": self.department_name,
            "location": self.location.to_dict(),
            "contact_phone": self.contact_phone,
            "photos": list(self.photos),
            "urgency": self.urgency.value,
            "supervised": self.supervised,
            "rating": self.rating.to_dict() if self.rating else None,
            "history": [event.to_dict() for event in self.history],
            "source_key": self.source_key,
            "channel": self.channel,
            "replies": list(self.replies),
            "survey_sent_at": self.survey_sent_at,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "missed_due_at": self.missed_due_at,
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Complaint:
        return cls(
            no=doc["no"],
            openid=doc.get("openid", ""),
            description=doc.get("description", ""),
            created_at=doc["created_at"],
            due_at=doc["due_at"],
            status=ComplaintStatus(doc.get("status", "submitted")),
            round=doc.get("round", 1),
            kind=ComplaintKind(doc.get("kind", "complaint")),
            category=doc.get("category", ""),
            category_confidence=doc.get("category_confidence"),
            department=doc.get("department", ""),
            department_name=doc.get("department_name", ""),
            location=Location.from_dict(doc.get("location")),
            contact_phone=doc.get("contact_phone", ""),
            photos=tuple(doc.get("photos", ())),
            urgency=doc.get("urgency", "normal"),
            supervised=doc.get("supervised", False),
            rating=Rating.from_dict(doc.get("rating")),
            history=tuple(HistoryEvent.from_dict(e) for e in doc.get("history", ())),
            source_key=doc.get("source_key", ""),
            channel=doc.get("channel", "wechat"),
            replies=tuple(doc.get("replies", ())),
            survey_sent_at=doc.get("survey_sent_at"),
            overdue=doc.get("overdue", False),
            due_soon=doc.get("due_soon", False),
            missed_due_at=doc.get("missed_due_at"),
        )


_MOBILE = re.compile(r"^(1[3-9]\d)\d{4}(\d{4})$")


def mask_phone(phone: str) -> str:
    """138****5678 for mobiles; landlines keep area code and last four digits."""
    digits = re.sub(r"\D", "", phone)
    if match := _MOBILE.match(digits):
        return f"{match.group(1)}****{match.group(2)}"
    if len(digits) >= 7:
        return digits[:3] + "****" + digits[-4:]
    return "****" if digits else ""
