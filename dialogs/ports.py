"""What the dialog engine needs from the world, and nothing more.

The bot layer implements these over the store, the classifier and the WeChat
API; the unit tests implement them in memory. Every method may raise
`PortError` with a reason the engine turns into a polite message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from models.complaint import Complaint, ComplaintKind, Location, Rating
from models.departments import CategorySuggestion


class PortError(Exception):
    """The world could not do it (media expired, database busy, ...)."""


class NotAllowed(PortError):
    """The citizen may not do this to that complaint (not theirs, already answered, ...)."""


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    """A confirmed form, ready to register. `draft_id` makes registration idempotent."""

    draft_id: str
    openid: str
    description: str
    location: Location = field(default_factory=Location)
    category: str = ""
    category_confidence: float | None = None
    contact_phone: str = ""
    photos: tuple[str, ...] = ()
    kind: ComplaintKind = ComplaintKind.COMPLAINT


@dataclass(frozen=True, slots=True)
class KnowledgeAnswer:
    question: str
    answer: str
    score: float


class Ports(Protocol):
    async def suggest_category(self, text: str) -> CategorySuggestion | None:
        """The model's suggestion, or None when no model is available."""
        ...

    async def register_complaint(self, draft: ComplaintDraft) -> Complaint:
        """Register a confirmed draft: the adapter allocates the ticket number, the
        urgency and due date, and the department for the category (the engine
        decides none of these). Idempotent: the same `draft_id` returns the
        complaint registered first. A consultation is a draft with
        `kind=CONSULTATION`."""
        ...

    async def get_complaint(self, no: str) -> Complaint | None:
        """The complaint with that ticket number, or None; the engine checks the owner."""
        ...

    async def list_complaints(self, openid: str, limit: int) -> list[Complaint]:
        """The citizen's latest complaints, newest first."""
        ...

    async def supplement_complaint(self, no: str, openid: str, text: str) -> Complaint:
        """Add the citizen's text to the complaint's history (no status change).

        `NotAllowed` when it is closed or withdrawn; `PortError` when it is not theirs.
        """
        ...

    async def add_photo(self, no: str, openid: str, photo_id: str) -> Complaint:
        """Attach a photo kept by `store_photo` to the citizen's open complaint (its
        `photos`, and a history entry; no status change): evidence sent after registering
        or after a reopening.

        `NotAllowed` when it is closed or withdrawn; `PortError` when it is not theirs.
        """
        ...

    async def withdraw_complaint(self, no: str, openid: str, reason: str = "") -> Complaint:
        """Withdraw it, with what the citizen said of why ("灯已经修好了", '' when
        nothing) on its history event for staff; `NotAllowed` once a department has
        replied."""
        ...

    async def store_photo(self, openid: str, media_id: str) -> str:
        """Fetch the media now (ids expire) and keep it; returns the photo id."""
        ...

    async def answer_question(self, text: str) -> KnowledgeAnswer | None:
        """The best knowledge-base entry for a question about the service, or None
        when nothing matches well enough (the engine then offers a consultation ticket)."""
        ...

    async def pending_survey(self, openid: str) -> Complaint | None:
        """The citizen's answered complaint that still waits for a rating, if any."""
        ...

    async def rate_complaint(self, no: str, openid: str, rating: Rating) -> Complaint:
        """Record the rating: satisfied closes, unsatisfied reopens for another round."""
        ...

    async def record_solved(
        self, no: str, openid: str, round: int, solved: bool, comment: str = ""
    ) -> Complaint:
        """Whether the problem was solved, the answer to the survey's follow-up question,
        added to the citizen's rating of `round` when it does not say yet (once), with
        what the citizen said after the yes or no ("没有，还是不亮") added to its comment."""
        ...
