"""In-memory Ports for engine unit tests (the real ones are exercised end to end)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import resources

from dialogs.ports import ComplaintDraft, KnowledgeAnswer, NotAllowed, PortError
from models.complaint import (
    Action,
    Complaint,
    ComplaintStatus,
    DomainError,
    Rating,
    Satisfaction,
)
from models.departments import CategorySuggestion, default_departments, department_for
from models.sla import SlaPolicy, detect_urgency


def shipped_knowledge() -> list[dict[str, object]]:
    text = resources.files("dialogs").joinpath("data/knowledge.json").read_text("utf-8")
    return json.loads(text)


def keyword_answer(entries: list[dict[str, object]], text: str) -> KnowledgeAnswer | None:
    """A crude stand-in for the bot's TF-IDF retrieval: most keywords contained wins."""
    best, best_score = None, 0
    for entry in entries:
        score = sum(str(word) in text for word in entry["keywords"])  # type: ignore[attr-defined]
        if score > best_score:
            best, best_score = entry, score
    if best is None:
        return None
    return KnowledgeAnswer(str(best["question"]), str(best["answer"]), min(1.0, best_score / 2))


@dataclass
class FakePorts:
    suggestion: CategorySuggestion | None = None
    registered: list[ComplaintDraft] = field(default_factory=list)
    complaints: dict[str, Complaint] = field(default_factory=dict)
    photos: list[str] = field(default_factory=list)
    broken_media: set[str] = field(default_factory=set)
    knowledge: list[dict[str, object]] = field(default_factory=shipped_knowledge)
    down: bool = False  # every write raises PortError, as when the database is unreachable
    solved_calls: int = 0  # record_solved calls, answered or not
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 28, 2, 0, tzinfo=UTC))

    async def suggest_category(self, text: str) -> CategorySuggestion | None:
        return self.suggestion

    async def register_complaint(self, draft: ComplaintDraft) -> Complaint:
        if self.down:
            raise PortError("database unreachable")
        for complaint in self.complaints.values():
            if complaint.source_key == draft.draft_id:
                return complaint
        self.registered.append(draft)
        no = f"20261128-{len(self.complaints) + 1:04d}"
        department = department_for(draft.category, default_departments())
        complaint = Complaint.submit(
            no=no,
            openid=draft.openid,
            description=draft.description,
            created_at=self.now,
            due_at=SlaPolicy().due_at(self.now, detect_urgency(draft.description)),
            category=draft.category,
            department=department.code if department else "",
            department_name=department.name if department else "",
            location=draft.location,
            contact_phone=draft.contact_phone,
            photos=draft.photos,
            source_key=draft.draft_id,
            kind=draft.kind,
        )
        self.complaints[no] = complaint
        return complaint

    async def get_complaint(self, no: str) -> Complaint | None:
        return self.complaints.get(no)

    async def list_complaints(self, openid: str, limit: int) -> list[Complaint]:
        mine = [c for c in self.complaints.values() if c.openid == openid]
        return sorted(mine, key=lambda c: c.no, reverse=True)[:limit]

    def _mine(self, no: str, openid: str) -> Complaint:
        complaint = self.complaints.get(no)
        if complaint is None or complaint.openid != openid:
            raise PortError(no)
        return complaint

    async def supplement_complaint(self, no: str, openid: str, text: str) -> Complaint:
        complaint = self._mine(no, openid)
        try:
            updated = complaint.apply(Action.SUPPLEMENT, "citizen", self.now, text)
        except DomainError as error:
            raise NotAllowed("该诉求已办结") from error
        self.complaints[no] = updated
        return updated

    async def add_photo(self, no: str, openid: str, photo_id: str) -> Complaint:
        complaint = self._mine(no, openid)
        try:
            updated = complaint.apply(Action.SUPPLEMENT, "citizen", self.now, "补充照片")
        except DomainError as error:
            raise NotAllowed("该诉求已办结") from error
        updated = replace(updated, photos=(*updated.photos, photo_id))
        self.complaints[no] = updated
        return updated

    async def withdraw_complaint(self, no: str, openid: str, reason: str = "") -> Complaint:
        complaint = self._mine(no, openid)
        try:
            updated = complaint.apply(Action.WITHDRAW, "citizen", self.now, reason)
        except DomainError as error:
            raise NotAllowed("部门已答复的诉求不能撤回") from error
        self.complaints[no] = updated
        return updated

    async def store_photo(self, openid: str, media_id: str) -> str:
        if media_id in self.broken_media:
            raise PortError("media expired")
        photo_id = f"photo-{media_id}"
        self.photos.append(photo_id)
        return photo_id

    async def answer_question(self, text: str) -> KnowledgeAnswer | None:
        return keyword_answer(self.knowledge, text)

    async def pending_survey(self, openid: str) -> Complaint | None:
        for complaint in await self.list_complaints(openid, 10):
            if complaint.status is ComplaintStatus.REPLIED:
                return complaint
        return None

    async def rate_complaint(self, no: str, openid: str, rating: Rating) -> Complaint:
        complaint = self._mine(no, openid)
        unsatisfied = rating.satisfaction is Satisfaction.UNSATISFIED or rating.solved is False
        action = Action.REOPEN if unsatisfied else Action.CLOSE
        updated = complaint.apply(action, "citizen", self.now, rating.comment, rating=rating)
        self.complaints[no] = updated
        return updated

    async def record_solved(
        self, no: str, openid: str, round: int, solved: bool, comment: str = ""
    ) -> Complaint:
        self.solved_calls += 1
        complaint = self._mine(no, openid)
        rating = complaint.rating
        if rating is None or rating.round != round:
            raise PortError(no)
        if rating.solved is None:
            said = "；".join(part for part in (rating.comment, comment) if part)
            complaint = replace(complaint, rating=replace(rating, solved=solved, comment=said))
            self.complaints[no] = complaint
        return complaint

    def set_status(self, no: str, status: ComplaintStatus) -> None:
        self.complaints[no] = replace(self.complaints[no], status=status)

    def later(self, minutes: int) -> datetime:
        self.now = self.now + timedelta(minutes=minutes)
        return self.now
