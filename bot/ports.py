"""The dialog engine's ports, implemented over the store, the knowledge index
and the WeChat API."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from pymongo.errors import PyMongoError

from bot.complaints import ComplaintService, NotFound
from bot.model_holder import ModelHolder
from bot.wechat_api import WeChatAPI, WeChatError, with_retries
from classifier.retrieval import Entry, KnowledgeIndex
from classifier.tokenize import tokenize
from dialogs.ports import ComplaintDraft, KnowledgeAnswer, NotAllowed, PortError
from models.complaint import (
    Action,
    Complaint,
    ComplaintStatus,
    DomainError,
    IllegalTransition,
    Rating,
)
from models.departments import CategorySuggestion
from store.database import Database

log = logging.getLogger(__name__)

# The note of a citizen's withdrawal in the complaint's history, as staff read it
WITHDRAWN = "市民撤回"
WITHDRAWN_BECAUSE = "市民撤回：{reason}"


def shipped_knowledge() -> list[dict[str, Any]]:
    text = resources.files("dialogs").joinpath("data/knowledge.json").read_text("utf-8")
    return json.loads(text)


@dataclass(slots=True)
class KnowledgeCache:
    """The retrieval index, rebuilt only when an admin changes the knowledge base."""

    db: Database
    _version: Any = None
    _index: KnowledgeIndex | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def index(self) -> KnowledgeIndex:
        async with self._lock:
            version = await self.db.knowledge.version()
            if self._index is None or version != self._version:
                docs = await self.db.knowledge.all()
                entries = [
                    Entry(d["id"], d["question"], d["answer"], tuple(d.get("keywords", ())))
                    for d in docs
                ]
                # jieba's first load takes ~1 s: keep it off the event loop
                self._index = await asyncio.to_thread(KnowledgeIndex, entries, tokenize)
                self._version = version
            return self._index


@dataclass(slots=True)
class StorePorts:
    """The ports for one chat turn (`for_turn`): several steps of a turn ask for the
    citizen's complaints, and one read serves them all until the turn itself changes
    one. Never kept across turns: a department's reply, or what the citizen's last
    message changed, would go unseen."""

    api: WeChatAPI
    knowledge: KnowledgeCache
    models: ModelHolder
    complaints: ComplaintService
    # openid -> (the limit read with, what it returned), newest first
    _recent: dict[str, tuple[int, list[Complaint]]] = field(default_factory=dict, repr=False)

    def for_turn(self) -> StorePorts:
        """Fresh ports for one turn, sharing the knowledge index and the model."""
        return StorePorts(self.api, self.knowledge, self.models, self.complaints)

    @property
    def db(self) -> Database:
        return self.complaints.db

    def _changed(self) -> None:
        """The turn wrote a complaint (or may have: a timed-out write can still land):
        the next list is read again. One turn is one citizen's, so all of it goes."""
        self._recent.clear()

    async def suggest_category(self, text: str) -> CategorySuggestion | None:
        model = self.models.model
        if model is None:
            return None  # no model yet: the engine falls back to keywords
        prediction = model.predict(text)  # ~1 ms, warm: fine on the loop
        return CategorySuggestion(
            prediction.category, prediction.confidence, prediction.top, prediction.uncertain
        )

    async def register_complaint(self, draft: ComplaintDraft) -> Complaint:
        try:
            return await self.complaints.register(
                source_key=draft.draft_id,
                openid=draft.openid,
                description=draft.description,
                location=draft.location,
                category=draft.category,
                category_confidence=draft.category_confidence,
                contact_phone=draft.contact_phone,
                photos=draft.photos,
                kind=draft.kind,
            )
        except PyMongoError as error:
            raise PortError(str(error)) from error
        finally:
            self._changed()

    async def get_complaint(self, no: str) -> Complaint | None:
        doc = await self.db.complaints.get(no)
        return Complaint.from_dict(doc) if doc else None

    async def list_complaints(self, openid: str, limit: int) -> list[Complaint]:
        if limit <= 0:
            return await self._read_complaints(openid, limit)  # 0: the database's "all"
        held = self._recent.get(openid)
        # a read that returned fewer than it asked for has them all: no larger re-read
        if held is None or (limit > held[0] and len(held[1]) == held[0]):
            held = limit, await self._read_complaints(openid, limit)
            self._recent[openid] = held
        return held[1][:limit]

    async def _read_complaints(self, openid: str, limit: int) -> list[Complaint]:
        return [Complaint.from_dict(d) for d in await self.db.complaints.list_for(openid, limit)]

    async def _citizen_change(
        self,
        no: str,
        openid: str,
        action: Action,
        reason: str,
        refusal: str,
        *,
        photo: str = "",
    ) -> Complaint:
        def mutate(complaint: Complaint) -> Complaint:
            if complaint.openid != openid:
                raise NotFound(no)
            if photo in complaint.photos:
                return complaint  # a retried message: attached already, nothing to record
            changes = {"photos": (*complaint.photos, photo)} if photo else {}
            try:
                return complaint.apply(action, "citizen", datetime.now(UTC), reason, **changes)
            except IllegalTransition as error:
                raise NotAllowed(refusal) from error

        try:
            return (await self.complaints.change(no, mutate))[1]
        except (NotFound, DomainError, PyMongoError) as error:
            raise PortError(str(error)) from error
        finally:
            self._changed()

    async def supplement_complaint(self, no: str, openid: str, text: str) -> Complaint:
        return await self._citizen_change(
            no, openid, Action.SUPPLEMENT, text, "该诉求已办结，请重新反映"
        )

    async def add_photo(self, no: str, openid: str, photo_id: str) -> Complaint:
        return await self._citizen_change(
            no, openid, Action.SUPPLEMENT, "补充照片", "该诉求已办结，请重新反映", photo=photo_id
        )

    async def withdraw_complaint(self, no: str, openid: str, reason: str = "") -> Complaint:
        # the citizen's why goes on the event's note, where staff read the history (case
        # page, API); older withdrawals, and ones without a why, read "市民撤回" as ever
        note = WITHDRAWN_BECAUSE.format(reason=reason) if reason.strip() else WITHDRAWN
        return await self._citizen_change(
            no, openid, Action.WITHDRAW, note, "部门已答复或已办结的诉求不能撤回"
        )

    async def pending_survey(self, openid: str) -> Complaint | None:
        """The citizen's latest answered complaint still waiting for a rating."""
        for complaint in await self.list_complaints(openid, 10):
            if complaint.status is ComplaintStatus.REPLIED:
                return complaint
        return None

    async def rate_complaint(self, no: str, openid: str, rating: Rating) -> Complaint:
        try:
            return await self.complaints.rate(no, openid, rating)
        except (NotFound, DomainError, PyMongoError) as error:
            raise PortError(str(error)) from error
        finally:
            self._changed()

    async def record_solved(
        self, no: str, openid: str, round: int, solved: bool, comment: str = ""
    ) -> Complaint:
        try:
            return await self.complaints.record_solved(no, openid, round, solved, comment)
        except (NotFound, DomainError, PyMongoError) as error:
            raise PortError(str(error)) from error
        finally:
            self._changed()

    async def store_photo(self, openid: str, media_id: str) -> str:
        try:
            media = await with_retries(lambda: self.api.get_media(media_id))
            return await self.db.photos.put(
                media.content,
                media.content_type,
                openid=openid,
                media_id=media_id,
                now=datetime.now(UTC),
            )
        except (WeChatError, PyMongoError) as error:
            log.warning("photo %s not stored: %s", media_id, error)
            raise PortError(str(error)) from error

    async def answer_question(self, text: str) -> KnowledgeAnswer | None:
        index = await self.knowledge.index()
        match = index.answer(text)
        if match is None:
            return None
        return KnowledgeAnswer(match.entry.question, match.entry.answer, match.score)
