"""The complaint form's turns: starting a draft pre-filled from a description, asking
the next missing slot (the category with a suggestion, the summary with a note of a
duplicate), validating the answer to the pending question, corrections ("地址改成…"),
a second problem or more detail said at the wrong question, photos and locations sent
as messages, re-asking after an interruption, and registering the confirmed draft.
The methods are a mixin of `DialogEngine`."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import (
    CONFIDENTIAL,
    DISTRICT_ASKED,
    LAST_PHONE,
    LAST_PLACE,
    MAX_PHOTOS,
    MIN_DESCRIPTION,
    SAME_PLACE,
    ComplaintForm,
    keyword_category,
    no_mobile,
)
from dialogs.duplicates import LOOKBACK, find_duplicate
from dialogs.extract import (
    district_of,
    find_address,
    find_district,
    find_phone,
    find_times,
    meaningful_length,
    names_a_place,
    outside_beijing,
    parse_phone,
    strip_phones,
)
from dialogs.ports import ComplaintDraft, PortError, Ports
from dialogs.session import COMPLAINT_FORM, Session
from dialogs.session_notes import (
    HESITATED,
    KEPT_WHILE_CORRECTING,
    PARKED,
    RESUME_OFFERED,
    _draft_subject,
    _next_of,
    _Reply,
    _resume_offer,
    _with_notes,
)
from dialogs.text_helpers import _PLACE_DETAIL, _plain, _shares_words, _short, lead_and_rest
from models.beijing import short_date, short_time
from models.complaint import Location
from models.departments import CategorySuggestion
from models.inbound import Inbound
from models.sla import describe_limit

if TYPE_CHECKING:
    from dialogs.engine import DialogSettings

# a phone given with a complaint this recent is offered again at the phone question
LAST_PHONE_WITHIN = timedelta(days=30)
# a complaint this soon after another that says "小区里…" is offered the same place
LAST_PLACE_WITHIN = timedelta(minutes=30)
# "不过", "但是" opening what follows a no ("没有照片，不过灯是昨天晚上开始不亮的")
_BUT = re.compile(r"^(?:不过|但是|但|可是|只是)[，,\s]*")


# Corrections by contrast: "不是9号楼，是8号楼", "哦不对，不是苏州街，是海淀区知春路18号院";
# and "不对，是知春路18号院" (the new words alone, read as an address)
_CONTRAST = re.compile(
    r"^(?:(?:哦|噢|嗯|哎|诶|啊)[，,\s]*)?(?:(?:不对|错了|说错了|搞错了|写错了)[，,。！!\s]*)?"
    r"(?:(?:地址|地点|位置|电话|手机号?|号码|类别|分类)[，,\s]*)?"  # "地址不是20号院，是22号院"
    r"不是(?!这|那|的)(?P<old>[^，,。；;！!\s]{2,20}?)[，,。；;\s]*(?:而是|应该是|是在|是)(?P<new>.+)$"
)
_WRONG_THEN = re.compile(
    r"^(?:(?:哦|噢|嗯|哎|诶|啊)[，,\s]*)?"
    # "区写错了，是朝阳区", "不是这里，在学院路30号院"
    r"(?:区?(?:不对|错了|说错了|搞错了|写错了)|不是(?=[，,。\s])"
    r"|(?:不是|不在)(?:这里|这儿|这个地方|那里|那儿)|地方不对)[，,。！!\s]*"
    r"(?:应该是|应该在|是在|是|在)(?P<new>.+)$"
)
# a district said alone ("朝阳区", "在朝阳"): the place's district corrected, not the place
_DISTRICT_ALONE = re.compile(r"^(?:在)?(?P<district>[\u4e00-\u9fa5]{2,4}?)(?:那边|的|吧|啊)?$")
# A place said relative to the one given ("北门那边", "在东侧", "对面"): it narrows that
# place down, never replaces a full address with a fragment no one could find
_RELATIVE_PLACE = re.compile(
    r"^(?:就在|是在|在)?(?P<part>(?:[东南西北]{1,2}(?:门口|大门|门|侧|边|面|头|口|角|墙)|"
    r"对面|旁边|后面|前面|里面|后门|前门|侧门|正门|大门|门口|拐角|楼下|楼后|院里|院内)"
    r"(?:那边|这边|那里|这里|那儿|这儿|附近|一带|那块|旁边)?)[的吧啊呀。！!]*$"
)
# ...or to something at it ("超市那边", "在菜市场旁边", "银行门口那边"): a landmark with
# a side of it, checked by `_landmark_side` to name no place of its own
_BESIDE_LANDMARK = re.compile(
    r"^(?:(?:就|应该|大概|好像)?(?:是在|在|是)|就在)?(?:那个|这个)?"
    r"(?P<part>(?P<landmark>[\u4e00-\u9fa5]{1,8}?)的?"
    r"(?:(?:门口|大门|正门|后门|侧门|出口|入口|门前)(?:那边|这边|那里|这里|那儿|这儿|附近|一带|旁边|对面)?"
    r"|那边|这边|那里|这里|那儿|这儿|旁边|对面|附近|一带|后面|前面|后边|前边|边上|跟前|隔壁))"
    r"[的吧啊呀。！!]*$"
)
# what stands before 那边 without being anything there: "这那边", "我说的是那边",
# "地点改成北门那边" (a sentence, read as such elsewhere)
_NOT_A_LANDMARK = re.compile(
    r"^(?:这|那|哪)|[了是在有我你他她们不没被把给让说要想改换还也都就很太吗呢]"
)


def _landmark_side(said: str) -> str:
    """ "超市那边" from "在超市那边": a side of a landmark that has no district, road,
    compound or house number of its own (those make a new address, not a narrower
    one), or ''."""
    found = _BESIDE_LANDMARK.match(said)
    if not found:
        return ""
    landmark = found.group("landmark")
    if (
        _NOT_A_LANDMARK.search(landmark)
        or intents.names_summary_item(landmark)  # "描述那里": an item of the summary
        or re.search(r"[0-9０-９]|号", landmark)
        or district_of(landmark)
        or find_address(landmark)
    ):
        return ""
    return found.group("part")


def _refined_place(place: str, said: str) -> str:
    """The place narrowed down by words said relative to it ("海淀区学院路20号院门口"
    with "在北门那边" is "海淀区学院路20号院门口（北门那边）", with "在超市那边"
    "…门口（超市那边）", shown in the summary to be checked), or '' when the words
    are not such or there is no place to narrow."""
    said = said.strip(" ，,。")
    found = _RELATIVE_PLACE.match(said)
    part = found.group("part") if found else _landmark_side(said)
    if not place or not part:
        return ""
    return re.sub(r"（[^（）]*）$", "", place) + f"（{part}）"


def _replaced_in_place(place: str, old: str, new: str) -> str:
    """The place with `old` said instead as `new`: "…三区9号楼门口" with 9号楼 -> 8号楼
    is "…三区8号楼门口"; "海淀区苏州街18号院垃圾站" with 苏州街 -> 海淀区知春路18号院
    is "海淀区知春路18号院垃圾站" (what the new words repeat is not doubled). New words
    that name a district and more, and overlap nothing, are the whole new place."""
    start = place.index(old)
    before, after = place[:start], place[start + len(old) :]
    district = find_district(new)
    said = new.removeprefix(district) if district and district in before else new
    overlap = next((k for k in range(len(said), 0, -1) if after.startswith(said[-k:])), 0)
    if not overlap and district and new != district:
        return new
    return before + said + after[overlap:]


class FormAnswers:
    """The engine's complaint form: see the module docstring."""

    settings: DialogSettings
    form: ComplaintForm

    async def _begin(
        self,
        session: Session,
        text: str,
        ports: Ports,
        out: _Reply,
        later: list[str] | None = None,
        parked: dict[str, Any] | None = None,
    ) -> Session:
        """A complaint form started from a description, pre-filled from it."""
        slots = self.form.prefill(text)
        checked = self.form.validate_description(text, {})
        slots = _with_notes(slots, checked.keep)
        if checked.ok:
            slots["description"] = checked.value
        if later:
            slots["_next"] = list(later)
        if parked:
            slots[PARKED] = parked
        return await self._continue(self._start(session, slots, None), ports, out)

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
        place = (session.slots.get("location") or {}).get("text", "")
        if slot == "district" and (elsewhere := outside_beijing(place)):
            # "郑州金水区经三路的路灯坏了": asking which Beijing district it is in makes
            # no sense; where to turn, and the draft waits for a Beijing place
            out.add(m.OUTSIDE_BEIJING.format(place=elsewhere), m.ASK_BEIJING_PLACE)
            slots = {name: value for name, value in session.slots.items() if name != "location"}
            return session.update(slots=slots, requested="location")
        if slot == "category":
            return await self._ask_category(session, ports, out)
        if slot == "confirm":
            session = await self._note_duplicate(session, ports)
        if slot == "contact_phone":
            session = await self._note_last_phone(session, ports)
        if slot == "location":
            session = await self._note_last_place(session, ports)
        out.add(self.form.prompt(slot, session.slots))
        return session.update(requested=slot)

    async def _note_duplicate(self, session: Session, ports: Ports) -> Session:
        """The draft with a `_duplicate` note naming the citizen's open complaint about
        the same problem, for the summary; looked up again each time the summary
        is built, as a correction may have changed the description or the place."""
        slots = session.slots
        description = slots.get("description", "")
        location = slots.get("location") or {}
        # handle() stamps the turn's time on the session before anything else
        now = session.last_active_at
        try:
            recent = await ports.list_complaints(session.openid, LOOKBACK)
        except PortError:
            recent = []  # only a warning: the draft can still be confirmed
        found = None
        if now is not None and description:
            places = (location.get("text", ""), location.get("district", ""))
            found = find_duplicate(description, places, recent, now)
        if found is None:
            return session.update(slots=_with_notes(slots, {"_duplicate": None}))
        note = {
            "no": found.no,
            "date": short_date(found.created_at),
            "status": m.DUPLICATE_STATUS.get(found.status.value, m.DUPLICATE_OPEN),
            "of": description,  # stale once the description changes without a new look
        }
        return session.with_slot("_duplicate", note)

    async def _note_last_phone(self, session: Session, ports: Ports) -> Session:
        """The draft with a `_last_phone` note: the phone given with the citizen's
        latest complaint of the last 30 days that had one, offered instead of
        asking for a number again."""
        now = session.last_active_at
        try:
            recent = await ports.list_complaints(session.openid, 10)
        except PortError:
            recent = []  # then the phone is simply asked for
        phone = next(
            (
                complaint.contact_phone
                for complaint in recent
                if complaint.contact_phone
                and now is not None
                and now - complaint.created_at <= LAST_PHONE_WITHIN
            ),
            None,
        )
        return session.update(slots=_with_notes(session.slots, {LAST_PHONE: phone}))

    async def _note_last_place(self, session: Session, ports: Ports) -> Session:
        """The draft with a `_last_place` note when its description points at the
        place of the complaint registered just before ("还有个事，小区里的健身器材坏了",
        "还是那个地方"): that place, cut to the compound when "小区" is meant."""
        slots = session.slots
        description = slots.get("description", "")
        now = session.last_active_at
        place = None
        if now is not None and SAME_PLACE.search(description) and LAST_PLACE not in slots:
            try:
                recent = await ports.list_complaints(session.openid, 1)
            except PortError:
                recent = []
            last = recent[0] if recent else None
            if (
                last is not None
                and last.location.text
                and now - last.created_at <= LAST_PLACE_WITHIN
                and slots.get("_district", last.location.district) == last.location.district
            ):
                place = last.location.to_dict()
                text = place["text"]
                if "小区" in description and "小区" in text:
                    place["text"] = text[: text.rindex("小区") + 2]
        return session if place is None else session.with_slot(LAST_PLACE, place)

    async def _ask_category(self, session: Session, ports: Ports, out: _Reply) -> Session:
        suggestion = await self._suggest(session.slots.get("description", ""), ports)
        slots = {**session.slots, "_suggested": "", "_confidence": None, "_listed": True}
        if suggestion is not None and suggestion.category in self.settings.categories:
            # a keyword guess has no confidence worth recording
            slots["_suggested"] = suggestion.category
            slots["_confidence"] = suggestion.confidence or None
        asked_again = session.requested == "category" and session.slots.get("_listed")
        if asked_again and slots["_suggested"] == session.slots.get("_suggested"):
            # a location sent at the category question: the list is still on screen
            out.add(self.form.category_reminder(slots))
        else:
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

    @staticmethod
    def _correcting(session: Session) -> bool:
        """Whether the pending question asks for a new value of a filled slot."""
        slot = session.requested or ""
        return slot in KEPT_WHILE_CORRECTING and slot in session.slots

    def _remind(self, session: Session, out: _Reply) -> Session:
        """After a menu's answer, one short line on the draft under way and how to
        go on with it, rather than its whole question again (paused: the resume
        offer, as always)."""
        if session.form != COMPLAINT_FORM or session.paused:
            return self._reask(session, out)
        if self._correcting(session):
            # a correction given up for something else: "继续" shows the summary again
            session = session.update(requested=self.form.missing(session.slots) or "confirm")
        out.add(m.DRAFT_WAITING.format(short=_short(_draft_subject(session.slots), 12)))
        return session

    def _reask(self, session: Session, out: _Reply) -> Session:
        """Repeat the pending question after an interruption (paused: the resume offer)."""
        if session.form != COMPLAINT_FORM:
            return session
        if session.paused:
            out.add(_resume_offer(session))
            return session.with_slot(RESUME_OFFERED, True)
        if not session.requested:
            return session
        if self._correcting(session):
            # a correction given up for something else: back to the summary, unchanged
            session = session.update(requested=self.form.missing(session.slots) or "confirm")
        if session.requested == "category":
            # after a photo or a side question the list is still a short scroll up:
            # eight lines again each time pushed the conversation off the screen
            if session.slots.get("_listed"):
                out.add(self.form.category_reminder(session.slots))
                return session
            session = session.with_slot("_listed", True)
        out.add(self.form.prompt(session.requested, session.slots))
        return session

    async def _form_answer(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        slot = session.requested or self.form.missing(session.slots) or "confirm"
        if (
            slot == "confirm"
            and (split := await self._one_by_one(session, text, ports, now, out)) is not None
        ):
            return split  # "分开" to problems in several districts, or "不用分开"
        keeps = intents.said_yes(text, also=intents.SUBMIT_WORDS) or intents.KEEP.match(text)
        if self._correcting(session) and keeps:
            out.add(m.KEPT_AS_IT_WAS)
            session = session.update(failures={**session.failures, slot: 0})
            return await self._continue(session.update(requested=None), ports, out)
        if contrast := self._contrast(session, text):
            return await self._correct_by_contrast(session, *contrast, ports, out)
        if fix := intents.correction(text):
            if fix.bare or fix.slot != slot or not fix.value:
                return await self._correct(session, fix, ports, out)
            text = fix.value  # "电话是…" when we asked for the phone is simply the answer
        if slot == "contact_phone" and not parse_phone(text):
            if CONFIDENTIAL.search(text):
                # "保密，别让物业知道是我": who sees the number, then the question again
                out.add(m.PHONE_CONFIDENTIAL)
                return self._reask(session, out)
            if no_mobile(text, last=bool(session.slots.get(LAST_PHONE))):
                # "我没有手机", "用微信联系我就行": no phone; the result comes here
                out.add(m.NO_PHONE_PUSHED)
                slots = {**session.slots, "contact_phone": ""}
                session = session.update(slots=slots, failures={**session.failures, slot: 0})
                return await self._continue(session, ports, out)
        if intents.CHANGE_SOMETHING.match(text):
            out.add(m.ASK_WHAT_TO_CHANGE)
            return session
        if intents.RESTART_ONLY.match(text):
            return await self._restart(session, ports, now, out)
        if slot == "photos" and (more := self._no_photos_and_more(session, text)):
            # "没有照片，不过灯是昨天晚上开始不亮的": no photos, and what follows is kept
            slots = {**session.slots, "photos": list(session.slots.get("_photos", []))}
            session = session.update(slots=slots, failures={**session.failures, slot: 0})
            if problem := intents.another_problem(more):
                out.add(m.NEXT_HELD.format(short=_short(problem)))
                session = session.with_slot("_next", [*_next_of(session), problem])
            else:
                session = self._add_to_description(session, more, out)
            return await self._continue(session, ports, out)
        if slot != "description":
            if intents.opens_complaint(text):
                current = session.slots.get("description") or session.slots.get("_partial")
                out.add(m.START_MID_FORM.format(description=_short(current)))
                return self._reask(session, out)
            if self._repeats_description(session, text) and not self._accepts(slot, text, session):
                out.add(m.ALREADY_NOTED)  # the same message again, e.g. sent twice
                return self._reask(session, out)
            if slot == "confirm" and (detail := intents.added_detail(text)):
                # "还有，旁边的井盖也松了": more of this problem, kept in its description
                session = self._add_to_description(session, detail, out)
                return await self._continue(session.update(requested=None), ports, out)
            if slot == "location" and self._detail_at_location(session, text):
                # "主要是晚上十一点以后 已经一个月了" to "在哪里？": more of the problem
                session = self._add_to_description(session, text, out)
                return self._reask(session, out)
            if problem := self._new_problem(session, slot, text):
                out.add(m.NEXT_HELD.format(short=_short(problem)))
                session = session.with_slot("_next", [*_next_of(session), problem])
                return self._reask(session, out)
        elif (
            not session.slots.get("_partial")
            and not intents.has_real_content(strip_phones(text))
            and not intents.PROBLEM.search(text)
        ):
            return self._failed(session, slot, m.BAD_DESCRIPTION, out)  # "哈哈哈哈哈哈"
        if slot == "confirm":
            if intents.confirms_summary(text):
                if session.slots.get(HESITATED) and not intents.SUBMIT_WORD.search(text):
                    # after "算了"/"我再想想" a "嗯" may agree to giving up: never a ticket
                    out.add(m.ASK_SUBMIT)
                    return session
                return await self._register(session, ports, now, out)
            if item := intents.checked_one_item(text):
                # "地址没问题" while checking item by item: the others are still unsaid
                out.add(m.ONE_ITEM_CHECKED.format(item=item))
                return session
            if intents.HESITATE.match(text):
                out.add(m.HESITATION_KEPT)
                return session.with_slot(HESITATED, True)
            if intents.NOTHING_TO_CHANGE.match(text) or intents.said_none(text):
                # neither a confirmation nor a cancel ("不用了", "没有", "莫得": nothing to
                # change): the summary again, to be confirmed
                out.add(m.KEPT_AS_IT_WAS)
                return await self._continue(session.update(requested=None), ports, out)
            if intents.said_no(text):
                out.add(m.ASK_WHAT_TO_CHANGE)
                return session.with_slot(HESITATED, True)
            # Anything else is unclear ("过会儿再说", "稍等", "是西侧那个"): the next
            # "嗯" or "好的" may answer what the citizen meant, not the summary, so from
            # now on only 确认/提交 registers; and detail without 还有/补充 in front
            # is not guessed at, but the citizen is told how to add it.
            session = session.with_slot(HESITATED, True)
            return self._failed(session, "confirm", m.UNCLEAR_AT_SUMMARY, out)
        failures = session.failures.get(slot, 0)
        checked = self.form.skip(slot, text, failures, self.settings.max_failures)
        if checked is not None and checked.ok and slot == "location":
            out.add(m.LOCATION_SKIPPED)  # say so: the citizen was told it could not be
        if checked is None:
            checked = self.form.validate(slot, text, session.slots)
        session = session.update(slots=_with_notes(session.slots, checked.keep))
        if not checked.ok:
            if intents.latin_only(text):
                out.add(m.LATIN_ONLY_IN_FORM)
            if not checked.counts:
                out.add(checked.error)
                return session.update(requested=slot)
            return self._failed(session, slot, checked.error, out)
        slots = {**session.slots, slot: checked.value}
        if slot == "district":
            # "朝阳区" to "在哪个区？": the district of the place given, kept with it
            slots.pop("district")
            slots["location"] = {**(slots.get("location") or {}), "district": checked.value}
            slots[DISTRICT_ASKED] = True  # answered, if only "不清楚": never asked again
            if not checked.value:
                out.add(m.DISTRICT_LEFT_TO_STAFF)
        if slot == "description":
            # the description may also carry an address, a phone number or times
            slots = {**self.form.prefill(checked.value + " " + text), **slots}
        session = session.update(slots=slots, failures={**session.failures, slot: 0})
        return await self._continue(session, ports, out)

    def _accepts(self, slot: str, text: str, session: Session) -> bool:
        """Whether `text` is a valid answer to `slot` (the address part of the
        description sent again is the address we asked for)."""
        if slot == "confirm":
            yes = intents.confirms_summary(text)
            return yes or intents.said_no(text)
        return self.form.validate(slot, text, session.slots).ok

    @staticmethod
    def _repeats_description(session: Session, text: str) -> bool:
        description = _plain(session.slots.get("description", ""))
        said = _plain(strip_phones(text))
        return len(said) >= MIN_DESCRIPTION and bool(description) and said in description

    def _detail_at_location(self, session: Session, text: str) -> bool:
        """Whether a reply to "在哪里？" that names no place says more about the problem:
        when or how long ("晚上十一点以后，已经一个月了"), or words of its description,
        or a lead such as 主要是 / 而且; never another problem ("楼下饭馆油烟很大，
        每天晚上都熏" is one, set aside by _new_problem)."""
        description = session.slots.get("description", "")
        if not description or not intents.has_real_content(text):
            return False
        if intents.another_problem(text) or self.form.validate_location(text, session.slots).ok:
            return False
        if _shares_words(text, description) or intents.adds_detail(text):
            return True
        times = find_times(text)
        rest = text
        for time in times:
            rest = rest.replace(time, "")
        return bool(times) and not intents.PROBLEM.search(rest)

    def _no_photos_and_more(self, session: Session, text: str) -> str:
        """What follows a no to "有照片吗？" in the same message ("没有，灯杆也歪了":
        "灯杆也歪了"), or '' when the message is a plain answer or no such no."""
        if self.form.validate("photos", text, session.slots).ok:
            return ""
        lead, rest = lead_and_rest(text)
        if not rest or not (intents.NO_PHOTOS.match(lead) or intents.said_no(lead)):
            return ""
        rest = _BUT.sub("", rest, count=1)
        return rest if intents.has_real_content(rest) and meaningful_length(rest) > 2 else ""

    @staticmethod
    def _new_problem(session: Session, slot: str, text: str) -> str:
        """A second problem sent while another question is pending, or ''.

        Said so ("另外还有个事…") at any step; at the location and phone steps
        also a problem description that is not the answer ("楼下饭馆油烟很大…")."""
        if body := intents.another_problem(text):
            return body
        if slot not in ("location", "contact_phone"):
            return ""
        if slot == "contact_phone" and (
            find_phone(text) or parse_phone(text) or intents.ANONYMOUS.search(text)
        ):
            return ""
        rest = strip_phones(text)
        address = find_address(rest) if slot == "location" else ""
        if slot == "location" and not address and names_a_place(rest):
            # "天通苑那边，路灯坏了好几天" answers, with a word on the same problem;
            # "小区的垃圾站臭气熏天" names a place too, but is about something else
            on_topic = _shares_words(rest, session.slots.get("description", ""))
            if on_topic or not intents.PROBLEM.search(rest):
                return ""
        if address:
            rest = rest.replace(address, "")
            # "…就在那个坏了的路灯旁边" says more about this problem, not a new one
            rest = rest.strip(" ，,。；;")
            if _PLACE_DETAIL.match(rest) or _shares_words(
                rest, session.slots.get("description", "")
            ):
                return ""
        long_enough = meaningful_length(rest) >= MIN_DESCRIPTION
        if intents.has_real_content(rest) and long_enough and intents.PROBLEM.search(rest):
            return text.strip()
        return ""

    def _failed(self, session: Session, slot: str, error: str, out: _Reply) -> Session:
        session, count = session.fail(slot)
        if slot == "category" and not session.slots.get("_listed"):
            # the question has scrolled away (after a pause): all of it, not a reminder
            # of a category and numbers the citizen cannot see
            error = self.form.prompt("category", session.slots)
            session = session.with_slot("_listed", True)
        elif slot == "category" and count == 2:
            # a second wrong choice: maybe the list scrolled away, show it again
            error = f"{error}\n{self.form.category_options()}"
            session = session.with_slot("_listed", True)
        out.add(error)
        if count >= self.settings.max_failures:
            if slot in self.form.optional:
                out.add(m.TOO_MANY_FAILURES_OPTIONAL)
            elif slot in self.form.skippable_after_failures:
                out.add(m.TOO_MANY_FAILURES_SKIPPABLE)
            else:
                out.add(m.TOO_MANY_FAILURES)
        return session.update(requested=slot)

    def _contrast(self, session: Session, text: str) -> tuple[str, str, str] | None:
        """A correction said by contrast, at any step: "不是9号楼，是8号楼" (the slot
        holding 9号楼), "哦不对，不是苏州街，是海淀区知春路18号院", "不对，是知春路18号院"
        (an address: the place). Returns (slot, old words, new words), or None."""
        said = _CONTRAST.match(text.strip()) or _WRONG_THEN.match(text.strip())
        slots = session.slots
        place = (slots.get("location") or {}).get("text", "")
        if said is None and session.requested == "confirm" and slots.get("description"):
            # "在超市那边" under the summary's 【地点】: where at that place, as after a
            # "不是，"; not at a question it may answer
            fine = not intents.correction(text) and not self.form.category_said(text)
            if fine and _refined_place(place, text):
                return "location", "", text.strip(" ，,。！!")
            return None
        if said is None or not slots.get("description"):
            return None  # nothing to correct yet
        old = (said.groupdict().get("old") or "").strip()
        new = said.group("new").strip(" ，,。！!")
        if not new or new == old:
            return None
        if new in self.form.categories:
            return "category", old, new  # "不是城乡建设，是环境保护"
        if parse_phone(new) or find_phone(new):
            return "contact_phone", old, new  # "不是，是13812345678"
        alone = _DISTRICT_ALONE.match(new) if session.requested != "district" else None
        if alone and (district := find_district(alone.group("district"))):
            # "不对，是朝阳区": that district for the place given, in its words
            said = (slots.get("location") or {}).get("district", "")
            if said and said in place:
                return "location", said, district
            return "location", "", district + place
        if old and old in place:
            return "location", old, new
        if old and old in slots.get("description", ""):
            return "description", old, new
        if not old and _refined_place(place, new) and not self.form.category_said(new):
            return "location", old, new  # "不是，是在北门那边": where at that place
        if self.form.validate_location(new, slots).ok and (find_address(new) or find_district(new)):
            return "location", old, new  # not the words of any slot: an address is the place
        if session.requested != "category" and (category := self.form.category_said(new)):
            return "category", old, category  # "不是，是交通那块的" (its question reads it itself)
        return None

    async def _correct_by_contrast(
        self, session: Session, slot: str, old: str, new: str, ports: Ports, out: _Reply
    ) -> Session:
        """ "不是X，是Y": X replaced by Y where it was said; a whole address for Y
        (with its district) is the new place. The description follows the place."""
        slots = dict(session.slots)
        description = slots.get("description", "")
        if slot == "description":
            value = description.replace(old, new)
            return await self._correct(
                session, intents.Correction("description", value), ports, out
            )
        if slot in ("category", "contact_phone"):
            return await self._correct(session, intents.Correction(slot, new), ports, out)
        place = (slots.get("location") or {}).get("text", "")
        refined = "" if old else _refined_place(place, new)
        value = _replaced_in_place(place, old, new) if old and old in place else refined or new
        checked = self.form.validate_location(value, slots)
        if not checked.ok:
            return self._failed(session, "location", checked.error, out)
        if place and place in description and not refined:
            slots["description"] = description.replace(place, checked.value["text"])
        slots = _with_notes(slots, checked.keep) | {"location": checked.value}
        out.add(m.PLACE_CORRECTED.format(place=checked.value["text"]))
        # back to the question that was pending (the summary again at the end)
        pending = session.requested if session.requested != "location" else None
        session = session.update(slots=slots, requested=pending)
        if pending and pending != "confirm":
            return self._reask(session, out)
        return await self._continue(session.update(requested=None), ports, out)

    async def _correct(
        self, session: Session, fix: intents.Correction, ports: Ports, out: _Reply
    ) -> Session:
        slots = dict(session.slots)
        if fix.bare and fix.slot != "category":
            # "地址" (after "改哪一项？"): ask for it again; photos already sent stay.
            # An old value stays until a new one is given: "确认" keeps it.
            if fix.slot not in KEPT_WHILE_CORRECTING:
                slots.pop(fix.slot, None)
            if fix.slot == "description":
                slots.pop("_partial", None)
            out.add(self.form.prompt(fix.slot, slots))
            return session.update(slots=slots, requested=fix.slot)
        if fix.slot == "photos":
            slots["_photos"] = []
            if fix.value.startswith("重"):
                slots.pop("photos", None)  # asked for again
            else:
                slots["photos"] = []  # "照片不要了": none, and on to what is still missing
            out.add(m.UPDATED)
            return await self._continue(session.update(slots=slots), ports, out)
        if fix.slot == "category" and not fix.value:
            # the suggestion was wrong: offer the list, not the same guess again
            slots.pop("category", None)
            slots["_suggested"] = ""
            slots["_listed"] = True
            out.add(self.form.prompt("category", slots))
            return session.update(slots=slots, requested="category")
        if not fix.value:
            if fix.slot not in KEPT_WHILE_CORRECTING:
                slots.pop(fix.slot, None)
            if fix.slot == "description":
                slots.pop("_partial", None)
            session = session.update(slots=slots)
            out.add(self.form.prompt(fix.slot, slots))
            return session.update(requested=fix.slot)
        if fix.slot == "description":
            slots.pop("_partial", None)
        value = fix.value
        if fix.slot == "location":
            # "地点改成北门那边": that place narrowed down, not a fragment instead of it
            value = _refined_place((slots.get("location") or {}).get("text", ""), value) or value
        checked = self.form.validate(fix.slot, value, slots)
        if not checked.ok:
            return self._failed(session, fix.slot, checked.error, out)
        before = slots.get(fix.slot)
        slots = _with_notes(slots, checked.keep) | {fix.slot: checked.value}
        # a first value (a phone said before it was asked for) is not a change
        out.add(m.UPDATED if before not in (None, checked.value) else m.NOTED)
        return await self._continue(session.update(slots=slots), ports, out)

    async def _photo(self, session: Session, event: Inbound, ports: Ports, out: _Reply) -> Session:
        try:
            photo_id = await ports.store_photo(event.openid, event.media_id)
        except PortError:
            out.add(m.PHOTO_FAILED)
            return self._reask(session, out) if session.paused else session
        if session.paused:
            # kept for the draft (继续) or a new one (重新开始)
            held = list(session.slots.get("_held_photos", []))
            if photo_id not in held:
                held.append(photo_id)
            out.add(m.PHOTO_HELD)
            return self._reask(session.with_slot("_held_photos", held[:MAX_PHOTOS]), out)
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
        if len(photos) == MAX_PHOTOS:
            out.add(m.PHOTO_RECEIVED_LAST.format(count=len(photos)))
            return session if session.requested == "photos" else self._reask(session, out)
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
            out.add(m.LOCATION_HELD)
            return self._reask(session.with_slot("_held_location", location), out)
        if session.form != COMPLAINT_FORM:
            session = self._start(session, {"location": location}, None)
            out.add(self.form.prompt("description", session.slots))  # "已记下地点：…"
            return session.update(requested="description")
        if session.requested == "district":
            # sent to "在哪个区？": the point and its district go with the place named
            given = session.slots.get("location") or {}
            location = {**location, "text": given.get("text") or location["text"]}
            location["district"] = location["district"] or given.get("district", "")
            session = session.update(requested=None)
        elif typed := (session.slots.get("location") or {}).get("text", ""):
            # a pin after a typed address: the pin's label ("大兴区荣华南路") is
            # seldom as precise as what was typed ("…荣华南路9号小区门口"); in the same
            # district the typed words stay and the point is added to them, elsewhere
            # the pin is the place and the change is said
            given = session.slots["location"]
            same = location["district"] in ("", given.get("district", ""))
            if same and location["text"] != typed:
                location = {**location, "text": typed, "district": given.get("district", "")}
                out.add(m.LOCATION_ADDED.format(place=typed))
            elif location["text"] != typed:
                out.add(m.LOCATION_CHANGED.format(place=location["text"], before=typed))
            if session.requested == "location":
                session = session.update(requested=None)  # a new place asked for: this is it
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
            category_confidence=_chosen_confidence(slots),
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
                due=short_time(complaint.due_at),
            )
        )
        registered = session.ended().update(last_no=complaint.no)
        return await self._after_form(session, registered, ports, out)


def _chosen_confidence(slots: Mapping[str, Any]) -> float | None:
    """The model's confidence in the category the complaint is filed under. When the
    citizen picked another one, the model's certainty was about a category this
    complaint no longer has: recording it would auto-dispatch a disputed complaint to
    the citizen's choice, past the dispatcher who should settle the disagreement."""
    chosen, suggested = slots.get("category", ""), slots.get("_suggested", "")
    return slots.get("_confidence") if chosen and chosen == suggested else None
