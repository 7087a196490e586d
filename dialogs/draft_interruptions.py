"""What interrupts a complaint draft, and how it comes back: an emergency told mid-form
parks the draft as it is and is registered first (danger about the draft itself is
added to its description); after a draft is registered or dropped, the parked one or
the next problem said follows; problems in different districts told in one message,
registered one by one on "分开" (each next one parked in the one before); a cancel
(asked once when the draft is worth keeping); 补充 to the draft; and the idle
timeout's pause, with 继续 / 重新开始 replaying what was sent meanwhile. The methods
are a mixin of `DialogEngine`."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import (
    COUNT_WORDS,
    MAX_PHOTOS,
    MIN_DESCRIPTION,
    NO_PHONE,
    ONE_TICKET,
    ComplaintForm,
)
from dialogs.extract import find_phone, meaningful_length
from dialogs.ports import Ports
from dialogs.session import COMPLAINT_FORM, Session
from dialogs.session_notes import (
    DROP_OFFER,
    HESITATED,
    NEW_PROBLEM_OFFER,
    OBVIOUS_AFTER_TIMEOUT,
    PARKED,
    RESUME_OFFERED,
    _draft_subject,
    _next_of,
    _nothing_told,
    _parking,
    _Reply,
    _with_notes,
)
from dialogs.text_helpers import _place_in_front, _plain, _shares_words, _short, lead_and_rest

# steps at which a message kept during the pause that is no answer is set aside (at
# the location and phone steps the form itself tells a second problem from the answer)
HELD_ASIDE_AT = frozenset({"category", "photos", "confirm"})


# "算了 我还是找物业吧": giving up to go elsewhere is a cancel, not an answer
_GIVE_UP_FOR_ELSEWHERE = re.compile(
    r"^(?:唉|哎|那)?[，,\s]*(?:算了|不弄了|不登记了|不用了)[了吧，,。\s]*(?:我|那我)?"
    r"(?:还是|自己|直接|再)(?:去)?(?:找|问|打|联系|报)"
)


# Kinds of danger that may be what the one being registered did (someone hurt, a cry
# for help), rather than a second emergency
_WHAT_IT_DID = frozenset({"injury", "help"})


class DraftInterruptions:
    """The engine's handling of interrupted drafts: see the module docstring."""

    form: ComplaintForm

    async def _next_problem(
        self, session: Session, pending: list[str], ports: Ports, out: _Reply
    ) -> Session:
        """Start the problem the citizen mentioned during the last form, if any."""
        if not pending:
            return session
        out.add(m.NEXT_STARTED.format(short=_short(pending[0])))
        return await self._begin(session, pending[0], ports, out, later=pending[1:])

    async def _after_form(
        self, before: Session, ended: Session, ports: Ports, out: _Reply
    ) -> Session:
        """What follows a draft registered, dropped or added to an old ticket: the
        draft set aside for an emergency, as it was, else the next problem said."""
        parked = before.slots.get(PARKED)
        if not parked:
            return await self._next_problem(ended, _next_of(before), ports, out)
        slots = dict(parked.get("slots") or {})
        if later := _next_of(before):
            slots["_next"] = [*slots.get("_next", []), *later]
        restored = ended.update(
            form=COMPLAINT_FORM,
            slots=slots,
            requested=parked.get("requested"),
            failures=dict(parked.get("failures") or {}),
            draft_id=parked.get("draft_id") or uuid.uuid4().hex,
            paused=bool(parked.get("paused")),
        )
        resumed = m.NEXT_STARTED if parked.get("split") else m.PARKED_RESUMED
        out.add(resumed.format(short=_short(_draft_subject(slots))))
        if restored.paused:
            return self._reask(restored, out)
        # the list and the summary have long scrolled away: shown in full again
        restored = restored.update(slots=_with_notes(slots, {"_listed": None}))
        return await self._continue(restored.update(requested=None), ports, out)

    # -- an emergency told while another matter is being registered -----------------
    def _emergency_at(self, session: Session, text: str) -> tuple[list[str], bool] | None:
        """The kinds of danger a message mid-form describes, and whether it is about
        the draft itself; None when there is no danger in it, or it is the
        description asked for, a correction or an explicit 补充."""
        if session.form != COMPLAINT_FORM:
            return None
        slot = session.requested or self.form.missing(session.slots) or "confirm"
        if slot == "description":
            return None
        kinds = intents.emergencies(text)
        if not kinds or intents.SUPPLEMENT.match(text) or intents.correction(text):
            return None
        current = session.slots.get("description") or session.slots.get("_partial") or ""
        before = set(intents.emergencies(current))
        same = set(kinds) <= before or _shares_words(text, current)
        if not same and before and set(kinds) <= _WHAT_IT_DID:
            # "有人掉进去了" while the missing manhole cover is registered: what that
            # danger did, unless it names a place of its own
            same = "location" not in self.form.prefill(text)
        return kinds, same

    def _urgent_draft(self, session: Session, text: str) -> bool:
        """Whether a danger said mid-form ends up in a description, its own or the
        draft's, so the ticket has the 2-hour limit the advice may promise."""
        found = self._emergency_at(session, text)
        if found is None:
            return False
        kinds, same = found
        current = session.slots.get("description") or ""
        already = set(kinds) <= set(intents.emergencies(current))
        return not same or already or self._urgent_same(session, text)

    def _urgent_elsewhere(self, session: Session, text: str) -> bool:
        """ "电梯困人了，我被关在里面了" at the category question of a complaint about
        rubbish: an emergency of its own, registered before the draft."""
        found = self._emergency_at(session, text)
        return found is not None and not found[1]

    def _urgent_same(self, session: Session, text: str) -> bool:
        """ "还有人被困在电梯里" while the lift entrapment is being registered, and not
        the answer asked for (a phone number would be): more of that emergency."""
        found = self._emergency_at(session, text)
        if found is None or not found[1] or session.paused:
            return False
        slot = session.requested or self.form.missing(session.slots) or "confirm"
        return not self._accepts(slot, text, session)

    async def _urgent_first(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session:
        """The draft is set aside as it is, the emergency registered first; the draft
        comes back after it (see _after_form)."""
        slots = session.slots
        if session.requested == "location" and (place := _place_in_front(text)):
            # "朝阳区…12号楼，刚才那边电线冒烟了": the answer, then the emergency there
            checked = self.form.validate_location(place, slots)
            if checked.ok:
                slots = _with_notes(slots, checked.keep) | {"location": checked.value}
        parked = _parking(
            slots, session.requested, session.failures, session.draft_id, session.paused
        )
        out.add(m.URGENT_FIRST.format(short=_short(_draft_subject(session.slots))))
        return await self._begin(session, text, ports, out, parked=parked)

    # -- problems in different districts told in one message ------------------------
    async def _one_by_one(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """The answer to the summary's offer to register problems in different
        districts one by one ("分开") or as one ticket ("不用分开"); None when the
        message answers neither (确认 registers one ticket as the summary says)."""
        parts = self.form.separate(session.slots)
        if not parts:
            return None
        if intents.KEEP_TOGETHER.match(text):
            out.add(m.KEPT_ONE_TICKET)
            session = session.with_slot(ONE_TICKET, True)
            return await self._continue(session.update(requested=None), ports, out)
        if not intents.SPLIT.match(text):
            return None
        # The first is registered now; each next one is parked in the one before, as
        # an emergency parks the draft it interrupts, and taken up after it with its
        # own description and district. The phone (or anonymity) holds for all.
        slots = session.slots
        kept = {name: slots[name] for name in ("contact_phone",) if name in slots}
        parked = slots.get(PARKED)  # a draft the first one interrupted comes back last
        for part, district in reversed(parts[1:]):
            later = {**self._part_place(part, district, {}), **kept, "description": part}
            if parked:
                later[PARKED] = parked
            parked = _parking(later, draft_id=uuid.uuid4().hex, split=True)
        first, district = parts[0]
        place = self._part_place(first, district, slots.get("location") or {})
        slots = _with_notes(slots, {"location": None, "_district": None, "_duplicate": None})
        slots = {**slots, **place, "description": first, PARKED: parked}
        out.add(m.SPLIT_STARTED.format(count=COUNT_WORDS[len(parts)], short=_short(first)))
        session = session.update(slots=slots)
        if self.form.missing(slots) is None:
            return await self._register(session, ports, now, out)
        return await self._continue(session.update(requested=None), ports, out)

    def _part_place(self, part: str, district: str, given: dict[str, Any]) -> dict[str, Any]:
        """Where one of several problems is: the place given for the draft when it is
        in the same district, else the address in the part, else its district alone
        (the street then asked for)."""
        if given.get("text") and given.get("district") == district:
            return {"location": given}
        found = self.form.prefill(part).get("location")
        if found and found.get("text"):
            return {"location": {**found, "district": found.get("district") or district}}
        return {"_district": district}

    def _crisis(self, session: Session, text: str, out: _Reply, *, fresh: bool) -> Session:
        """Someone who may take their own life, or a bare "救命": the advice and the
        crisis lines are the answer, and no form is pushed at them ("在哪里？持续多
        久？"). A draft under way waits; a problem told alongside ("工资拖欠半年了")
        is registered on "登记". Said again (not `fresh`): nothing more, but that offer."""
        session = session.update(offer="", offer_text="")
        if session.form == COMPLAINT_FORM and _nothing_told(session) and not session.paused:
            session = session.ended()  # "我要投诉", then this: no draft to keep
        if session.form == COMPLAINT_FORM:
            if fresh and not session.paused:
                out.add(m.DRAFT_WAITING.format(short=_short(_draft_subject(session.slots), 12)))
            return session
        if not intents.at_risk(text):
            out.add(m.CRY_THEN if fresh else "")
            return session
        rest = intents.beside_self_harm(text)
        if meaningful_length(rest) >= MIN_DESCRIPTION or intents.PROBLEM.search(rest):
            out.add(m.SELF_HARM_OFFER.format(short=_short(rest)))
            return session.update(offer=NEW_PROBLEM_OFFER, offer_text=text)
        out.add(m.SELF_HARM_THEN if fresh else "")
        return session

    async def _registered_already(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The same emergency sent again minutes after it was registered: that ticket,
        never a second draft of it. None when the message is not that."""
        if session.form is not None or not session.last_no or not intents.emergencies(text):
            return None
        complaint = await ports.get_complaint(session.last_no)
        if complaint is None or not complaint.is_open:
            return None
        if _plain(text) not in _plain(complaint.description):
            return None
        out.add(m.EMERGENCY_REGISTERED.format(no=complaint.no))
        return session

    def _urgent_detail(self, session: Session, text: str, out: _Reply) -> Session:
        """More about the emergency being registered, never refused as a bad answer."""
        if not self._repeats_description(session, text):
            session = self._add_to_description(session, text, out)
        return self._reask(session, out)

    def _is_cancel(self, session: Session, text: str) -> bool:
        if self._correcting(session) and intents.KEEP.match(text):
            return False  # "算了" to "新的地址是？" keeps the old address, not the whole draft
        if session.requested == "confirm" and intents.NOTHING_TO_CHANGE.match(text):
            return False  # "不用了" to the summary: nothing to change
        if session.requested == "photos" and (
            intents.DONE_PHOTOS.match(text) or intents.NO_PHOTOS.match(text)
        ):
            return False  # "不用了", "算了" to "有照片吗？" mean no photos
        if session.requested == "contact_phone" and NO_PHONE.match(text.strip()):
            return False  # and to "留个电话吗？" no phone, not "drop the complaint"
        if intents.CANCEL.match(text) or _GIVE_UP_FOR_ELSEWHERE.match(text):
            return True
        # mid-form "撤销" drops the draft; a registered ticket needs 撤回 and its number
        return session.form is not None and bool(intents.DROP_DRAFT.match(text))

    async def _cancel(
        self, session: Session, ports: Ports, out: _Reply, *, confirmed: bool = False
    ) -> Session:
        slots = session.slots
        worth_keeping = (slots.get("description") or slots.get("_partial")) and slots.get(
            "location"
        )
        # asked once already ("放弃" is what ASK_SUBMIT and HESITATION_KEPT offer)
        confirmed = confirmed or bool(slots.get(HESITATED))
        if session.form and worth_keeping and not confirmed:
            # a loose "算了" must not silently throw away what took several turns
            out.add(m.CONFIRM_DROP)
            if session.requested == "confirm":
                session = session.with_slot(HESITATED, True)
            return session.update(offer=DROP_OFFER)
        if session.form:
            out.add(m.CANCELLED)
            return await self._after_form(session, session.ended(), ports, out)
        out.add(m.NOTHING_TO_CANCEL)
        return session.update(offer="", offer_text="")

    def _supplement_draft(self, session: Session, text: str, out: _Reply) -> Session:
        """ "补充…" during a form adds to the draft's description, not to an old ticket."""
        body = intents.SUPPLEMENT.sub("", text, count=1).strip(" ：:，,。")
        description = session.slots.get("description")
        pending = _next_of(session)
        if not body and pending and description is not None:
            # "补充" right after we set a second problem aside: it belonged to this one
            *others, body = pending
            session = session.with_slot("_next", others)
        if not body:
            return session
        if description is None:
            # nothing to add to yet: the start of the description, asked to go on
            partial = session.slots.get("_partial", "")
            if body in partial:
                return session  # sent twice: the prompt shows it is kept
            return session.with_slot("_partial", f"{partial}，{body}" if partial else body)
        return self._add_to_description(session, body, out)

    def _add_to_description(self, session: Session, body: str, out: _Reply) -> Session:
        out.add(m.DRAFT_SUPPLEMENTED)
        added = f"{session.slots.get('description', '')}；{body}"
        slots = {**self.form.prefill(body), **session.slots, "description": added}
        return session.update(slots=slots)

    async def _paused(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        lead, rest = lead_and_rest(text)
        if intents.RESUME.match(text) or (
            intents.said_yes(lead) and intents.CONTINUE_ONLY.match(rest)
        ):
            return await self._resume(session, ports, now, out)  # also "好的，继续吧"
        confirms = intents.confirms_summary(text)
        if session.requested == "confirm" and confirms:
            # "确认" to a summary that has scrolled away: shown again at once, to be
            # confirmed afresh (never registered unseen, never only "回复继续")
            return await self._resume(session, ports, now, out, lead=m.RESUMED_TO_CONFIRM)
        # Once "回复“继续”接着填写" was shown, a yes ("好的", "中", "要得") answers it; a
        # yes before may answer the question asked before the pause, which has
        # scrolled away
        offered = bool(session.slots.get(RESUME_OFFERED))
        if offered and intents.said_yes(text):
            return await self._resume(session, ports, now, out)
        if intents.RESTART.match(text):
            return await self._restart(session, ports, now, out)
        if self._is_cancel(session, text) or (offered and intents.said_no(text)):
            # a no to "接着填写吗？" ("不要", "不得行") is asked about as a cancel is
            return await self._cancel(session, ports, out)
        handled = await self._interruption(session, text, ports, out)
        if handled is not None:
            return self._reask(handled, out)  # with the resume offer
        if self._obvious_answer(session, text):
            session, _ = self._unpause(session)
            out.add(m.RESUMED_WITH_ANSWER)
            return await self._form_answer(session, text, ports, now, out)
        said_yes = intents.said_yes(text, also=intents.SUBMIT_WORDS)
        answers_yes = session.requested == "category" and said_yes
        worth_keeping = intents.has_real_content(text) or find_phone(text)
        if not answers_yes and (said_yes or not worth_keeping):
            # "好的", "嗯" to "where?": nothing to keep; replayed it would read as a bad
            # answer. A phone number is kept: at another question it is still the phone
            return self._reask(session, out)
        out.add(m.HELD_WHILE_PAUSED)
        session = session.with_slot("_held", [*session.slots.get("_held", []), text])
        return self._reask(session, out)

    def _obvious_answer(self, session: Session, text: str) -> bool:
        """A message after the timeout that can only be the answer we asked for
        (an address to "在哪里？", a phone number): applied without 继续."""
        slot = session.requested or ""
        if slot not in OBVIOUS_AFTER_TIMEOUT:
            return False
        if any(session.slots.get(kept) for kept in ("_held", "_held_photos", "_held_location")):
            return False  # keep the order: what came first is used first, after 继续
        fix = intents.correction(text)
        if fix and fix.slot == slot and fix.value and not fix.bare:
            # "13812345678", "电话13812345678" read as a correction of the phone: to
            # the phone question they are simply the answer (as _form_answer takes them)
            text = fix.value
        elif fix or intents.opens_complaint(text):
            return False
        if slot != "description" and (
            (self._repeats_description(session, text) and not self._accepts(slot, text, session))
            or self._new_problem(session, slot, text)
        ):
            return False
        if slot == "description" and not intents.has_real_content(text):
            return False
        return self.form.validate(slot, text, session.slots).ok

    @staticmethod
    def _unpause(session: Session) -> tuple[Session, list[str]]:
        """The draft with what arrived while it was paused; returns the kept texts."""
        slots = dict(session.slots)
        slots.pop(RESUME_OFFERED, None)
        texts = list(slots.pop("_held", []))
        photos = slots.pop("_held_photos", [])
        location = slots.pop("_held_location", None)
        if photos:
            merged = list(dict.fromkeys([*slots.get("_photos", []), *photos]))[:MAX_PHOTOS]
            slots["_photos"] = merged
            if "photos" in slots:
                slots["photos"] = merged
        requested = session.requested
        if location:
            typed = slots.get("location") or {}
            if typed.get("text") and location.get("district") in ("", typed.get("district")):
                # a pin in the same district as the typed address adds its point only
                location = {**location, "text": typed["text"], "district": typed["district"]}
            slots["location"] = location
            if requested == "location":
                requested = None  # answered: _continue asks the next one
        return session.update(paused=False, slots=slots, requested=requested), texts

    async def _resume(
        self, session: Session, ports: Ports, now: datetime, out: _Reply, lead: str = m.RESUMED
    ) -> Session:
        session, texts = self._unpause(session)
        out.add(lead)
        if not texts:
            return await self._continue(session, ports, out)
        prompted = not session.requested  # a kept location answered it: ask the next one
        if prompted:
            session = await self._continue(session, ports, out)
        return await self._replay(session, texts, ports, now, out, prompted=prompted)

    async def _restart(self, session: Session, ports: Ports, now: datetime, out: _Reply) -> Session:
        """A new draft; what was sent while paused (or set aside as the next problem)
        goes into it."""
        slots = session.slots
        texts = list(slots.get("_held", []))
        later = _next_of(session)
        if not texts and later:
            texts, later = later[:1], later[1:]
        carried: dict[str, Any] = {}
        if photos := slots.get("_held_photos"):
            carried["_photos"] = list(photos)
        if location := slots.get("_held_location"):
            carried["location"] = location
        if later:
            carried["_next"] = later
        if parked := slots.get(PARKED):
            carried[PARKED] = parked
        out.add(m.RESTARTED)
        started = self._start(session.ended(), carried, None).update(requested="description")
        if not texts:
            out.add(self.form.prompt("description", started.slots))
            return started
        return await self._replay(started, texts, ports, now, out)

    async def _replay(
        self,
        session: Session,
        texts: list[str],
        ports: Ports,
        now: datetime,
        out: _Reply,
        *,
        prompted: bool = False,
    ) -> Session:
        """Handle kept messages in order, as if they arrived now.

        A kept "确认" is not replayed: after a pause the summary is shown again
        and confirmed afresh (only an explicit confirmation registers)."""
        shown = False
        asked = prompted
        for text in texts:
            confirms = intents.confirms_summary(text)
            if session.requested == "confirm" and confirms:
                continue
            aside = self._held_aside(session, text, out)
            if aside is not None:
                session, shown, asked = aside, True, False
                continue
            session = await self._text(session, text, ports, now, out)
            shown = asked = True
        if not shown and not prompted:
            return await self._continue(session, ports, out)
        if not asked:
            # only set aside: the question the draft waits for, in full (its list
            # has scrolled away during the pause)
            session = session.update(slots=_with_notes(session.slots, {"_listed": None}))
            return await self._continue(session.update(requested=None), ports, out)
        return session

    def _held_aside(self, session: Session, text: str, out: _Reply) -> Session | None:
        """A message kept during the pause that does not answer the question pending
        after 继续 ("楼道里的灯也坏了" to "属于哪一类？"): more about this draft is added
        to its description, another problem is set aside as the next matter; None
        when it may be the answer, or is anything else (handled as if sent now)."""
        slot = session.requested or ""
        if slot not in HELD_ASIDE_AT or not session.slots.get("description"):
            return None
        if (
            not intents.has_real_content(text)
            or intents.correction(text)
            or intents.CANCEL.match(text)
            or intents.SUPPLEMENT.match(text)
            or self._accepts(slot, text, session)
        ):
            return None
        description = session.slots["description"]
        problem = intents.another_problem(text)
        if not problem and (_shares_words(text, description) or intents.adds_detail(text)):
            return self._add_to_description(session, text, out)
        if not problem and intents.PROBLEM.search(text):
            problem = text
        if not problem:
            return None
        out.add(m.NEXT_HELD.format(short=_short(problem)))
        return session.with_slot("_next", [*_next_of(session), problem])
