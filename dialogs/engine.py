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

The steps live in mixins, one module each: `form_answers` (the complaint form),
`draft_interruptions` (emergencies, cancel, pause and resume), `ratings` (survey
answers), `ticket_commands` (status, 撤回, 补充), `consultations` (questions and
praise); `session_notes` and `text_helpers` hold what they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import MIN_DESCRIPTION, ComplaintForm
from dialogs.consultations import Consultations, offer_draft_id
from dialogs.draft_interruptions import DraftInterruptions
from dialogs.extract import find_ticket, meaningful_length, scene_name, without_ticket
from dialogs.form_answers import FormAnswers
from dialogs.ports import Ports
from dialogs.ratings import SurveyRatings
from dialogs.session import COMPLAINT_FORM, Session
from dialogs.session_notes import (
    ASKED_AGAIN,
    CONSULT_OFFER,
    DROP_OFFER,
    HESITATED,
    MISSED_OFFER,
    NEW_PROBLEM_OFFER,
    NUMBER_OFFER,
    PRAISE_OFFER,
    QUERY_SHOWN,
    RATING_OFFER,
    REFILE_OFFER,
    REOPENED_OFFER,
    RESUME_OFFERED,
    SOLVED_OFFER,
    TICKET_ASKED,
    WITHDRAW_OFFER,
    _duplicate_no,
    _nothing_told,
    _Reply,
    _with_notes,
)
from dialogs.survey import not_known_yet, parse_for_all, parse_natural, parse_survey
from dialogs.text_helpers import lead_and_rest
from dialogs.ticket_commands import (
    TICKET_OFFERS,
    TicketCommands,
    _asks_when,
    _just_registered,
    _reopen_detail,
)
from models.complaint import IN_WORK
from models.departments import DEFAULT_CATEGORIES
from models.inbound import Inbound, InboundKind

__all__ = ["DialogEngine", "DialogSettings", "Turn", "offer_draft_id"]

SILENT_KINDS = frozenset(
    {
        InboundKind.UNSUBSCRIBE,
        InboundKind.REPORT_LOCATION,
        InboundKind.VIEW,
        InboundKind.TEMPLATE_RESULT,
    }
)
MENU_KEYS = {"COMPLAIN", "QUERY", "CONSULT", "MY_COMPLAINTS"}
# the same danger told again within this time is acknowledged, not advised on again
ADVICE_REPEATED_WITHIN = timedelta(minutes=10)
# offers to file or register something on a yes ("回复“登记”…"): a no only declines
_FILING_OFFERS = frozenset(
    {"consultation", MISSED_OFFER, PRAISE_OFFER, NEW_PROBLEM_OFFER, REFILE_OFFER}
)
# a yes with nothing asked is a second 确认 only this soon after registering
DOUBLE_CONFIRM = timedelta(minutes=5)


def _declines(text: str) -> bool:
    """A no to an offer to file something: "不用", or a refusal with a reason after it
    ("不用了，就是想说一声"), never a new question or problem after it."""
    if intents.said_no(text):
        return True
    lead, rest = lead_and_rest(text)
    refuses = intents.said_no(lead) and not intents.said_no(lead, agree=False)
    return (
        bool(rest)
        and refuses
        and not intents.QUESTION.search(rest)
        and not (intents.PROBLEM.search(rest) or intents.opens_complaint(rest))
    )


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


class DialogEngine(FormAnswers, DraftInterruptions, SurveyRatings, TicketCommands, Consultations):
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
            slots = _with_notes(session.slots, {"_listed": None, RESUME_OFFERED: None})
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
                scene = scene_name(event.key)  # never the raw key: an unknown one says nothing
                out.add(m.WELCOME, m.WELCOME_SCENE.format(scene=scene) if scene else "")
                return session
            case InboundKind.SCAN:
                out.add(m.WELCOME_BACK)
                return session
            case InboundKind.CLICK:
                return await self._menu(session, event.key, ports, out)
            case InboundKind.IMAGE if session.offer == REOPENED_OFFER and session.form is None:
                return await self._photo_for_reopened(session, event, ports, out)
            case InboundKind.IMAGE:
                if session.form is None and not session.paused and not session.offer:
                    # the department asked for a photo: it goes onto that ticket
                    answered = await self._photo_for_question(session, event, ports, now, out)
                    if answered is not None:
                        return answered
                if session.form is None and not session.paused:
                    # minutes after registering: is it for that ticket?
                    asked = await self._photo_after_registering(session, event, ports, now, out)
                    if asked is not None:
                        return asked
                return await self._photo(session, event, ports, out)
            case InboundKind.LOCATION:
                if session.form is None and not session.paused:
                    # minutes after registering: is it for that ticket? (as a photo)
                    asked = await self._location_after_registering(session, event, ports, now, out)
                    if asked is not None:
                        return asked
                return await self._location_message(session, event, ports, out)
            case InboundKind.VOICE if not event.text:
                out.add(m.VOICE_UNRECOGNISED)
                return self._reask(session, out)
            case InboundKind.TEXT | InboundKind.VOICE:
                # the limit follows the description: promise 2 hours only for words that
                # will be part of it
                describes = session.form is None or session.requested == "description"
                promise = describes and not session.paused
                session, fresh = _safety_first(
                    session,
                    event.text,
                    out,
                    now,
                    promise=promise or self._urgent_draft(session, event.text.strip()),
                )
                # "沒有", "確認": control words are read in simplified form
                text = intents.command_text(event.text.strip())
                if intents.advice_is_the_answer(text):
                    return self._crisis(session, text, out, fresh=fresh)
                if not fresh and (
                    told := await self._registered_already(session, text, ports, out)
                ):
                    return told
                return await self._text(session, text, ports, now, out)
            case InboundKind.VIDEO:
                out.add(m.VIDEO_UNSUPPORTED)  # video and shortvideo messages
                return self._reask(session, out)
            case InboundKind.LINK:
                out.add(m.LINK_UNSUPPORTED)
                return self._reask(session, out)
            case _:
                out.add(m.UNSUPPORTED)
                return self._reask(session, out)

    async def _menu(self, session: Session, key: str, ports: Ports, out: _Reply) -> Session:
        if session.offer in _FILING_OFFERS | {CONSULT_OFFER, TICKET_ASKED, QUERY_SHOWN}:
            # a tap changes the subject: a "是" after it files nothing offered before
            session = session.update(offer="", offer_text="")
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
                queried = await self._query(session, ports, out)
                if m.ASK_TICKET in out.lines:
                    queried = queried.update(offer=TICKET_ASKED)  # the number comes next
                elif queried.form is not None:
                    queried = queried.update(offer=QUERY_SHOWN)
                return self._remind(queried, out)
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
            # "没有" may answer the form's question ("有照片吗？"), not this one; "算了"
            # gives up
            declined = intents.said_no(
                text, none=False, also=intents.KEEP_DRAFT_WORDS
            ) and not intents.CANCEL.match(text)
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
            # Not "提交": that asks for the opposite.
            agreed = intents.said_yes(text, also=intents.DROP_WORDS) or intents.CANCEL.match(text)
            if agreed or intents.DROP_DRAFT.match(text):
                return await self._cancel(session, ports, out, confirmed=True)
            # anything else goes on with the form, as if the question had not been asked
        if session.offer == WITHDRAW_OFFER:
            asked, session = session.offer_text, session.update(offer="", offer_text="")
            answered = await self._withdraw_answer(session, asked, text, ports, out)
            if answered is not None:
                return answered
        if session.offer in TICKET_OFFERS:
            offer, kept = session.offer, session.offer_text
            session = session.update(offer="", offer_text="")
            answered = await self._ticket_offer_answer(session, offer, kept, text, ports, now, out)
            if answered is not None:
                return answered
        if session.offer == TICKET_ASKED:
            session = session.update(offer="")
            if (looked := await self._ticket_part(session, text, ports, out)) is not None:
                return self._remind(looked, out)  # "0001" after "请发送要查询的工单编号"
        if session.offer == QUERY_SHOWN:
            session = session.update(offer="")
            date, _ = intents.ticket_part(text)
            if date:
                # "20261128" after the last ticket was shown: another one looked for
                looked = await self._short_status(session, date, "", ports, out)
                return self._remind(looked, out)
        if self._urgent_elsewhere(session, text):
            return await self._urgent_first(session, text, ports, out)
        if self._urgent_same(session, text):
            return self._urgent_detail(session, text, out)
        if session.paused:
            return await self._paused(session, text, ports, now, out)
        if session.form is None and not session.offer:
            # the department asked the citizen something: the answer goes onto the ticket
            answered = await self._answer_to_question(session, text, ports, now, out)
            if answered is not None:
                return answered
        if session.form is None:
            # "不要了", "刚才忘发照片了" just after registering: about that ticket
            about = await self._about_registered(session, text, ports, now, out)
            if about is not None:
                return about
        if self._is_cancel(session, text):
            return await self._cancel(session, ports, out)
        if session.form == COMPLAINT_FORM and intents.CONTINUE_ONLY.match(text):
            # "继续", as the reminder after a menu's answer says: the question again
            return self._reask(session.update(offer=""), out)
        # An offer ("file it as a consultation?") holds for the very next message only.
        offered, session = session.offer, session.update(offer="")
        agreed = intents.said_yes(text, also=intents.SUBMIT_WORDS)
        if offered in ("consultation", MISSED_OFFER) and (
            intents.FILE_CONSULTATION.match(text) or agreed
        ):
            asked = session.offer_text
            if agreed and session.form is None and asked and intents.emergencies(asked):
                # "好" after the advice for "家里煤气泄漏了怎么办": registered as a
                # complaint (the advice said to answer on), which reaches a department
                return await self._begin(session.update(offer_text=""), asked, ports, out)
            return await self._file_consultation(session, ports, out)
        if offered in _FILING_OFFERS and session.form is None and _declines(text):
            # "不用", "不得行" to "回复“登记”…": nothing filed, and no "没看明白"
            out.add(m.OFFER_DECLINED)
            return session.update(offer_text="")
        if offered == MISSED_OFFER and session.form is None:
            acted = await self._act_on_missed(session, text, ports, out)
            if acted is not None:
                return acted
        if offered == REOPENED_OFFER:
            no, session = session.offer_text, session.update(offer_text="")
            if no and not_known_yet(text):
                out.add(m.REOPENED_LATER.format(no=no))  # "过两天再说": nothing to add
                return session
            if no and (_reopen_detail(session, text) or _asks_when(text)):
                return await self._supplement_reopened(session, no, text, ports, out)
        if offered == NUMBER_OFFER:
            number, session = session.offer_text, session.update(offer_text="")
            meant = await self._number_meant(session, number, text, ports, now, out)
            if meant is not None:
                return meant
        if offered == PRAISE_OFFER:
            kept, session = session.offer_text, session.update(offer_text="")
            if kept and (agreed or intents.START_COMPLAINT.match(text)):
                return await self._file_praise(session, kept, ports, out)
            if not kept and not intents.praise(text) == "ask" and self._praise_text(text):
                return await self._file_praise(session, text, ports, out)
        if offered == NEW_PROBLEM_OFFER:
            kept, session = session.offer_text, session.update(offer_text="")
            if agreed or intents.START_COMPLAINT.match(text):
                return await self._begin(session, kept, ports, out)
            if kept and text.startswith("登记咨询"):
                # offered as a complaint after the 咨询 menu, and kept a consultation
                return await self._file_consultation(session.update(offer_text=kept), ports, out)
        if offered == RATING_OFFER:
            kept, session = session.offer_text, session.update(offer_text="")
            confirmed = await self._rating_confirmed(session, kept, text, ports, out)
            if confirmed is not None:
                return confirmed
        if offered == REFILE_OFFER:
            kept, session = session.offer_text, session.update(offer_text="")
            if (refiled := await self._refile(session, kept, text, ports, out)) is not None:
                return refiled
        if intents.FILE_CONSULTATION.match(text) and session.offer_text:
            return await self._file_consultation(session, ports, out)
        if (rated := await self._survey_feedback(session, text, ports, out)) is not None:
            return rated  # "俺不满意", "挺好的", "修好了，…表扬一下" to a pending survey
        if (
            session.form is None
            and intents.asks_progress(text)
            and intents.progress_subject(text)
            and parse_survey(text) is None
            # "上次咨询的社保问题有人回了吗": the consultations, never a new complaint
            and not intents.asks_consultation_progress(text)
        ):
            return await self._progress_or_new(session, text, ports, out)
        if session.form is None and intents.chased_subject(text) and parse_survey(text) is None:
            # "路灯的事催一下": the open lamp ticket, never a second complaint about it
            shown = await self._chase_named(session, text, ports, out)
            if shown is not None:
                return shown
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
        if (
            asked := await self._survey_feedback(session, text, ports, out, unclear=True)
        ) is not None:
            return asked  # "就这？" to a pending survey: "您是说…不满意吗？"
        handled = await self._interruption(session, text, ports, out)
        if handled is not None:
            if handled.offer == WITHDRAW_OFFER:
                return handled  # "确定要撤回…吗？" alone: the form's question after it
            if offered == CONSULT_OFFER:
                return self._remind(handled, out)  # the question the 咨询 menu asked for
            return self._reask(handled, out)
        if offered == CONSULT_OFFER:
            if session.form == COMPLAINT_FORM and not self._consult_asked(session, text):
                # "是" to the category question, tapped 咨询 in between: the form's answer
                return await self._form_answer(session, text, ports, now, out)
            if session.form is None and intents.emergencies(text):
                # "楼道里着火了" after 咨询: the advice above says to answer on for it to
                # be registered; a consultation would reach no department
                return await self._begin(session, text, ports, out)
            if session.form is None and self._reports_problem(text):
                # 咨询 read as "contact us": a problem with its place needs someone to go
                out.add(m.CONSULT_IS_COMPLAINT)
                return session.update(offer=NEW_PROBLEM_OFFER, offer_text=text)
            # asked for a question: never the form's next answer
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
        if (talked := await self._small_talk(session, text, ports, out)) is not None:
            return talked  # "你是机器人吗", "我想咨询一下", "傻X机器人", "我是个老头…"
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
        if (looked := await self._ticket_words(session, text, ports, out)) is not None:
            return looked  # "查询 0009", "部门怎么答复的", a number typed wrong
        if tail := intents.ticket_tail(text):
            return await self._tail_status(session, tail, ports, out)  # "15号工单"
        if intents.MY_COMPLAINTS.search(text) and len(text) <= 12:
            await self._my_complaints(session, ports, out)
            return session
        if intents.asks_consultation_progress(text):
            return await self._consultation_progress(session, ports, out)
        if session.requested == "confirm" and intents.only_chase(text):
            # "催一下" at the summary hurries this draft: it waits for 确认 only
            out.add(m.SUMMARY_HURRY)
            return session
        progress = intents.asks_progress(text) and not intents.progress_subject(text)
        if progress or self._chases(session, text):
            if session.form is not None and (
                intents.hurries_only(text) or not await ports.list_complaints(session.openid, 1)
            ):
                # "快点吧" mid-form hurries this draft; with none before, any chase does
                out.add(m.VENTING_IN_FORM)
                return session
            await self._my_complaints(session, ports, out, progress=True)
            if intents.calls_phone_case(text) and m.NO_CASE_HERE not in out.lines:
                out.add(m.PHONE_CASE_HINT)  # "我上周打电话反映的": not in this chat
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
            if (
                session.form is None
                and not intents.emergencies(text)  # the advice was given: on to where
                and (
                    intents.SERVICE_QUESTION.search(text)
                    or how_to
                    or not intents.PROBLEM.search(text)
                )
            ):
                out.add(m.CONSULT_NO_ANSWER)
                return session.update(offer=MISSED_OFFER, offer_text=text)
            if (aside := self._question_set_aside(session, text, out)) is not None:
                return aside  # "供暖费怎么交" to "在哪里？": not the address
        return None

    async def _idle_text(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        text = intents.without_insults(text)  # the department reads the problem, not the insult
        if intents.opens_complaint(text):
            return self._start(session, {}, out)
        if answer := parse_natural(text) or parse_for_all(text):
            # "没解决", "解决了，谢谢": a rating when a survey waits for one
            rated = await self._survey(session, answer, ports, out)
            if rated is not None:
                return rated
        if intents.said_yes(text, also=intents.SUBMIT_WORDS) and session.last_no:
            if pending := await ports.pending_survey(session.openid):
                out.add(m.SURVEY_HINT.format(no=pending.no))  # "好" to the survey push
                return session
            if await self._just_confirmed(session, ports):
                # a second 确认 (double tap, or a late retry): never a second complaint
                out.add(m.ALREADY_REGISTERED.format(no=session.last_no))
            else:
                out.add(m.YES_TO_NOTHING)  # "是" to a question that lapsed long ago
            return session
        if intents.latin_only(text):
            out.add(m.LATIN_ONLY)  # never a complaint whose address can then not be given
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
            if intents.QUESTION.search(text) and asks and not intents.emergencies(text):
                out.add(m.QUESTION_TO_REGISTER)  # the knowledge base had no answer
            return await self._begin(session, text, ports, out)
        date, digits = intents.ticket_part(text)
        if date or len(digits) == 4:
            # "0001", "20261130": part of a ticket number ("1" may be a rating, "12345"
            # the hotline's)
            looked = await self._ticket_part(session, text, ports, out)
            if looked is not None:
                return looked
        if pending := await ports.pending_survey(session.openid):
            out.add(m.SURVEY_HINT.format(no=pending.no))
            return session
        if emoji := intents.lone_emoji(text):
            out.add(m.EMOJI_ANGRY if emoji == "angry" else m.EMOJI_FRIENDLY)  # "👌", "😡😡😡"
            return session
        # the nine-line help once a visit; after that one line says where it is
        out.add(m.NOT_UNDERSTOOD, m.HELP_POINTER if session.help_shown else m.HELP)
        return session.update(help_shown=True)

    async def _ticket_part(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """A message that is only part of a ticket number: the date ("20261130", that
        day's listed) or the tail ("0001"); None for anything else."""
        date, digits = intents.ticket_part(text)
        if date:
            return await self._short_status(session, date, digits, ports, out)
        if digits:
            return await self._tail_status(session, digits, ports, out)
        return None

    def _chases(self, session: Session, text: str) -> bool:
        """Whether a message chases a complaint ("催一下", "都三天了还没人管"). Mid-form
        only when the chase is all it says and it is no answer to the question asked:
        "13812345678，麻烦快点" is the phone, "快点提交吧" at the summary a 确认, and
        "都三天了还没人管" while the problem is being told is more of it."""
        if not intents.chases(text):
            return False
        if session.form is None:
            return True
        slot = session.requested or "description"
        if slot in ("description", "confirm") or not intents.only_chase(text):
            return False
        return not self.form.validate(slot, text, session.slots).ok

    def _consult_asked(self, session: Session, text: str) -> bool:
        """Mid-form, after the 咨询 menu: whether the message is the question it asked
        for, rather than the answer to the form's question ("是", a place, a phone)."""
        if not intents.has_real_content(text) or intents.said_yes(text) or intents.said_no(text):
            return False
        if intents.QUESTION.search(text) or intents.policy_question(text):
            return True
        slot = session.requested or "description"
        if slot == "description":
            return not intents.describes_wrong(text)
        if slot == "confirm":
            return False  # "确认", "地址改成…" at the summary: the form reads them
        return not self.form.validate(slot, text, session.slots).ok

    def _reports_problem(self, text: str) -> bool:
        """Whether a message sent as a consultation tells of a problem to fix: something
        wrong at a place it names, or told as a statement, not asked about."""
        if intents.policy_question(text) or intents.clear_question(text):
            return False
        if intents.complains_how(text) or intents.reports_hazard(text):
            return True
        if not intents.describes_wrong(text) or not intents.has_real_content(text):
            return False
        return "location" in self.form.prefill(text) or not intents.QUESTION.search(text)

    @staticmethod
    async def _just_confirmed(session: Session, ports: Ports) -> bool:
        """Whether the chat's last registration was just now and is still the citizen's
        latest, and no survey about it was asked: a yes then is the summary's 确认 again.
        A question asked since holds an offer, which takes the yes before this is asked."""
        recent = await ports.list_complaints(session.openid, 1)
        fresh = _just_registered(session, recent, DOUBLE_CONFIRM)
        return fresh is not None and fresh.no == session.last_no and fresh.status in IN_WORK


def _safety_first(
    session: Session, text: str, out: _Reply, now: datetime, *, promise: bool
) -> tuple[Session, bool]:
    """Safety advice for a message that describes immediate danger, before any form
    question: the hotline answers within hours, 110/119/120 within minutes. The same
    danger told again within minutes, or "有人吗" after it, gets one line: the advice
    again would bury the question the citizen is being asked. Whether new advice was
    given is returned with the session."""
    kinds = intents.emergencies(text)
    lately = _advised_lately(session, now)
    if not kinds:
        if lately and intents.calls_out(text):
            out.add(m.EMERGENCY_HEARD)
        return session, False
    advised = {"kinds": sorted({*lately, *kinds}), "at": now.isoformat()}
    session = session.update(advised=advised)
    # the crisis lines say 110/120 already: no injury advice besides
    new = [
        kind
        for kind in kinds
        if kind not in lately and not (kind == "injury" and "self_harm" in kinds)
    ]
    if not new:
        out.add(m.SELF_HARM_AGAIN if "self_harm" in kinds else m.EMERGENCY_NOTED)
        return session, False
    out.add(*(m.EMERGENCY[kind] for kind in new[:2]))
    if not intents.advice_is_the_answer(text):  # else _crisis says what follows
        out.add(m.EMERGENCY_THEN if promise else m.EMERGENCY_THEN_NO_LIMIT)
    return session, True


def _advised_lately(session: Session, now: datetime) -> list[str]:
    """The kinds of danger advised on within the last few minutes."""
    at = session.advised.get("at")
    if not at or now - datetime.fromisoformat(at) > ADVICE_REPEATED_WITHIN:
        return []
    return list(session.advised.get("kinds", []))
