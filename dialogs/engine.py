"""The conversation engine: (session, inbound message) -> replies + new session.

Order of handling for each message, the same in every state:

1. events and non-text messages (subscribe, menu clicks, photos, locations,
   voice without recognition, video/link);
2. the answer to the one follow-up after a rating ("问题解决了吗？"); then an
   emergency told while another matter is being registered: that draft is set
   aside as it is, the emergency registered first, and the draft taken up again
   (danger about the draft itself is added to its description, never refused);
3. a draft that timed out is paused and offered for resumption (继续 / 重新开始).
   Nothing sent meanwhile is lost: side requests are answered, an obvious
   answer to the pending question continues the form, anything else (and
   photos, locations) is kept and used after 继续 or 重新开始;
4. cancel, then side requests that are answered and return to the pending
   question (survey answer, help, withdraw, 补充, status query, my complaints,
   a question the knowledge base knows);
5. a correction of a slot ("地址改成…", "不是这个类别", "修改", a bare "地址");
6. mid-form: a restart, "我要投诉", the description sent again, or a second
   problem ("另外还有个事…"), which is kept and registered next;
7. the answer to the pending question, validated by the form's `validate_<slot>`;
8. with no form: a natural survey answer ("没解决") when a survey is pending,
   praise ("表扬一下…") thanked and filed on 登记 (no address asked), else a
   problem description starts the complaint form pre-filled.

The engine never touches storage or WeChat: it talks to the world through
`Ports` and returns a new `Session`; the input session is never mutated.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import (
    MAX_PHOTOS,
    MIN_DESCRIPTION,
    NO_PHONE,
    ComplaintForm,
    keyword_category,
)
from dialogs.duplicates import LOOKBACK, find_duplicate, subjects
from dialogs.extract import (
    find_address,
    find_district,
    find_phone,
    find_ticket,
    find_times,
    meaningful_length,
    names_a_place,
    parse_phone,
    strip_phones,
    without_ticket,
)
from dialogs.ports import ComplaintDraft, NotAllowed, PortError, Ports
from dialogs.session import COMPLAINT_FORM, Session
from dialogs.survey import (
    SurveyAnswer,
    covers_all,
    parse_for_all,
    parse_natural,
    parse_survey,
    solved_in,
)
from models.beijing import short_date, short_time
from models.complaint import (
    TRANSITIONS,
    Action,
    Complaint,
    ComplaintKind,
    ComplaintStatus,
    Location,
    Rating,
    Satisfaction,
)
from models.departments import DEFAULT_CATEGORIES, CategorySuggestion
from models.inbound import Inbound, InboundKind
from models.sla import describe_limit

SILENT_KINDS = frozenset(
    {
        InboundKind.UNSUBSCRIBE,
        InboundKind.REPORT_LOCATION,
        InboundKind.VIEW,
        InboundKind.TEMPLATE_RESULT,
    }
)
MENU_KEYS = {"COMPLAIN", "QUERY", "CONSULT", "MY_COMPLAINTS"}
# slots whose answers carry content: one sent after the idle timeout is applied at once
OBVIOUS_AFTER_TIMEOUT = frozenset({"description", "location", "contact_phone"})
# Slots whose old value is kept while a correction asks for a new one, so that
# "确认" or "不改了" (or a menu tap) goes back to the summary instead of leaving
# the citizen stuck at a question they cannot answer.
KEPT_WHILE_CORRECTING = frozenset({"description", "location", "contact_phone"})
SOLVED_OFFER = "solved"  # Session.offer while the "问题解决了吗？" follow-up waits
ASKED_AGAIN = "#again"  # the solved question was repeated once already
# Session.offer right after a rating reopened a ticket (offer_text: its number): the
# next plain message is most likely what is still wrong, so it goes onto that ticket.
REOPENED_OFFER = "reopened"
# Session.offer while "要放弃这次反映吗？" waits: a draft with a description and a
# place is only discarded on a second, explicit word
DROP_OFFER = "drop"
# slot note: at the summary the citizen hesitated or spoke of cancelling; from then on
# only 确认/提交 registers, and "放弃" drops without asking again
HESITATED = "_hesitated"
# Session.offer right after the 咨询 menu: the next message is a consultation
CONSULT_OFFER = "consult"
# Session.offer while "确定要撤回工单…吗？" waits (offer_text: the number): only a
# clear yes withdraws it
WITHDRAW_OFFER = "withdraw"
# Session.offer after a question the knowledge base had no answer for (offer_text:
# the question): "登记咨询" files it; "你们派人来看看" or "我要投诉" registers it as
# a complaint
MISSED_OFFER = "consultation_missed"
# how many recent complaints are looked at for a pending survey (as the bot's port)
SURVEY_LOOKBACK = 10
# Session.offer after a progress question that also described a problem none of the
# listed complaints is about (offer_text: the message): "登记" registers it
NEW_PROBLEM_OFFER = "new_problem"
# Session.offer after praise (offer_text: the praise): "登记" files it; after "我要表扬"
# (offer_text ""), the next message is the praise and is filed
PRAISE_OFFER = "praise"
# Session.offer after a bare "3" at the category question while a survey waits
# (offer_text: the number): "评价" rates with it, "类别" picks the category
NUMBER_OFFER = "number"
# slot note of an emergency's draft: the draft it interrupted, as it was ({"slots",
# "requested", "failures", "draft_id", "paused"}), taken up again after it
PARKED = "_parked"


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


class DialogEngine:
    def __init__(self, settings: DialogSettings | None = None) -> None:
        self.settings = settings or DialogSettings()
        self.form = ComplaintForm(self.settings.categories)

    async def handle(self, session: Session, event: Inbound, ports: Ports, now: datetime) -> Turn:
        out = _Reply()
        if event.kind in SILENT_KINDS:
            return Turn([], session)
        away = (
            session.last_active_at is not None
            and now - session.last_active_at > self.settings.idle_timeout
        )
        timed_out = away and session.form is not None and not session.paused
        if away:
            # a new visit: what was shown before has scrolled away or been forgotten
            slots = _with_notes(session.slots, {"_listed": None})
            session = session.update(help_shown=False, slots=slots, kept_rating={})
        session = session.update(last_active_at=now)
        if session.offer == WITHDRAW_OFFER and (
            away or event.kind not in (InboundKind.TEXT, InboundKind.VOICE)
        ):
            # a tap or a photo is no answer to "确定要撤回…吗？", and after a break the
            # question has scrolled away: a later "确定" must not withdraw anything
            session = session.update(offer="", offer_text="")
        if timed_out:
            # the message that arrived with the timeout is handled like any other
            # while paused (see _paused): never thrown away
            session = session.update(paused=True)
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
                # the limit follows the description: promise 2 hours only for words that
                # will be part of it
                describes = session.form is None or session.requested == "description"
                promise = describes and not session.paused
                _safety_first(
                    event.text,
                    out,
                    promise=promise or self._urgent_draft(session, event.text.strip()),
                )
                return await self._text(session, event.text.strip(), ports, now, out)
            case _:
                out.add(m.UNSUPPORTED)
                return self._reask(session, out)

    async def _menu(self, session: Session, key: str, ports: Ports, out: _Reply) -> Session:
        if key in ("QUERY", "MY_COMPLAINTS", "CONSULT") and session.form == COMPLAINT_FORM:
            if not session.paused and _nothing_told(session):
                # "我要投诉" tapped, then 咨询: nothing to keep, so no complaint to nag about
                session = session.ended()
        match key:
            case "COMPLAIN":
                if session.form == COMPLAINT_FORM:
                    return self._reask(session, out)  # paused: the resume offer
                return self._start(session, {}, out)
            case "QUERY":
                return self._remind(await self._query(session, ports, out), out)
            case "MY_COMPLAINTS":
                await self._my_complaints(session, ports, out)
                return self._remind(session, out)
            case "CONSULT":
                out.add(m.CONSULT_PROMPT)
                session = session.update(offer=CONSULT_OFFER)
                # the draft is recalled once, after the answer to the question asked
                return self._reask(session, out) if session.paused else session
            case _:
                out.add(m.HELP)
                return self._reask(session.update(help_shown=True), out)

    async def _text(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session:
        if not text:
            out.add(m.BLANK)
            return self._reask(session, out)
        if session.offer == SOLVED_OFFER:
            answered = await self._solved_answer(session, text, ports, out)
            if answered is not None:
                return answered
            if meaningful_length(text) <= 2 and not session.offer_text.endswith(ASKED_AGAIN):
                # "1", "嗯？": ask once more rather than let the question lapse
                out.add(m.ASK_SOLVED)
                return session.update(offer_text=session.offer_text + ASKED_AGAIN)
            session = session.update(offer="", offer_text="")  # the rating stays as it was
        if session.offer == DROP_OFFER:
            session = session.update(offer="")
            if intents.CONFIRM_DROP.match(text):
                return await self._cancel(session, ports, out, confirmed=True)
            if intents.HESITATE.match(text):
                # "我再想想": neither answer; say the draft waits, and how to finish it
                out.add(m.HESITATION_KEPT)
                return session.with_slot(HESITATED, True)
            declined = intents.NO.match(text) or intents.KEEP_DRAFT.match(text)
            if (
                declined
                or text.startswith("不放弃")
                or (intents.RESUME.match(text) and not session.paused)
            ):
                out.add(m.DROP_DECLINED)
                return self._reask(session, out)
            # The question just asked was "give it up?": a yes answers it, never the
            # form (a "好的" once registered the complaint), and a second cancel in
            # other words ("取消登记", "我不想投诉了") is no reason to ask again.
            agreed = intents.AGREE_TO_DROP.match(text) or intents.CANCEL.match(text)
            if agreed or intents.DROP_DRAFT.match(text):
                return await self._cancel(session, ports, out, confirmed=True)
            # anything else goes on with the form, as if the question had not been asked
        if session.offer == WITHDRAW_OFFER:
            no, session = session.offer_text, session.update(offer="", offer_text="")
            answered = await self._withdraw_answer(session, no, text, ports, out)
            if answered is not None:
                return answered
        if self._urgent_elsewhere(session, text):
            return await self._urgent_first(session, text, ports, out)
        if self._urgent_same(session, text):
            return self._urgent_detail(session, text, out)
        if session.paused:
            return await self._paused(session, text, ports, now, out)
        if self._is_cancel(session, text):
            return await self._cancel(session, ports, out)
        if session.form == COMPLAINT_FORM and intents.CONTINUE_ONLY.match(text):
            # "继续", as the reminder after a menu's answer says: the question again
            return self._reask(session.update(offer=""), out)
        # An offer ("file it as a consultation?") holds for the very next message only.
        offered, session = session.offer, session.update(offer="")
        if offered in ("consultation", MISSED_OFFER) and (
            intents.FILE_CONSULTATION.match(text) or intents.YES.match(text)
        ):
            return await self._file_consultation(session, ports, out)
        if offered == MISSED_OFFER and session.form is None:
            acted = await self._act_on_missed(session, text, ports, out)
            if acted is not None:
                return acted
        if offered == REOPENED_OFFER:
            no, session = session.offer_text, session.update(offer_text="")
            if no and _reopen_detail(session, text):
                return await self._supplement_reopened(session, no, text, ports, out)
        if offered == NUMBER_OFFER:
            number, session = session.offer_text, session.update(offer_text="")
            meant = await self._number_meant(session, number, text, ports, now, out)
            if meant is not None:
                return meant
        if offered == PRAISE_OFFER:
            kept, session = session.offer_text, session.update(offer_text="")
            agreed = intents.YES.match(text) or intents.START_COMPLAINT.match(text)
            if kept and agreed:
                return await self._file_praise(session, kept, ports, out)
            if not kept and not intents.praise(text) == "ask" and self._praise_text(text):
                return await self._file_praise(session, text, ports, out)
        if offered == NEW_PROBLEM_OFFER:
            kept, session = session.offer_text, session.update(offer_text="")
            if intents.YES.match(text) or intents.START_COMPLAINT.match(text):
                return await self._begin(session, kept, ports, out)
        if intents.FILE_CONSULTATION.match(text) and session.offer_text:
            return await self._file_consultation(session, ports, out)
        if (
            session.form is None
            and intents.asks_progress(text)
            and intents.progress_subject(text)
            and parse_survey(text) is None
        ):
            return await self._progress_or_new(session, text, ports, out)
        if session.form is None and (praised := intents.praise(text)):
            # "表扬一下朝阳区城管 服务态度特别好": thanks, and 登记 offered; no street asked
            out.add(m.PRAISE_ASK if praised == "ask" else m.PRAISE_THANKS)
            kept = "" if praised == "ask" else text
            return session.update(offer=PRAISE_OFFER, offer_text=kept)
        if session.form is None and (unnamed := intents.unnamed_matter(text)):
            return await self._unnamed_matter(session, unnamed, ports, out)
        if session.form is None and intents.still_wrong(text) and parse_survey(text) is None:
            shown = await self._still_wrong(session, text, ports, out)
            if shown is not None:
                return shown
        if session.form is not None and _duplicate_no(session) and intents.SUPPLEMENT.match(text):
            supplemented = await self._supplement_duplicate(session, text, ports, out)
            if supplemented is not None:
                return supplemented
        if (asked := await self._number_which(session, text, ports, out)) is not None:
            return asked  # "3" at the category question while a survey waits
        handled = await self._interruption(session, text, ports, out)
        if handled is not None:
            if handled.offer == WITHDRAW_OFFER:
                return handled  # "确定要撤回…吗？" alone: the form's question after it
            if offered == CONSULT_OFFER:
                return self._remind(handled, out)  # the question the 咨询 menu asked for
            return self._reask(handled, out)
        if offered == CONSULT_OFFER:
            # asked for a question: whatever it is, never the form's next answer
            return self._remind(await self._consult(session, text, ports, out), out)
        if session.form == COMPLAINT_FORM:
            return await self._form_answer(session, text, ports, now, out)
        return await self._idle_text(session, text, ports, out)

    async def _interruption(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """Answer a side request; None when the message is not one."""
        if session.requested == "category" and intents.CATEGORY_LIST.match(text):
            # "有哪些类别": the re-ask that follows shows the whole list again
            return session.with_slot("_listed", False)
        if session.kept_rating:
            # the answer to "请说明是哪一件": the rating said before goes onto it
            chosen = await self._rating_for_named(session, text, ports, out)
            if chosen is not None:
                return chosen
        # "20261128-0013 不满意": the rating of a named ticket
        ticket, rest = without_ticket(text)
        answer = parse_survey(rest.strip() if ticket else text)
        # "1" when we asked for the category picks the category, not a rating (a bare
        # number while a survey waits too is asked about first: see _number_which)
        if answer and not self._bare_number(session, text, answer, ticket):
            rated = await self._survey(session, answer, ports, out, ticket)
            if rated is not None:
                return rated
        if intents.HELP.match(text):
            out.add(m.HELP)
            return session.update(help_shown=True)
        if intents.HUMAN.match(text):
            out.add(m.HUMAN_IN_FORM if session.form else m.HUMAN)
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
        if intents.QUERY_ONLY.match(text):
            return await self._query(session, ports, out)
        if ticket := intents.status_query(text):
            return await self._status(session, ticket, ports, out, reask=False)
        date, digits = intents.status_query_short(text)
        if date:
            return await self._short_status(session, date, digits, ports, out)
        if intents.MY_COMPLAINTS.search(text) and len(text) <= 12:
            await self._my_complaints(session, ports, out)
            return session
        if intents.asks_progress(text) and not intents.progress_subject(text):
            await self._my_complaints(session, ports, out, progress=True)
            return session
        # A question mid-form is answered only when the knowledge base knows it:
        # "能不能快点修？" may well be the description we asked for, and
        # "停水了什么时候来水？" when we asked for one certainly is.
        # "可以", "吗" alone carry no question worth a knowledge-base search
        if intents.complains_how(text) or intents.reports_hazard(text):
            # "楼上装修噪音怎么投诉", "健身器材松动了，万一砸到孩子怎么办": the
            # complaint itself, started below
            return None
        how_to = intents.policy_question(text)
        if (intents.QUESTION.search(text) or how_to) and (
            meaningful_length(text) > 2 or intents.SERVICE_QUESTION.search(text)
        ):
            if (
                session.form is not None
                and session.requested == "description"
                and intents.PROBLEM.search(text)
                and not intents.SERVICE_QUESTION.search(text)
                and not how_to
            ):
                return None
            knowledge = await ports.answer_question(text)
            if knowledge is not None:
                if session.form is not None:
                    out.add(knowledge.answer)
                    return session
                out.add(knowledge.answer + m.CONSULT_FOOTER)
                return session.update(offer="consultation", offer_text=text)
            if session.form is None and (
                intents.SERVICE_QUESTION.search(text) or how_to or not intents.PROBLEM.search(text)
            ):
                out.add(m.CONSULT_NO_ANSWER)
                return session.update(offer=MISSED_OFFER, offer_text=text)
        return None

    def _bare_number(
        self, session: Session, text: str, answer: SurveyAnswer | None, ticket: str = ""
    ) -> bool:
        """A number at the category question that may as well be a rating: "3", or
        "3 交通运输"; "3，还是很吵" says more than the number, and rates."""
        numbered = session.requested == "category" and not session.paused and text[:1].isdigit()
        if answer is None or not numbered or ticket:
            return False
        return not answer.comment or self.form.validate_category(answer.comment, {}).ok

    async def _number_which(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """A bare "3" at the category question while a survey waits (1 满意 2 基本满意
        3 不满意): which of the two it answers is asked, never guessed; None (the
        category) when no survey waits."""
        answer = parse_survey(text)
        if answer is None or answer.comment or not self._bare_number(session, text, answer):
            return None
        recent = await ports.list_complaints(session.openid, SURVEY_LOOKBACK)
        pending = [c for c in recent if c.status is ComplaintStatus.REPLIED]
        if not pending:
            return None
        number = re.sub(r"\D", "", text)
        category = self.settings.categories[int(number) - 1]
        if len(pending) == 1:
            about = m.NUMBER_WHICH_TICKET.format(
                no=pending[0].no, short=_short(pending[0].description, 14)
            )
        else:
            about = m.NUMBER_WHICH_TICKETS
        out.add(
            m.NUMBER_WHICH.format(
                number=number, about=about, rating=answer.satisfaction.value, category=category
            )
        )
        return session.update(offer=NUMBER_OFFER, offer_text=number)

    async def _number_meant(
        self, session: Session, number: str, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """The answer to "是评价，还是选择类别？"; None when it is neither."""
        if intents.MEANS_RATING.match(text):
            answer = parse_survey(number)
            rated = await self._survey(session, answer, ports, out) if answer else None
            return self._reask(rated or session, out)
        if intents.MEANS_CATEGORY.match(text):
            return await self._form_answer(session, number, ports, now, out)
        return None

    async def _survey(
        self, session: Session, answer: SurveyAnswer, ports: Ports, out: _Reply, ticket: str = ""
    ) -> Session | None:
        """Rate the survey the answer is for; None when no survey is pending."""
        recent = await ports.list_complaints(session.openid, SURVEY_LOOKBACK)
        pending = [c for c in recent if c.status is ComplaintStatus.REPLIED]
        if not pending:
            return None
        if not ticket and len(pending) > 1 and covers_all(answer.comment):
            # "两个都满意": before the words, which may happen to match one ("两个星期")
            for complaint in pending:
                session = await self._rate(session, complaint, answer, ports, out, follow_up=False)
            return session
        if ticket:
            named = [c for c in pending if c.no == ticket]
        else:
            # "不满意，路灯还是不亮" is about the street lamp, whichever survey came last
            about = [c for c in recent if _shares_words(answer.comment, c.description)]
            named = [c for c in about if c in pending]
            if about and not named:
                target = pending[0] if len(pending) == 1 else None
                session = _keep_rating(session, answer)
                lead = m.SURVEY_NOT_THIS if target else m.SURVEY_WHICH
                out.add(_which_survey(pending, lead, _kept_answer(session)))
                return session
            if not named and len(pending) == 1:
                named = pending
        if len(named) != 1 and not ticket and (each := _answer_each(answer, pending)):
            # "灯好了", "路灯修好了，下水道还是堵": every complaint it names, unambiguously
            for complaint, said in each:
                alone = len(each) == 1
                session = await self._rate(session, complaint, said, ports, out, follow_up=alone)
            return session
        if len(named) != 1:
            # several wait: a guess once reopened the drain for the street lamp's 不满意
            session = _keep_rating(session, answer)
            out.add(_which_survey(pending, m.SURVEY_WHICH, _kept_answer(session)))
            return session
        return await self._rate(session, named[0], answer, ports, out)

    async def _rating_for_named(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The ticket named after "请说明是哪一件" ("20261128-0002", "路灯那个",
        "20261128-0002 不满意") rated with what was said before, comment and all.
        None when the message names none of the tickets waiting for a rating."""
        recent = await ports.list_complaints(session.openid, SURVEY_LOOKBACK)
        pending = [c for c in recent if c.status is ComplaintStatus.REPLIED]
        kept = _kept_answer(session)
        if not pending or kept is None:
            return None
        ticket, rest = without_ticket(text)
        rest = rest.strip(" ，,。！!、")
        said = parse_survey(rest) if rest else None
        if ticket:
            named = next((c for c in pending if c.no == ticket), None)
            if rest and said is None and not _JUST_NAMING.match(rest):
                return None  # "补充 …", "撤回 …": something else about that ticket
        elif meaningful_length(text) > 8 or intents.describes_wrong(text) or parse_survey(text):
            return None  # a new report, or a new rating: not a name
        elif match := _ORDINAL.match(text):
            place = _ORDINALS.index(match.group(1)) % 5
            named = pending[place] if place < len(pending) else None
        else:
            named = _named_one(text, pending)
        if named is None:
            return None
        answer = kept if said is None else _merged(said, kept)
        return await self._rate(session.update(kept_rating={}), named, answer, ports, out)

    async def _rate(
        self,
        session: Session,
        pending: Complaint,
        answer: SurveyAnswer,
        ports: Ports,
        out: _Reply,
        *,
        follow_up: bool = True,
    ) -> Session:
        """Record the rating; `follow_up=False` when one answer rated several tickets
        (a reopened one's offer, or "问题解决了吗？", could not say which)."""
        rating = Rating(answer.satisfaction, answer.solved, answer.comment, pending.round)
        try:
            rated = await ports.rate_complaint(pending.no, session.openid, rating)
        except PortError:
            out.add(m.RATE_FAILED)
            return session
        session = session.update(kept_rating={})  # rated: a rating kept for "which?" is moot
        if rated.status is ComplaintStatus.CLOSED:
            out.add(m.RATED_CLOSED.format(no=rated.no))
        elif session.form is None and follow_up:
            out.add(m.RATED_REOPENED.format(no=rated.no, round=rated.round))
            return session.update(offer=REOPENED_OFFER, offer_text=rated.no)
        else:
            out.add(m.RATED_REOPENED_IN_FORM.format(no=rated.no, round=rated.round))
        # The rating is saved already; one short question fills in whether the
        # problem was solved (the 解决率). Not mid-form: "是" would be ambiguous there;
        # not on a reopened round either: its next rating will be asked for anyway.
        closed = rated.status is ComplaintStatus.CLOSED
        if answer.solved is None and session.form is None and closed and follow_up:
            out.add(m.ASK_SOLVED)
            return session.update(offer=SOLVED_OFFER, offer_text=f"{pending.no}#{pending.round}")
        return session

    async def _solved_answer(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "问题解决了吗？" recorded on the rating; None when it is not one."""
        solved = intents.yes_or_no(text)
        if solved is None and meaningful_length(text) <= 8:
            solved = solved_in(text)
        no, _, round_text = session.offer_text.removesuffix(ASKED_AGAIN).partition("#")
        if solved is None or not no or not round_text.isdigit():
            return None
        session = session.update(offer="", offer_text="")
        try:
            await ports.record_solved(no, session.openid, int(round_text), solved)
        except PortError:
            out.add(m.RATE_FAILED)
            return session
        out.add(m.SOLVED_RECORDED)
        return session

    async def _idle_text(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        if intents.opens_complaint(text):
            return self._start(session, {}, out)
        if answer := parse_natural(text) or parse_for_all(text):
            # "没解决", "解决了，谢谢": a rating when a survey waits for one
            rated = await self._survey(session, answer, ports, out)
            if rated is not None:
                return rated
        if intents.YES.match(text) and session.last_no:
            if pending := await ports.pending_survey(session.openid):
                out.add(m.SURVEY_HINT.format(no=pending.no))  # "好" to the survey push
                return session
            # a second 确认 (double tap, or a late retry): never a second complaint
            out.add(m.ALREADY_REGISTERED.format(no=session.last_no))
            return session
        describes = intents.has_real_content(text) and (
            meaningful_length(text) >= MIN_DESCRIPTION
            or intents.PROBLEM.search(text)
            or intents.emergencies(text)
        )
        found = self.form.prefill(text)
        if describes or found.keys() & {"contact_phone", "location"}:
            # a phone number or an address alone is kept for the form it starts
            asks = not (intents.complains_how(text) or intents.reports_hazard(text))
            if intents.QUESTION.search(text) and asks:
                out.add(m.QUESTION_TO_REGISTER)  # the knowledge base had no answer
            return await self._begin(session, text, ports, out)
        if pending := await ports.pending_survey(session.openid):
            out.add(m.SURVEY_HINT.format(no=pending.no))
            return session
        # the nine-line help once a visit; after that one line says where it is
        out.add(m.NOT_UNDERSTOOD, m.HELP_POINTER if session.help_shown else m.HELP)
        return session.update(help_shown=True)

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
        out.add(m.PARKED_RESUMED.format(short=_short(_draft_subject(slots))))
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
        same = set(kinds) <= set(intents.emergencies(current)) or _shares_words(text, current)
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
        parked = {
            "slots": slots,
            "requested": session.requested,
            "failures": session.failures,
            "draft_id": session.draft_id,
            "paused": session.paused,
        }
        out.add(m.URGENT_FIRST.format(short=_short(_draft_subject(session.slots))))
        return await self._begin(session, text, ports, out, parked=parked)

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
        if intents.CANCEL.match(text):
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
        if intents.RESUME.match(text):
            return await self._resume(session, ports, now, out)
        if intents.RESTART.match(text):
            return await self._restart(session, ports, now, out)
        if self._is_cancel(session, text):
            return await self._cancel(session, ports, out)
        handled = await self._interruption(session, text, ports, out)
        if handled is not None:
            return self._reask(handled, out)  # with the resume offer
        if self._obvious_answer(session, text):
            session, _ = self._unpause(session)
            out.add(m.RESUMED_WITH_ANSWER)
            return await self._form_answer(session, text, ports, now, out)
        answers_yes = session.requested == "category" and intents.YES.match(text)
        if not answers_yes and (intents.YES.match(text) or not intents.has_real_content(text)):
            # "好的", "嗯" to "where?": nothing to keep; replayed it would read as a bad answer
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
        if intents.correction(text) or intents.opens_complaint(text):
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
            slots["location"] = location
            if requested == "location":
                requested = None  # answered: _continue asks the next one
        return session.update(paused=False, slots=slots, requested=requested), texts

    async def _resume(self, session: Session, ports: Ports, now: datetime, out: _Reply) -> Session:
        session, texts = self._unpause(session)
        out.add(m.RESUMED)
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
        for text in texts:
            if session.requested == "confirm" and intents.YES.match(text):
                continue
            session = await self._text(session, text, ports, now, out)
            shown = True
        if not shown and not prompted:
            return await self._continue(session, ports, out)
        return session

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
        if slot == "confirm":
            session = await self._note_duplicate(session, ports)
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
            return session
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
        if self._correcting(session) and (intents.YES.match(text) or intents.KEEP.match(text)):
            out.add(m.KEPT_AS_IT_WAS)
            session = session.update(failures={**session.failures, slot: 0})
            return await self._continue(session.update(requested=None), ports, out)
        if fix := intents.correction(text):
            if fix.bare or fix.slot != slot or not fix.value:
                return await self._correct(session, fix, ports, out)
            text = fix.value  # "电话是…" when we asked for the phone is simply the answer
        if intents.CHANGE_SOMETHING.match(text):
            out.add(m.ASK_WHAT_TO_CHANGE)
            return session
        if intents.RESTART_ONLY.match(text):
            return await self._restart(session, ports, now, out)
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
            if intents.YES.match(text):
                if session.slots.get(HESITATED) and not intents.SUBMIT_WORD.search(text):
                    # after "算了"/"我再想想" a "嗯" may agree to giving up: never a ticket
                    out.add(m.ASK_SUBMIT)
                    return session
                return await self._register(session, ports, now, out)
            if intents.HESITATE.match(text):
                out.add(m.HESITATION_KEPT)
                return session.with_slot(HESITATED, True)
            if intents.NOTHING_TO_CHANGE.match(text):
                # neither a confirmation nor a cancel: the summary again, to be confirmed
                out.add(m.KEPT_AS_IT_WAS)
                return await self._continue(session.update(requested=None), ports, out)
            if intents.NO.match(text):
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

    def _accepts(self, slot: str, text: str, session: Session) -> bool:
        """Whether `text` is a valid answer to `slot` (the address part of the
        description sent again is the address we asked for)."""
        if slot == "confirm":
            return bool(intents.YES.match(text) or intents.NO.match(text))
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
        if slot == "category" and count == 2:
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
        checked = self.form.validate(fix.slot, fix.value, slots)
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
                due=short_time(complaint.due_at),
            )
        )
        registered = session.ended().update(last_no=complaint.no)
        return await self._after_form(session, registered, ports, out)

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

    async def _short_status(
        self, session: Session, date: str, digits: str, ports: Ports, out: _Reply
    ) -> Session:
        """ "查询20261129-1": the zeros left out are put back ("20261129-0001") only when
        no other ticket of the citizen's that day could be meant ("20261129-0012"
        cut short); else the ones it may be are listed, to send in full."""
        typed = f"{date}-{digits}"
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        head = digits.lstrip("0")
        fits = [
            c
            for c in recent
            if c.no.startswith(f"{date}-") and c.no.partition("-")[2].lstrip("0").startswith(head)
        ]
        padded = f"{date}-{int(digits):04d}"
        if [c.no for c in fits] == [padded]:
            return await self._status(session, padded, ports, out, reask=False)
        if not fits:
            out.add(m.NOT_FOUND.format(no=typed))
            return session
        lines = [
            m.MY_LINE.format(no=c.no, status=c.status_label, description=_short(c.description, 14))
            for c in fits
        ]
        out.add("\n".join([m.TICKET_WHICH.format(no=typed), *lines]))
        return session

    async def _query(self, session: Session, ports: Ports, out: _Reply) -> Session:
        """The 查询 menu: the last ticket of this chat, else ask for a number."""
        if session.last_no:
            return await self._status(session, session.last_no, ports, out, reask=False)
        out.add(m.ASK_TICKET)
        return session

    async def _my_complaints(
        self, session: Session, ports: Ports, out: _Reply, *, progress: bool = False
    ) -> None:
        complaints = await ports.list_complaints(session.openid, self.settings.my_complaints_limit)
        if not complaints and progress:
            # "我昨天报的那个有人来看了吗": it may have been reported by phone
            out.add(m.NO_CASE_HERE, m.NO_CASE_DESCRIBE)
            return
        if not complaints:
            out.add(m.MY_NONE)
            return
        lines = [m.MY_HEADER] + [
            m.MY_LINE.format(no=c.no, status=c.status_label, description=_short(c.description, 14))
            for c in complaints
        ]
        if progress:
            lines.append(m.MY_DETAIL_HINT)  # "which one?" is answered by its number
        out.add("\n".join(lines))

    async def _progress_or_new(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session:
        """A progress question that also says what is wrong ("那个路灯到底有没有人管"):
        their complaints, and this one registered if it is not among them."""
        complaints = await ports.list_complaints(session.openid, self.settings.my_complaints_limit)
        if not complaints and intents.refers_back(text):
            # "之前投诉的违建拆了没": reported elsewhere (by phone, most likely), not here;
            # registering it here is offered, never started unasked
            out.add(m.NO_CASE_HERE, m.NO_CASE_REGISTER)
            return session.update(offer=NEW_PROBLEM_OFFER, offer_text=text)
        if not complaints:
            # nothing to report progress on: what they describe is the complaint
            return await self._begin(session, text, ports, out)
        await self._my_complaints(session, ports, out, progress=True)
        subject = intents.progress_subject(text)
        if any(_shares_words(subject, c.description) for c in complaints):
            return session
        out.add(m.PROGRESS_OR_NEW)
        return session.update(offer=NEW_PROBLEM_OFFER, offer_text=text)

    async def _unnamed_matter(
        self, session: Session, kind: str, ports: Ports, out: _Reply
    ) -> Session:
        """ "啥时候能给俺修好", "这事儿归谁管啊": nothing to register or look up by; their
        complaints when a fix is asked after, and the question what the matter is."""
        if kind == "fix":
            complaints = await ports.list_complaints(
                session.openid, self.settings.my_complaints_limit
            )
            if complaints:
                await self._my_complaints(session, ports, out, progress=True)
                out.add(m.NEW_MATTER_TOO)
                return session
            out.add(m.NO_CASE_HERE)
        out.add(m.ASK_WHAT_MATTER)
        return session

    async def _still_wrong(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """ "俺家门口的灯咋还不亮" while a street-light complaint is open: most likely that
        one, so it is shown, and the message is kept for the offer to register it as
        a new problem. None when no open complaint is about the thing it names (a
        new complaint, as from a citizen with none)."""
        thing = intents.still_wrong_thing(text)
        if not thing:
            return None
        complaints = await ports.list_complaints(session.openid, self.settings.my_complaints_limit)
        if parse_natural(text) and any(c.status is ComplaintStatus.REPLIED for c in complaints):
            return None  # "路灯还是没人修" to a survey: the rating, handled as one
        # "楼道灯" is the "声控灯" of "楼道里的声控灯坏了": the same thing, other words
        named = subjects(text)
        matching = [
            c
            for c in complaints
            if c.is_open and (thing in c.description or named & subjects(c.description))
        ]
        if not matching:
            return None
        lines = [m.SIMILAR_OPEN] + [
            m.MY_LINE.format(no=c.no, status=c.status_label, description=_short(c.description, 14))
            for c in matching
        ]
        out.add("\n".join(lines), m.SIMILAR_OR_NEW)
        if answered := [c for c in matching if c.status is ComplaintStatus.REPLIED]:
            # answered, and still not right: the survey is where to say so
            out.add(m.SURVEY_HINT.format(no=answered[0].no))
        return session.update(offer=NEW_PROBLEM_OFFER, offer_text=text)

    async def _withdraw(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        no = find_ticket(text)
        if not no:
            out.add(m.WITHDRAW_ASK_IN_FORM if session.form else m.WITHDRAW_ASK)
            return session
        complaint = await ports.get_complaint(no)
        if complaint is None or complaint.openid != session.openid:
            out.add(m.NOT_FOUND.format(no=no))
            return session
        if complaint.status is ComplaintStatus.WITHDRAWN:
            out.add(m.ALREADY_WITHDRAWN.format(no=no))
            return session
        if complaint.status not in TRANSITIONS[Action.WITHDRAW]:
            # answered or closed: the port refuses and says why; nothing to ask about
            await _citizen_action(
                ports.withdraw_complaint(no, session.openid), no, m.WITHDRAWN, out
            )
            return session
        # it cannot be undone by the citizen: asked once, withdrawn only on a clear yes
        out.add(
            m.WITHDRAW_CONFIRM.format(
                no=no, short=_short(_telling_apart([complaint])[0].lstrip("的"), 16)
            )
        )
        return session.update(offer=WITHDRAW_OFFER, offer_text=no)

    async def _withdraw_answer(
        self, session: Session, no: str, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "确定要撤回工单…吗？": withdrawn on a clear yes (with a draft
        open, only 确定/撤回: a plain "是" may answer its question); anything else
        keeps the ticket, and a message that is more than a no is then handled as
        usual (None)."""
        if intents.confirms_withdraw(text, explicit=session.form is not None):
            await _citizen_action(
                ports.withdraw_complaint(no, session.openid), no, m.WITHDRAWN, out
            )
            return self._reask(session, out)
        out.add(m.WITHDRAW_KEPT.format(no=no))
        if intents.WITHDRAW.match(text) and find_ticket(text) not in ("", no):
            return None  # "撤回 <another number>": asked about in turn
        said_no = intents.NO.match(text) or intents.KEEP_DRAFT.match(text)
        if said_no or intents.CANCEL.match(text) or intents.KEEP.match(text):
            return self._reask(session, out)
        if not intents.has_real_content(text) or meaningful_length(text) <= 3:
            return self._reask(session, out)
        return None

    async def _supplement(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        body = intents.SUPPLEMENT.sub("", text, count=1)
        no, body = without_ticket(body)
        body = body.strip(" ：:，,")
        if not body:
            out.add(m.SUPPLEMENT_ASK)
            return session
        if not no:
            open_ones = [c for c in await ports.list_complaints(session.openid, 5) if c.is_open]
            if not open_ones:
                out.add(m.SUPPLEMENT_NONE)
                return session
            no = open_ones[0].no
        elif await _withdrawn(ports, no, session.openid):
            out.add(m.SUPPLEMENT_WITHDRAWN.format(no=no))
            return session
        await _citizen_action(
            ports.supplement_complaint(no, session.openid, body), no, m.SUPPLEMENTED, out
        )
        return session

    async def _supplement_duplicate(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """ "补充 <no> …" naming the open ticket the summary said this draft repeats:
        the text goes onto that ticket and the draft is dropped, as the citizen chose
        adding to it over a second registration. None when it names another ticket
        or says nothing (the usual 补充 handling answers those)."""
        body = intents.SUPPLEMENT.sub("", text, count=1)
        no, body = without_ticket(body)
        body = body.strip(" ：:，,。＋+")
        if no != _duplicate_no(session) or not body:
            return None
        added = await _citizen_action(
            ports.supplement_complaint(no, session.openid, body), no, m.DUPLICATE_SUPPLEMENTED, out
        )
        if not added:
            return self._reask(session, out)  # closed meanwhile: the draft may be needed
        return await self._after_form(session, session.ended(), ports, out)

    async def _supplement_reopened(
        self, session: Session, no: str, text: str, ports: Ports, out: _Reply
    ) -> Session:
        done = m.REOPENED_SUPPLEMENTED.format(no=no)
        await _citizen_action(ports.supplement_complaint(no, session.openid, text), no, done, out)
        return session

    async def _consult(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        """A consultation: the knowledge base's answer, or the offer to file it."""
        knowledge = await ports.answer_question(text)
        if knowledge is not None:
            out.add(knowledge.answer + m.CONSULT_FOOTER)
            return session.update(offer="consultation", offer_text=text)
        out.add(m.CONSULT_NO_ANSWER)
        return session.update(offer=MISSED_OFFER, offer_text=text)

    async def _act_on_missed(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The message after a question the knowledge base could not answer, when it
        asks for something to be done ("你们派人来看看啊", "我要投诉", "管管吧"): the
        question was the problem, and the complaint starts with it (and whatever
        the message adds). "帮我登记" after a how-to question files the consultation.
        None when the message asks for nothing, or tells a problem of its own."""
        asked = session.offer_text
        wants, added = intents.action_asked(text)
        if not asked or not wants:
            return None
        if not intents.describes_wrong(asked):
            if intents.only_registers(text):
                return await self._file_consultation(session.update(offer_text=asked), ports, out)
            return None
        if added and intents.describes_wrong(added) and not _shares_words(added, asked):
            return None  # "我要投诉楼下饭馆油烟大": another matter, told in full
        out.add(m.MISSED_TO_COMPLAINT.format(short=_short(asked)))
        description = f"{asked}；{added}" if added else asked
        return await self._begin(session.update(offer_text=""), description, ports, out)

    @staticmethod
    def _praise_text(text: str) -> bool:
        """Whether the message after "要表扬谁、因为什么事？" can be the praise: not a
        command, a question or a problem report."""
        if not intents.has_real_content(text) or intents.QUESTION.search(text):
            return False
        commands = (intents.HELP, intents.HUMAN, intents.GREETING, intents.THANKS,
                    intents.WITHDRAW, intents.SUPPLEMENT, intents.QUERY_ONLY)  # fmt: skip
        if any(pattern.match(text) for pattern in commands) or intents.status_query(text):
            return False
        return not intents.describes_wrong(text) and not intents.opens_complaint(text)

    async def _file_praise(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        """Praise is registered for staff to pass on (a consultation-kind ticket
        marked 【表扬】: there is no praise kind), with the district if one is named."""
        draft = ComplaintDraft(
            draft_id=offer_draft_id("praise", session, text),
            openid=session.openid,
            description=f"【表扬】{text}",
            location=Location("", find_district(text)),
            kind=ComplaintKind.CONSULTATION,
        )
        try:
            complaint = await ports.register_complaint(draft)
        except PortError:
            out.add(m.SYSTEM_BUSY)
            return session
        out.add(m.PRAISE_FILED.format(no=complaint.no))
        return session.update(offer="", offer_text="", last_no=complaint.no)

    async def _file_consultation(self, session: Session, ports: Ports, out: _Reply) -> Session:
        draft = ComplaintDraft(
            draft_id=offer_draft_id("consult", session, session.offer_text),
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


def offer_draft_id(kind: str, session: Session, text: str) -> str:
    """The draft id (the ticket's `source_key`) of a consultation or praise filed on
    登记: the same on every instance and after a restart (Python's `hash()` is salted
    per process), so a 登记 retried anywhere files one ticket; the same words on
    another day are a new one."""
    day = session.last_active_at.date().isoformat() if session.last_active_at else ""
    digest = hashlib.sha1(f"{session.openid}\n{day}\n{text}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}"


def _safety_first(text: str, out: _Reply, *, promise: bool) -> None:
    """Safety advice for a message that describes immediate danger, before any form
    question: the hotline answers within hours, 110/119/120 within minutes."""
    kinds = intents.emergencies(text)
    if kinds:
        then = m.EMERGENCY_THEN if promise else m.EMERGENCY_THEN_NO_LIMIT
        out.add(*(m.EMERGENCY[kind] for kind in kinds[:2]), then)


def _which_survey(pending: list[Complaint], lead: str, kept: SurveyAnswer | None) -> str:
    """Ask which ticket a rating is for, listing the ones that wait for one; the
    rating is kept meanwhile, so the number alone is enough."""
    lines = [m.MY_LINE.format(no=c.no, status=c.status_label, description=_short(told, 14))
             for c, told in zip(pending, _telling_apart(pending), strict=True)]  # fmt: skip
    said = kept.satisfaction.value if kept else ""
    if kept and kept.comment:
        said = f"{said}，{kept.comment}"
    return "\n".join(
        [lead.format(no=pending[0].no), *lines,
         m.SURVEY_NAME_IT.format(no=pending[0].no, rating=_short(said, 20))]
    )  # fmt: skip


# after "请说明是哪一件": words around a ticket number that only say "this one"
_JUST_NAMING = re.compile(r"^(?:是|就是|选|这个|这件|那个|那件|这一件|那一件|的|吧|啊|呀)+$")
# "第二个", "第2件": by its place in the list
_ORDINALS = "一二三四五12345"
_ORDINAL = re.compile(rf"^(?:是|就是)?第([{_ORDINALS}])(?:个|件|条)?[吧啊呀。！!]*$")


def _keep_rating(session: Session, answer: SurveyAnswer) -> Session:
    """The session keeping a rating until the citizen says which ticket it is for;
    a bare "不满意" after "不满意，灯还是不亮" keeps the comment said first."""
    kept = _kept_answer(session)
    if kept is not None and not answer.comment:
        answer = _merged(answer, kept)
    rating = {"satisfaction": answer.satisfaction.value, "solved": answer.solved,
              "comment": answer.comment}  # fmt: skip
    return session.update(kept_rating=rating)


def _kept_answer(session: Session) -> SurveyAnswer | None:
    kept = session.kept_rating
    try:
        satisfaction = Satisfaction(kept.get("satisfaction"))
    except ValueError:
        return None
    solved = kept.get("solved")
    return SurveyAnswer(satisfaction, solved if isinstance(solved, bool) else None,
                        str(kept.get("comment") or ""))  # fmt: skip


def _merged(said: SurveyAnswer, kept: SurveyAnswer) -> SurveyAnswer:
    """A rating given with the ticket's number, with the comment said before it when
    it brings none of its own and does not change its mind."""
    if said.comment or said.satisfaction is not kept.satisfaction:
        return said
    solved = said.solved if said.solved is not None else kept.solved
    return SurveyAnswer(said.satisfaction, solved, kept.comment)


def _telling_apart(complaints: list[Complaint]) -> list[str]:
    """The descriptions without what they share: two problems at the same address
    both began "小区门口的…学院路20号院" when cut short, and could not be told apart."""
    texts = []
    for complaint in complaints:
        text = complaint.description
        if complaint.location.text:
            text = text.replace(complaint.location.text, "")
        texts.append(text.strip(" ，,。；;"))
    if len(texts) > 1:
        shared = 0
        while all(len(text) > shared and text[shared] == texts[0][shared] for text in texts):
            shared += 1
        if all(len(text) > shared for text in texts):
            texts = [text[shared:].lstrip(" ，,。；;的") for text in texts]
    return [text or c.description for text, c in zip(texts, complaints, strict=True)]


# characters of a survey answer that say how it went, never which problem
_OUTCOME_CHARS = frozenset("好了满意解决修还是没的很非常挺都谢也已经又问题处理啊呢吧不太")
# ... nor do these: who did (not) come, what state a thing is in, which one, where:
# "还是没人管" fitted the rubbish bin that "没人清" through 人, "灯还是不亮" the lamp
# that was "不亮" rather than the one that was "坏了" through 亮
_GENERIC_CHARS = frozenset(
    "人管来看清弄搞整办理说找去到给让被把过着得在有就才吗么呀哦嗯我你他们这那个件一次"
    "亮响通动坏堵漏吵臭黑脏乱差慢快等再更最多少大小区门口楼里边上下路街号院"
)


def _named_one(text: str, pending: list[Complaint]) -> Complaint | None:
    """The one pending complaint the text names ("灯好了" names the street lamp, not
    the rubbish bin); None when it names none, or fits several ("灯还是不亮" with
    two lamps): a telling word (see _shares_words) first, else a telling character
    of what the complaint is about (its place left out)."""
    sharing = [c for c in pending if _shares_words(text, c.description)]
    if sharing:
        return sharing[0] if len(sharing) == 1 else None
    said = {ch for ch in text if "\u4e00" <= ch <= "\u9fa5"} - _OUTCOME_CHARS - _GENERIC_CHARS
    fits = [c for c in pending if said & set(c.description.replace(c.location.text, ""))]
    return fits[0] if len(fits) == 1 else None


def _answer_each(
    answer: SurveyAnswer, pending: list[Complaint]
) -> list[tuple[Complaint, SurveyAnswer]]:
    """The rating for each complaint an answer names ("路灯修好了，下水道还是堵"),
    when that is unambiguous; [] when it names none, or one twice."""
    clauses = [part for part in re.split(r"[，,；;。！!\s]+", answer.comment) if part]
    found: dict[str, tuple[Complaint, SurveyAnswer]] = {}
    for clause in clauses:
        complaint = _named_one(clause, pending)
        if complaint is None:
            continue
        said = (parse_natural(clause) if len(clauses) > 1 else None) or answer
        if complaint.no in found and found[complaint.no][1] != said:
            return []
        found[complaint.no] = (complaint, said)
    return list(found.values())


def _reopen_detail(session: Session, text: str) -> bool:
    """Whether the message after a reopening says what is still wrong, rather than
    being a command, a greeting or a new complaint announced as one."""
    if session.form is not None or not intents.has_real_content(text):
        return False
    commands = (intents.HELP, intents.HUMAN, intents.GREETING, intents.THANKS, intents.WITHDRAW,
                intents.SUPPLEMENT, intents.FILE_CONSULTATION,
                intents.YES, intents.NO)  # fmt: skip
    if any(pattern.match(text) for pattern in commands) or intents.status_query(text):
        return False
    if intents.opens_complaint(text) or intents.asks_progress(text):
        return False  # "我要投诉", "处理得怎么样了": nothing to add to the ticket
    if intents.QUERY_WORDS.search(text) and meaningful_length(text) <= 6:
        return False  # "查询进度"
    return not intents.MY_COMPLAINTS.search(text) and parse_survey(text) is None


async def _citizen_action(action: Awaitable[Complaint], no: str, done: str, out: _Reply) -> bool:
    """Run a citizen's change to a complaint and say how it went; whether it was done."""
    try:
        await action
    except NotAllowed as error:
        out.add(m.NOT_ALLOWED.format(reason=str(error)))
    except PortError:
        out.add(m.NOT_FOUND.format(no=no))
    else:
        out.add(done.format(no=no))
        return True
    return False


def _duplicate_no(session: Session) -> str:
    """The ticket the draft's summary said it repeats, or ''."""
    note = session.slots.get("_duplicate") or {}
    return str(note.get("no", ""))


def _with_notes(slots: dict[str, Any], notes: Any) -> dict[str, Any]:
    """Slots with working notes applied; a note of None removes it."""
    updated = dict(slots)
    for name, value in dict(notes).items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    return updated


async def _withdrawn(ports: Ports, no: str, openid: str) -> bool:
    """Whether the citizen's own ticket is already withdrawn (a second 撤回 or 补充)."""
    complaint = await ports.get_complaint(no)
    return (
        complaint is not None
        and complaint.openid == openid
        and complaint.status is ComplaintStatus.WITHDRAWN
    )


def _next_of(session: Session) -> list[str]:
    return list(session.slots.get("_next", []))


_PLACE_LEAD = re.compile(r"^(?:我在|就在|在|地址是|地点是|地址|地点)[:：\s]*")


def _place_in_front(text: str) -> str:
    """The address a message opens with, as a clause of its own ("朝阳区…12号楼，刚才
    那边着火了"), or '' ("…3号院门口的井盖丢了" is about that place, not an answer)."""
    text = _PLACE_LEAD.sub("", text.strip(), count=1)
    address = find_address(text)
    if not address or not text.startswith(address):
        return ""
    after = text[len(address) : len(address) + 1]
    return address if after and after in " ，,。；;！!、" else ""


def _nothing_told(session: Session) -> bool:
    """Whether a draft holds nothing the citizen said or sent yet (the 投诉 menu
    tapped, say): leaving it loses nothing."""
    kept = ("description", "_partial", "location", "contact_phone", "_photos", "_next", PARKED)
    return not any(session.slots.get(name) for name in kept)


def _draft_subject(slots: dict[str, Any]) -> str:
    """What a draft is about, for naming it: its description, else what is known."""
    location = slots.get("location") or {}
    return (
        slots.get("description") or slots.get("_partial") or location.get("text", "") or "尚未描述"
    )


def _resume_offer(session: Session) -> str:
    description = session.slots.get("description") or session.slots.get("_partial")
    return m.RESUME_OFFER.format(description=_short(description) or "尚未描述")


def _plain(text: str) -> str:
    """Only the characters that carry content, for comparing two messages."""
    return "".join(ch for ch in text if ch.isalnum())


_PLACE_DETAIL = re.compile(r"^(就在|在|旁边|附近|对面|靠近|挨着|那个|这个|就是|也就是)")
# words any two problems may share: no sign that they are the same problem
_COMMON_PAIRS = frozenset(
    "危险 好久 晚上 白天 已经 一直 没有 没人 小区 门口 楼下 楼上 很多 每天 天天 问题 时间 附近 "
    "这个 那个 现在 不能 影响 严重 居民 老人 孩子 好几 几天 一个 半天 不了 了好".split()
)


_FUNCTION_CHARS = frozenset("很的了是有在也都就还又太好不没得着过把被让给和与")


def _shares_words(text: str, other: str) -> bool:
    """Whether two texts share a telling two-character Chinese word ("路灯")."""
    pairs = {text[i : i + 2] for i in range(len(text) - 1)}
    return any(
        len(pair) == 2
        and all("\u4e00" <= ch <= "\u9fa5" for ch in pair)
        and pair not in _COMMON_PAIRS
        and not set(pair) & _FUNCTION_CHARS
        and pair in other
        for pair in pairs
    )


def _short(text: str | None, limit: int = 20) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


def _status_text(complaint: Complaint) -> str:
    extra = ""
    if complaint.is_open:
        extra += m.STATUS_DUE.format(due=short_time(complaint.due_at))
    if complaint.rating is not None:
        extra += m.STATUS_RATING.format(rating=complaint.rating.satisfaction.value)
    return m.STATUS.format(
        no=complaint.no,
        status=complaint.status_label,
        category=complaint.category or "待定",
        department=complaint.department_name or "待派单",
        created=short_time(complaint.created_at),
        extra=extra,
    )
