"""Commands about tickets already registered: status queries (by number, a number cut
short, the 查询 menu), the citizen's recent complaints and progress questions, 撤回
(asked once, then done), 补充 (onto an open ticket, the one a draft repeats, or a
ticket just reopened by a rating). The methods are a mixin of `DialogEngine`; running
a citizen's change and wording a ticket's status are functions."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from dialogs import intents
from dialogs import messages as m
from dialogs.duplicates import LOOKBACK, subjects
from dialogs.extract import find_ticket, meaningful_length, without_ticket
from dialogs.ports import NotAllowed, PortError, Ports
from dialogs.session import Session
from dialogs.session_notes import NEW_PROBLEM_OFFER, WITHDRAW_OFFER, _duplicate_no, _Reply
from dialogs.survey import parse_natural, parse_survey
from dialogs.text_helpers import _shares_words, _short, _telling_apart
from models.beijing import short_time
from models.complaint import TRANSITIONS, Action, Complaint, ComplaintStatus

if TYPE_CHECKING:
    from dialogs.engine import DialogSettings


class TicketCommands:
    """The engine's commands about registered tickets: see the module docstring."""

    settings: DialogSettings

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


async def _withdrawn(ports: Ports, no: str, openid: str) -> bool:
    """Whether the citizen's own ticket is already withdrawn (a second 撤回 or 补充)."""
    complaint = await ports.get_complaint(no)
    return (
        complaint is not None
        and complaint.openid == openid
        and complaint.status is ComplaintStatus.WITHDRAWN
    )


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
