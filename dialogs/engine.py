"""The conversation engine: (session, inbound message) -> replies + new session.

Order of handling for each message, the same in every state:

1. events and non-text messages (subscribe, menu clicks, photos, locations,
   voice without recognition, video/link);
2. an idle draft that timed out is offered for resumption first (继续 / 重新开始);
3. cancel, then side requests that are answered and return to the pending
   question (survey answer, help, withdraw, 补充, status query, my complaints,
   a question the knowledge base knows);
4. a correction of a slot ("地址改成…", "不是这个类别", "修改");
5. the answer to the pending question, validated by the form's `validate_<slot>`;
6. with no form: a problem description starts the complaint form pre-filled.

The engine never touches storage or WeChat: it talks to the world through
`Ports` and returns a new `Session`; the input session is never mutated.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import MAX_PHOTOS, MIN_DESCRIPTION, ComplaintForm, keyword_category
from dialogs.extract import find_district, find_ticket, meaningful_length
from dialogs.ports import ComplaintDraft, NotAllowed, PortError, Ports
from dialogs.session import COMPLAINT_FORM, Session
from dialogs.survey import SurveyAnswer, parse_survey
from models.complaint import Complaint, ComplaintKind, ComplaintStatus, Location, Rating
from models.departments import DEFAULT_CATEGORIES, CategorySuggestion
from models.inbound import Inbound, InboundKind
from models.sla import describe_limit

BEIJING_OFFSET = timedelta(hours=8)
SILENT_KINDS = frozenset(
    {
        InboundKind.UNSUBSCRIBE,
        InboundKind.REPORT_LOCATION,
        InboundKind.VIEW,
        InboundKind.TEMPLATE_RESULT,
    }
)
MENU_KEYS = {"COMPLAIN", "QUERY", "CONSULT", "MY_COMPLAINTS"}


@dataclass(frozen=True, slots=True)
class DialogSettings:
    idle_timeout: timedelta = timedelta(minutes=30)
    max_failures: int = 3
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    my_complaints_limit: int = 5
    max_text_chars: int = 600


@dataclass(frozen=True, slots=True)
class Turn:
    replies: list[str]
    session: Session


@dataclass(slots=True)
class _Reply:
    """Accumulates the replies of one turn."""

    lines: list[str] = field(default_factory=list)

    def add(self, *texts: str) -> None:
        self.lines.extend(text for text in texts if text)


def _beijing(moment: datetime) -> str:
    local = moment + BEIJING_OFFSET
    return f"{local.month}月{local.day}日 {local:%H:%M}"


class DialogEngine:
    def __init__(self, settings: DialogSettings | None = None) -> None:
        self.settings = settings or DialogSettings()
        self.form = ComplaintForm(self.settings.categories)

    async def handle(self, session: Session, event: Inbound, ports: Ports, now: datetime) -> Turn:
        out = _Reply()
        if event.kind in SILENT_KINDS:
            return Turn([], session)
        timed_out = (
            session.form is not None
            and not session.paused
            and session.last_active_at is not None
            and now - session.last_active_at > self.settings.idle_timeout
        )
        session = session.update(last_active_at=now)
        if timed_out:
            session = session.update(paused=True)
            if not (event.kind is InboundKind.TEXT and _is_resume_word(event.text)):
                out.add(m.RESUME_OFFER.format(description=_short(session.slots.get("description"))))
                return Turn(out.lines, session)
        if event.truncated:
            out.add(m.TRUNCATED.format(limit=self.settings.max_text_chars))
        session = await self._dispatch(session, event, ports, now, out)
        return Turn(out.lines, session)

    # -- routing ----------------------------------------------------------------
    async def _dispatch(
        self, session: Session, event: Inbound, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        match event.kind:
            case InboundKind.SUBSCRIBE:
                scene = event.key.removeprefix("qrscene_")
                out.add(m.WELCOME, m.WELCOME_SCENE.format(scene=scene) if scene else "")
                return session
            case InboundKind.SCAN:
                out.add(m.WELCOME_BACK)
                return session
            case InboundKind.CLICK:
                return await self._menu(session, event.key, ports, out)
            case InboundKind.IMAGE:
                return await self._photo(session, event, ports, out)
            case InboundKind.LOCATION:
                return await self._location_message(session, event, ports, out)
            case InboundKind.VOICE if not event.text:
                out.add(m.VOICE_UNRECOGNISED)
                return self._reask(session, out)
            case InboundKind.TEXT | InboundKind.VOICE:
                return await self._text(session, event.text.strip(), ports, now, out)
            case _:
                out.add(m.UNSUPPORTED)
                return self._reask(session, out)

    async def _menu(self, session: Session, key: str, ports: Ports, out: _Reply) -> Session:
        match key:
            case "COMPLAIN":
                if session.form == COMPLAINT_FORM and not session.paused:
                    return self._reask(session, out)
                return self._start(session, {}, out)
            case "QUERY":
                if session.last_no:
                    return await self._status(session, session.last_no, ports, out)
                out.add(m.ASK_TICKET)
                return self._reask(session, out)
            case "MY_COMPLAINTS":
                await self._my_complaints(session, ports, out)
                return self._reask(session, out)
            case "CONSULT":
                out.add(m.CONSULT_PROMPT)
                return self._reask(session, out)
            case _:
                out.add(m.HELP)
                return self._reask(session, out)

    async def _text(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        if not text:
            out.add(m.BLANK)
            return self._reask(session, out)
        if session.paused:
            return await self._paused(session, text, ports, now, out)
        if intents.CANCEL.match(text):
            if session.form:
                out.add(m.CANCELLED)
                return session.ended()
            out.add(m.NOTHING_TO_CANCEL)
            return session.update(offer="", offer_text="")
        # An offer ("file it as a consultation?") holds for the very next message only.
        offered, session = session.offer, session.update(offer="")
        if offered == "consultation" and (
            intents.FILE_CONSULTATION.match(text) or intents.YES.match(text)
        ):
            return await self._file_consultation(session, ports, out)
        if intents.FILE_CONSULTATION.match(text) and session.offer_text:
            return await self._file_consultation(session, ports, out)
        handled = await self._interruption(session, text, ports, out)
        if handled is not None:
            return self._reask(handled, out)
        if session.form == COMPLAINT_FORM:
            return await self._form_answer(session, text, ports, now, out)
        return await self._idle_text(session, text, ports, out)

    async def _interruption(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """Answer a side request; None when the message is not one."""
        if session.requested != "category" and (answer := parse_survey(text)):
            rated = await self._survey(session, answer, ports, out)
            if rated is not None:
                return rated
        if intents.HELP.match(text):
            out.add(m.HELP)
            return session
        if intents.GREETING.match(text):
            out.add(m.GREETING if not session.form else "")
            return session
        if intents.THANKS.match(text) and not session.form:
            out.add(m.THANKS)
            return session
        if intents.WITHDRAW.match(text):
            return await self._withdraw(session, text, ports, out)
        if intents.SUPPLEMENT.match(text):
            if session.form is None or find_ticket(text):
                return await self._supplement(session, text, ports, out)
            return self._supplement_draft(session, text, out)
        if ticket := intents.status_query(text):
            return await self._status(session, ticket, ports, out, reask=False)
        if intents.MY_COMPLAINTS.search(text) and len(text) <= 12:
            await self._my_complaints(session, ports, out)
            return session
        # A question mid-form is answered only when the knowledge base knows it:
        # "能不能快点修？" may well be the description we asked for.
        if intents.QUESTION.search(text):
            answer = await ports.answer_question(text)
            if answer is not None:
                if session.form is not None:
                    out.add(answer.answer)
                    return session
                out.add(answer.answer + m.CONSULT_FOOTER)
                return session.update(offer="consultation", offer_text=text)
            if session.form is None and (
                intents.SERVICE_QUESTION.search(text) or not intents.PROBLEM.search(text)
            ):
                out.add(m.CONSULT_NO_ANSWER)
                return session.update(offer="consultation", offer_text=text)
        return None

    async def _survey(
        self, session: Session, answer: SurveyAnswer, ports: Ports, out: _Reply
    ) -> Session | None:
        pending = await ports.pending_survey(session.openid)
        if pending is None:
            return None
        rating = Rating(answer.satisfaction, answer.solved, answer.comment, pending.round)
        try:
            rated = await ports.rate_complaint(pending.no, session.openid, rating)
        except PortError:
            out.add(m.RATE_FAILED)
            return session
        if rated.status is ComplaintStatus.CLOSED:
            out.add(m.RATED_CLOSED.format(no=rated.no))
        else:
            out.add(m.RATED_REOPENED.format(no=rated.no, round=rated.round))
        return session

    async def _idle_text(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        if intents.START_COMPLAINT.match(text):
            return self._start(session, {}, out)
        if intents.YES.match(text) and session.last_no:
            # a second 确认 (double tap, or a late retry): never a second complaint
            out.add(m.ALREADY_REGISTERED.format(no=session.last_no))
            return session
        if meaningful_length(text) >= MIN_DESCRIPTION or intents.PROBLEM.search(text):
            slots = self.form.prefill(text)
            checked = self.form.validate_description(text, {})
            slots = _with_notes(slots, checked.keep)
            if checked.ok:
                slots["description"] = checked.value
            return await self._continue(self._start(session, slots, None), ports, out)
        out.add(m.GREETING)
        return session

    def _supplement_draft(self, session: Session, text: str, out: _Reply) -> Session:
        """ "补充…" during a form adds to the draft's description, not to an old ticket."""
        body = intents.SUPPLEMENT.sub("", text, count=1).strip(" ：:，,。")
        description = session.slots.get("description")
        if not body or description is None:
            return session  # nothing to add to yet: the form will take it as an answer
        out.add(m.DRAFT_SUPPLEMENTED)
        added = f"{description}；{body}"
        slots = {**self.form.prefill(body), **session.slots, "description": added}
        return session.update(slots=slots)

    async def _paused(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        if intents.RESUME.match(text):
            out.add(m.RESUMED)
            return await self._continue(session.update(paused=False), ports, out)
        if intents.RESTART.match(text):
            out.add(m.RESTARTED)
            return self._start(session.ended(), {}, out)
        if intents.CANCEL.match(text):
            out.add(m.CANCELLED)
            return session.ended()
        handled = await self._interruption(session, text, ports, out)
        out.add(m.RESUME_OFFER.format(description=_short(session.slots.get("description"))))
        return handled or session

    # -- the complaint form -----------------------------------------------------------
    def _start(self, session: Session, slots: dict[str, Any], out: _Reply | None) -> Session:
        started = session.ended().update(
            form=COMPLAINT_FORM, slots=dict(slots), draft_id=uuid.uuid4().hex
        )
        if out is not None:
            out.add(m.ASK_DESCRIPTION)
            started = started.update(requested="description")
        return started

    async def _continue(self, session: Session, ports: Ports, out: _Reply) -> Session:
        """Ask for the next missing slot, or show the summary when none is missing."""
        slot = self.form.missing(session.slots) or "confirm"
        if slot == "category":
            return await self._ask_category(session, ports, out)
        out.add(self.form.prompt(slot, session.slots))
        return session.update(requested=slot)

    async def _ask_category(self, session: Session, ports: Ports, out: _Reply) -> Session:
        suggestion = await self._suggest(session.slots.get("description", ""), ports)
        slots = {**session.slots, "_suggested": "", "_confidence": None}
        if suggestion is not None and suggestion.category in self.settings.categories:
            # a keyword guess has no confidence worth recording
            slots["_suggested"] = suggestion.category
            slots["_confidence"] = suggestion.confidence or None
        # Numbers stay the same whatever is suggested: "3" always means the same category.
        out.add(self.form.prompt("category", slots))
        return session.update(requested="category", slots=slots)

    async def _suggest(self, text: str, ports: Ports) -> CategorySuggestion | None:
        try:
            suggestion = await ports.suggest_category(text)
        except PortError:
            suggestion = None
        if suggestion is not None:
            return suggestion
        category = keyword_category(text)
        if not category:
            return None
        return CategorySuggestion(category, 0.0, ((category, 0.0),), uncertain=True)

    def _reask(self, session: Session, out: _Reply) -> Session:
        """Repeat the pending question after an interruption."""
        if session.form != COMPLAINT_FORM or session.paused or not session.requested:
            return session
        out.add(self.form.prompt(session.requested, session.slots))
        return session

    async def _form_answer(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        slot = session.requested or self.form.missing(session.slots) or "confirm"
        if fix := intents.correction(text):
            if fix.slot != slot or not fix.value:
                return await self._correct(session, fix, ports, out)
            text = fix.value  # "电话是…" when we asked for the phone is simply the answer
        if intents.CHANGE_SOMETHING.match(text):
            out.add(m.ASK_WHAT_TO_CHANGE)
            return session
        if slot == "confirm":
            if intents.YES.match(text):
                return await self._register(session, ports, now, out)
            if intents.NO.match(text):
                out.add(m.ASK_WHAT_TO_CHANGE)
                return session
            return self._failed(session, "confirm", m.BAD_CONFIRM, out)
        failures = session.failures.get(slot, 0)
        checked = self.form.skip(slot, text, failures, self.settings.max_failures)
        if checked is None:
            checked = self.form.validate(slot, text, session.slots)
        session = session.update(slots=_with_notes(session.slots, checked.keep))
        if not checked.ok:
            if not checked.counts:
                out.add(checked.error)
                return session.update(requested=slot)
            return self._failed(session, slot, checked.error, out)
        slots = {**session.slots, slot: checked.value}
        if slot == "description":
            # the description may also carry an address, a phone number or times
            slots = {**self.form.prefill(checked.value + " " + text), **slots}
        session = session.update(slots=slots, failures={**session.failures, slot: 0})
        return await self._continue(session, ports, out)

    def _failed(self, session: Session, slot: str, error: str, out: _Reply) -> Session:
        session, count = session.fail(slot)
        out.add(error)
        if count >= self.settings.max_failures:
            if slot in self.form.optional:
                out.add(m.TOO_MANY_FAILURES_OPTIONAL)
            elif slot in self.form.skippable_after_failures:
                out.add(m.TOO_MANY_FAILURES_SKIPPABLE)
            else:
                out.add(m.TOO_MANY_FAILURES)
        return session.update(requested=slot)

    async def _correct(
        self, session: Session, fix: intents.Correction, ports: Ports, out: _Reply
    ) -> Session:
        slots = dict(session.slots)
        if fix.slot == "photos":
            slots["_photos"] = []
            slots.pop("photos", None)
            out.add(m.UPDATED)
            return await self._continue(session.update(slots=slots), ports, out)
        if fix.slot == "category" and not fix.value:
            # the suggestion was wrong: offer the list, not the same guess again
            slots.pop("category", None)
            slots["_suggested"] = ""
            out.add(self.form.prompt("category", slots))
            return session.update(slots=slots, requested="category")
        if not fix.value:
            slots.pop(fix.slot, None)
            if fix.slot == "description":
                slots.pop("_partial", None)
            session = session.update(slots=slots)
            out.add(self.form.prompt(fix.slot, slots))
            return session.update(requested=fix.slot)
        if fix.slot == "description":
            slots.pop("_partial", None)
        checked = self.form.validate(fix.slot, fix.value, slots)
        if not checked.ok:
            return self._failed(session, fix.slot, checked.error, out)
        slots = _with_notes(slots, checked.keep) | {fix.slot: checked.value}
        out.add(m.UPDATED)
        return await self._continue(session.update(slots=slots), ports, out)

    async def _photo(self, session: Session, event: Inbound, ports: Ports, out: _Reply) -> Session:
        if session.paused:
            out.add(m.RESUME_OFFER.format(description=_short(session.slots.get("description"))))
            return session
        try:
            photo_id = await ports.store_photo(event.openid, event.media_id)
        except PortError:
            out.add(m.PHOTO_FAILED)
            return session
        if session.form != COMPLAINT_FORM:
            session = self._start(session, {"_photos": [photo_id]}, None)
            out.add(m.ASK_DESCRIPTION_AFTER_PHOTO)
            return session.update(requested="description")
        photos = list(session.slots.get("_photos", []))
        if photo_id in photos:
            return session
        if len(photos) >= MAX_PHOTOS:
            out.add(m.PHOTO_LIMIT)
            return session
        photos.append(photo_id)
        slots = {**session.slots, "_photos": photos}
        if "photos" in slots:
            slots["photos"] = photos  # a photo after the photo step still belongs to the draft
        session = session.update(slots=slots)
        if session.requested == "photos":
            out.add(m.PHOTO_RECEIVED.format(count=len(photos)))
            return session
        out.add(m.PHOTO_RECEIVED.format(count=len(photos)).split("。")[0] + "。")
        return self._reask(session, out)

    async def _location_message(
        self, session: Session, event: Inbound, ports: Ports, out: _Reply
    ) -> Session:
        location = {
            "text": event.text,
            "district": find_district(event.text),
            "lat": event.lat,
            "lng": event.lng,
        }
        if session.paused:
            out.add(m.RESUME_OFFER.format(description=_short(session.slots.get("description"))))
            return session
        if session.form != COMPLAINT_FORM:
            session = self._start(session, {"location": location}, None)
            out.add(m.ASK_DESCRIPTION)
            return session.update(requested="description")
        return await self._continue(session.with_slot("location", location), ports, out)

    async def _register(
        self, session: Session, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        slots = session.slots
        location = slots.get("location") or {}
        draft = ComplaintDraft(
            draft_id=session.draft_id or uuid.uuid4().hex,
            openid=session.openid,
            description=slots.get("description", ""),
            location=Location(
                location.get("text", ""),
                location.get("district", ""),
                location.get("lat"),
                location.get("lng"),
            ),
            category=slots.get("category", ""),
            category_confidence=slots.get("_confidence"),
            contact_phone=slots.get("contact_phone", ""),
            photos=tuple(slots.get("photos", [])),
        )
        try:
            complaint = await ports.register_complaint(draft)
        except PortError:
            out.add(m.REGISTER_FAILED)
            return session
        out.add(
            m.REGISTERED.format(
                no=complaint.no,
                department=complaint.department_name or "待派单",
                limit=describe_limit(complaint.due_at - complaint.created_at),
                due=_beijing(complaint.due_at),
            )
        )
        return session.ended().update(last_no=complaint.no)

    # -- after registration ------------------------------------------------------------
    async def _status(
        self, session: Session, no: str, ports: Ports, out: _Reply, reask: bool = True
    ) -> Session:
        complaint = await ports.get_complaint(no)
        if complaint is None or complaint.openid != session.openid:
            out.add(m.NOT_FOUND.format(no=no))
        else:
            out.add(_status_text(complaint))
        return self._reask(session, out) if reask else session

    async def _my_complaints(self, session: Session, ports: Ports, out: _Reply) -> None:
        complaints = await ports.list_complaints(session.openid, self.settings.my_complaints_limit)
        if not complaints:
            out.add(m.MY_NONE)
            return
        lines = [m.MY_HEADER] + [
            m.MY_LINE.format(no=c.no, status=c.status_label, description=_short(c.description, 14))
            for c in complaints
        ]
        out.add("\n".join(lines))

    async def _withdraw(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        no = find_ticket(text)
        if not no:
            out.add(m.WITHDRAW_ASK)
            return session
        await _citizen_action(ports.withdraw_complaint(no, session.openid), no, m.WITHDRAWN, out)
        return session

    async def _supplement(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        body = intents.SUPPLEMENT.sub("", text, count=1)
        no = find_ticket(body)
        body = body.replace(no, "").strip(" ：:，,") if no else body.strip()
        if not body:
            out.add(m.SUPPLEMENT_ASK)
            return session
        if not no:
            open_ones = [c for c in await ports.list_complaints(session.openid, 5) if c.is_open]
            if not open_ones:
                out.add(m.SUPPLEMENT_NONE)
                return session
            no = open_ones[0].no
        await _citizen_action(
            ports.supplement_complaint(no, session.openid, body), no, m.SUPPLEMENTED, out
        )
        return session

    async def _file_consultation(self, session: Session, ports: Ports, out: _Reply) -> Session:
        draft = ComplaintDraft(
            draft_id=f"consult-{session.openid}-{hash(session.offer_text) & 0xFFFFFFFF:x}",
            openid=session.openid,
            description=session.offer_text,
            kind=ComplaintKind.CONSULTATION,
        )
        try:
            complaint = await ports.register_complaint(draft)
        except PortError:
            out.add(m.SYSTEM_BUSY)
            return session
        out.add(m.CONSULT_FILED.format(no=complaint.no))
        return session.update(offer="", offer_text="", last_no=complaint.no)


async def _citizen_action(action: Awaitable[Complaint], no: str, done: str, out: _Reply) -> None:
    """Run a citizen's change to a complaint and say how it went."""
    try:
        await action
    except NotAllowed as error:
        out.add(m.NOT_ALLOWED.format(reason=str(error)))
    except PortError:
        out.add(m.NOT_FOUND.format(no=no))
    else:
        out.add(done.format(no=no))


def _with_notes(slots: dict[str, Any], notes: Any) -> dict[str, Any]:
    """Slots with working notes applied; a note of None removes it."""
    updated = dict(slots)
    for name, value in dict(notes).items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    return updated


def _is_resume_word(text: str) -> bool:
    return bool(intents.RESUME.match(text) or intents.RESTART.match(text))


def _short(text: str | None, limit: int = 20) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


def _status_text(complaint: Complaint) -> str:
    extra = ""
    if complaint.is_open:
        extra += m.STATUS_DUE.format(due=_beijing(complaint.due_at))
    if complaint.rating is not None:
        extra += m.STATUS_RATING.format(rating=complaint.rating.satisfaction.value)
    return m.STATUS.format(
        no=complaint.no,
        status=complaint.status_label,
        category=complaint.category or "待定",
        department=complaint.department_name or "待派单",
        created=_beijing(complaint.created_at),
        extra=extra,
    )
