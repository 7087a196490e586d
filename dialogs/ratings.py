"""Survey and rating answers: a rating said in chat ("不满意，路灯还是不亮", "两个都满意",
"20261128-0013 不满意") put on the ticket it is about, or kept while the citizen is
asked which one; a bare number at the category question asked about rather than
guessed; the one follow-up after a rating ("问题解决了吗？"). The methods are a mixin
of `DialogEngine`; the helpers that match an answer to a ticket are functions."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import ComplaintForm
from dialogs.extract import find_ticket, meaningful_length, without_ticket
from dialogs.ports import NotAllowed, PortError, Ports
from dialogs.session import Session
from dialogs.session_notes import (
    ASKED_AGAIN,
    NUMBER_OFFER,
    RATING_OFFER,
    REFILE_OFFER,
    REOPENED_OFFER,
    SOLVED_OFFER,
    SURVEY_LOOKBACK,
    _Reply,
)
from dialogs.survey import (
    THUMBS,
    SurveyAnswer,
    bare_choice,
    blames_the_handling,
    covers_all,
    doubtful,
    is_short_feedback,
    not_known_yet,
    parse_feedback,
    parse_natural,
    parse_survey,
    satisfaction_in,
    solved_in,
    sounds_unhappy,
    without_picking,
)
from dialogs.text_helpers import _shares_words, _short, _telling_apart, lead_and_rest
from models.complaint import Complaint, ComplaintStatus, Rating, Satisfaction
from models.inbound import Inbound

if TYPE_CHECKING:
    from dialogs.engine import DialogSettings


class SurveyRatings:
    """The engine's handling of ratings: see the module docstring."""

    settings: DialogSettings
    form: ComplaintForm

    def _bare_number(
        self, session: Session, text: str, answer: SurveyAnswer | None, ticket: str = ""
    ) -> bool:
        """A number at the category question that may as well be a rating: "3", or
        "3 交通运输"; "3，还是很吵" says more than the number, and rates."""
        # "5分" is a score, never the fifth category
        numbered = session.requested == "category" and not session.paused and bare_choice(text)
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
        if ticket and (closed := await _closed_of(ports, ticket, session.openid)):
            # "20261130-0009 不满意" days after it was closed: never ignored in silence
            unhappy = answer.satisfaction is Satisfaction.UNSATISFIED or answer.solved is False
            return self._case_closed(session, closed, "", out) if unhappy else None
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
        elif (place := _listed_place(text)) is not None:
            # "1", "第二个": by its place in the list just shown ("1" is no rating there)
            named = pending[place] if place < len(pending) else None
            said = None
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
        comment = without_picking(answer.comment)  # "路灯那个满意" picked, said nothing more
        rating = Rating(answer.satisfaction, answer.solved, comment, pending.round)
        try:
            rated = await ports.rate_complaint(pending.no, session.openid, rating)
        except PortError:
            out.add(m.RATE_FAILED)
            return session
        session = session.update(kept_rating={})  # rated: a rating kept for "which?" is moot
        # The rating is saved already; one short question fills in whether the
        # problem was solved (the 解决率). Not mid-form: "是" would be ambiguous there;
        # not on a reopened round either: its next rating will be asked for anyway.
        closed = rated.status is ComplaintStatus.CLOSED
        asks = answer.solved is None and session.form is None and closed and follow_up
        if closed:
            # no "有其他问题随时找我们" right before a question: the farewell follows its answer
            out.add((m.RATED_CLOSED_ASKING if asks else m.RATED_CLOSED).format(no=rated.no))
        elif session.form is None and follow_up:
            out.add(m.RATED_REOPENED.format(no=rated.no, round=rated.round))
            return session.update(offer=REOPENED_OFFER, offer_text=rated.no)
        else:
            out.add(m.RATED_REOPENED_IN_FORM.format(no=rated.no, round=rated.round))
        if intents.praise(answer.comment) == "praise":
            out.add(m.RATED_WITH_PRAISE)  # "修好了，师傅态度特别好，表扬一下": on the rating
        if asks:
            out.add(m.ASK_SOLVED)
            return session.update(offer=SOLVED_OFFER, offer_text=f"{pending.no}#{pending.round}")
        return session

    async def _solved_answer(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "问题解决了吗？" recorded on the rating; None when it is not one.
        "不是很满意" there takes back the rating just given: the ticket is rated again."""
        no, _, round_text = session.offer_text.removesuffix(ASKED_AGAIN).partition("#")
        if not no or not round_text.isdigit():
            return None
        if not_known_yet(text):
            out.add(m.SOLVED_LATER)  # "还没看到": asked again later, never recorded as no
            return session
        if satisfaction_in(text) is Satisfaction.UNSATISFIED:
            rerated = await self._rated_again(session, no, int(round_text), text, ports, out)
            if rerated is not None:
                return rerated
        solved, reason = intents.yes_or_no(text), ""
        lead, rest = lead_and_rest(text)
        if solved is None and rest and is_short_feedback(rest):
            # "没有，还是不亮": the no, and why, kept with the rating
            solved = intents.yes_or_no(lead)
            reason = rest if solved is not None else ""
        if solved is None and meaningful_length(text) <= 8:
            solved = solved_in(text)
        if solved is None:
            return None
        session = session.update(offer="", offer_text="")
        try:
            await ports.record_solved(no, session.openid, int(round_text), solved, reason)
        except PortError:
            out.add(m.RATE_FAILED)
            return session
        out.add(m.SOLVED_RECORDED)
        return session

    async def _rated_again(
        self, session: Session, no: str, round: int, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """ "不是很满意" right after a 满意 (asked "问题解决了吗？"): the citizen's mind
        changed, so the round is rated 不满意 and reopened; None when the message is no
        rating, the ticket is not the one just rated, or another survey still waits."""
        named, rest = without_ticket(text)
        answer = parse_feedback(rest if named == no else text)  # "20261130-0009 不满意"
        complaint = await ports.get_complaint(no)
        rating = complaint.rating if complaint else None
        if answer is None or complaint is None or rating is None or rating.round != round:
            return None
        if complaint.openid != session.openid or rating.satisfaction is answer.satisfaction:
            return None
        if complaint.status is not ComplaintStatus.CLOSED:
            return None
        if await ports.pending_survey(session.openid) is not None:
            return None  # it may be for the survey still waiting: asked about as usual
        session = session.update(offer="", offer_text="")
        return await self._rate(session, complaint, answer, ports, out)

    async def _survey_feedback(
        self, session: Session, text: str, ports: Ports, out: _Reply, *, unclear: bool = False
    ) -> Session | None:
        """With no form open and a survey pending, the citizen's own words for a rating:
        rated when clear ("俺不满意", "挺好的", "还那样，没啥变化", "修好了，师傅态度特别
        好，表扬一下"; before praise is thanked), asked about when they only sound like
        one ("👍"; with `unclear`, last before a new complaint: "就这？"). None when no
        survey waits, or the message is something else (a command, a place, a question,
        "另外…")."""
        if session.form is not None or session.paused or _command(text):
            return None
        if not unclear and not_known_yet(text):
            return await self._survey_later(session, ports, out)
        if not unclear and doubtful(text):
            return await self._survey_later(session, ports, out, m.SURVEY_DOUBTFUL)
        answer = None if unclear else parse_feedback(text)
        thumbs = not unclear and THUMBS.match(text) is not None
        # while "which one?" waits, "路灯那个" names a ticket: no question about it
        unhappy = unclear and not session.kept_rating and sounds_unhappy(text)
        if answer is None and not thumbs and not unhappy:
            return None
        recent = await ports.list_complaints(session.openid, SURVEY_LOOKBACK)
        pending = [c for c in recent if c.status is ComplaintStatus.REPLIED]
        if not pending:
            return None
        if answer is not None:
            return await self._survey(session, answer, ports, out)
        if unhappy:
            named = _named_one(text, pending)
            if named is None and _names_something(text) and not blames_the_handling(text):
                return None  # "楼道里没灯" while the drain is rated: a new problem
            about = [named] if named else pending
            meant = SurveyAnswer(Satisfaction.UNSATISFIED, None, text.strip(" ，,。.!！"))
            lead = m.FEEDBACK_UNSATISFIED
        else:
            about, lead = pending, m.THUMBS_SATISFIED
            meant = SurveyAnswer(Satisfaction.SATISFIED, None, "")
        no = about[0].no if len(about) == 1 else ""
        ticket = (
            m.NUMBER_WHICH_TICKET.format(no=no, short=_short(_telling_apart(about)[0], 14))
            if no
            else m.NUMBER_WHICH_TICKETS
        )
        out.add(lead.format(about=ticket))
        kept = {"no": no, "satisfaction": meant.satisfaction.value, "comment": meant.comment,
                "text": text}  # fmt: skip
        return session.update(offer=RATING_OFFER, offer_text=json.dumps(kept, ensure_ascii=False))

    async def _survey_later(
        self, session: Session, ports: Ports, out: _Reply, said: str = m.SURVEY_LATER
    ) -> Session | None:
        """ "我还没回家，晚上回去看看" to a survey: nothing rated, the survey stays open and
        the citizen is told it does (or, with `said`, asked again: "满意？哈哈"); None
        when no survey waits."""
        recent = await ports.list_complaints(session.openid, SURVEY_LOOKBACK)
        pending = [c for c in recent if c.status is ComplaintStatus.REPLIED]
        if not pending:
            return None
        about = (
            m.SURVEY_LATER_TICKET.format(no=pending[0].no)
            if len(pending) == 1
            else m.SURVEY_LATER_TICKETS
        )
        out.add(said.format(about=about))
        return session

    def _case_closed(self, session: Session, closed: Complaint, said: str, out: _Reply) -> Session:
        """A 不满意 or a relapse ("补充 … 又坏了") named on a closed case: said that it is
        closed, and (no form open) filing it again with its place and content offered."""
        rating = closed.rating
        if said:
            lead = m.SUPPLEMENT_CLOSED.format(no=closed.no)
        elif rating is None:
            lead = m.RATING_CLOSED_UNRATED.format(no=closed.no)
        else:
            lead = m.RATING_CLOSED.format(no=closed.no, rating=rating.satisfaction.value)
        if session.form is not None:
            out.add(lead + m.REFILE_DESCRIBE)  # the draft's question follows: no offer over it
            return session
        told = m.REFILE_SAID.format(said=_short(said, 20)) if said else ""
        out.add(lead + m.REFILE_ASK.format(said=told))
        kept = json.dumps({"no": closed.no, "said": said}, ensure_ascii=False)
        return session.update(offer=REFILE_OFFER, offer_text=kept)

    async def _refile(
        self, session: Session, kept_text: str, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "回复“重新反映”…": a yes starts a complaint pre-filled with the
        closed case's description (and the relapse said), place, category and phone, on
        to the summary to confirm as any other (a new draft id: registered once); None
        when the message is no yes."""
        if not (intents.said_yes(text, also=intents.SUBMIT_WORDS) or _REFILE.match(text)):
            return None
        try:
            kept = json.loads(kept_text)
            no, said = str(kept["no"]), str(kept.get("said") or "")
        except (ValueError, KeyError, TypeError):
            return None
        closed = await ports.get_complaint(no)
        if closed is None or closed.openid != session.openid:
            out.add(m.REFILE_GONE.format(no=no))
            return session
        description = f"{closed.description}；{said}" if said else closed.description
        slots: dict[str, object] = {
            "description": description,
            "location": closed.location.to_dict(),
            "contact_phone": closed.contact_phone,
        }
        if closed.category in self.settings.categories:
            slots["category"] = closed.category
        out.add(m.REFILE_STARTED.format(no=no))
        return await self._continue(self._start(session, slots, None), ports, out)

    async def _rating_confirmed(
        self, session: Session, kept_text: str, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "您是说…不满意吗？" / "是满意吗？": "是" rates as asked, "新问题"
        registers what was said as a complaint, "不是" shows how to rate; anything else
        is handled as usual (None)."""
        try:
            kept = json.loads(kept_text)
            satisfaction = Satisfaction(kept["satisfaction"])
        except (ValueError, KeyError, TypeError):
            return None
        # "1" is a rating of its own here, never a yes
        if intents.said_yes(text):
            answer = SurveyAnswer(satisfaction, None, str(kept.get("comment", "")))
            return await self._survey(session, answer, ports, out, str(kept.get("no", "")))
        if _NEW_PROBLEM.match(text) or intents.START_COMPLAINT.match(text):
            said = str(kept.get("text", ""))
            if satisfaction is Satisfaction.UNSATISFIED and said:
                return await self._begin(session, said, ports, out)
            return self._start(session, {}, out)
        if intents.said_no(text):
            pending = await ports.pending_survey(session.openid)
            if pending is not None:
                out.add(m.SURVEY_HINT.format(no=pending.no))
                return session
        return None

    async def _photo_for_reopened(
        self, session: Session, event: Inbound, ports: Ports, out: _Reply
    ) -> Session:
        """A photo right after "哪里还没解决？直接告诉我": evidence for the reopened
        ticket, added to it; the offer stays, so the words that follow are added too."""
        no = session.offer_text
        try:
            photo_id = await ports.store_photo(event.openid, event.media_id)
            await ports.add_photo(no, session.openid, photo_id)
        except NotAllowed as error:
            out.add(m.NOT_ALLOWED.format(reason=str(error)))
            return session.update(offer="", offer_text="")
        except PortError:
            out.add(m.PHOTO_FAILED_REOPENED.format(no=no))
            return session
        out.add(m.PHOTO_ADDED_REOPENED.format(no=no))
        return session


# "重新反映", "重新登记一下": the answer to the offer to file a closed case again
_REFILE = re.compile(
    r"^(?:那就|那|好的?|行)?[，,\s]*(?:重新|再)(?:反映|登记|提交|投诉|报)[一下吧。！!]*$"
)


async def _closed_of(ports: Ports, no: str, openid: str) -> Complaint | None:
    """The citizen's own ticket `no` when it is closed for good, else None."""
    complaint = await ports.get_complaint(no)
    if complaint is None or complaint.openid != openid:
        return None
    return complaint if complaint.status is ComplaintStatus.CLOSED else None


def _listed_place(text: str) -> int | None:
    """The place in the list of tickets waiting for a rating that "1", "2号" names."""
    match = _LISTED.match(text.strip())
    return int(match.group(1)) - 1 if match else None


# "新问题", "是新问题", "另一件事": what was said is not about the rated ticket
_NEW_PROBLEM = re.compile(
    r"^(?:是|这是|那是)?(?:新问题|新的问题|另一件事|另外的事|别的事)[的了啊吧。！!]*$"
)


def _command(text: str) -> bool:
    """ "补充：灯还是不亮", "20261128-0002 不满意", "处理得怎么样了": handled as what
    they say, never read as an answer in the citizen's own words."""
    commands = (intents.SUPPLEMENT, intents.WITHDRAW, intents.HELP, intents.HUMAN,
                intents.QUERY_ONLY)  # fmt: skip
    return (
        bool(find_ticket(text))
        or any(pattern.match(text) for pattern in commands)
        or bool(intents.status_query(text))
        or intents.asks_progress(text)
    )


def _names_something(text: str) -> bool:
    """Whether a short message names a thing of its own ("楼道里没灯"), rather than
    only how things went ("就这？", "还是老问题")."""
    said = {ch for ch in text if "\u4e00" <= ch <= "\u9fa5"} - _OUTCOME_CHARS - _GENERIC_CHARS
    return bool(said - _GRUMBLE_CHARS)


# how an unhappy message says it, never what about
_GRUMBLE_CHARS = frozenset("才可但怎咋白根本骗这就吧么什啥样师傅")


def _which_survey(pending: list[Complaint], lead: str, kept: SurveyAnswer | None) -> str:
    """Ask which ticket a rating is for, listing the ones that wait for one; the
    rating is kept meanwhile, so the number alone is enough."""
    # numbered: "1" then names the first ticket
    lines = [f"{i}. " + m.MY_LINE.format(no=c.no, status=c.status_label,
                                         description=_short(told, 14))
             for i, (c, told) in enumerate(zip(pending, _telling_apart(pending), strict=True), 1)
             ]  # fmt: skip
    said = kept.satisfaction.value if kept else ""
    if kept and kept.comment:
        said = f"{said}，{kept.comment}"
    return "\n".join(
        [lead.format(no=pending[0].no), *lines,
         m.SURVEY_NAME_IT.format(no=pending[0].no, rating=_short(said, 20))]
    )  # fmt: skip


# after "请说明是哪一件": words around a ticket number that only say "this one"
_JUST_NAMING = re.compile(r"^(?:是|就是|选|这个|这件|那个|那件|这一件|那一件|的|吧|啊|呀)+$")
# "1", "2号": a place in the numbered list of tickets waiting for a rating
_LISTED = re.compile(r"^([1-9])(?:号|个|件)?[吧啊呀。！!]*$")
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
              "comment": without_picking(answer.comment)}  # fmt: skip
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
