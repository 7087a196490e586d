"""Consultations and praise: a question answered from the knowledge base or filed on
登记, a question with no answer turned into a complaint when the next message asks
for something to be done, a clear question mid-form set aside rather than taken for
the form's answer, what is said to the service rather than about a problem (a person
asked for, "你是机器人吗", "我想咨询一下", venting, a preamble), and praise filed for
staff to pass on. Filed ones are
consultation-kind tickets whose draft id is the same on every instance
(`offer_draft_id`). The methods are a mixin of `DialogEngine`."""

from __future__ import annotations

import hashlib

from dialogs import intents
from dialogs import messages as m
from dialogs.extract import find_district
from dialogs.ports import ComplaintDraft, PortError, Ports
from dialogs.session import Session
from dialogs.session_notes import CONSULT_OFFER, MISSED_OFFER, _Reply
from dialogs.text_helpers import _shares_words, _short
from models.complaint import ComplaintKind, Location


class Consultations:
    """The engine's consultations and praise: see the module docstring."""

    async def _consult(self, session: Session, text: str, ports: Ports, out: _Reply) -> Session:
        """A consultation: the knowledge base's answer, or the offer to file it."""
        knowledge = await ports.answer_question(text)
        if knowledge is not None:
            out.add(knowledge.answer + m.CONSULT_FOOTER)
            return session.update(offer="consultation", offer_text=text)
        if not intents.has_real_content(text) or intents.FILE_CONSULTATION.match(text):
            # "是", "好的", "登记咨询": no question to pass on; asked for once more
            out.add(m.CONSULT_ASK_AGAIN)
            return session.update(offer=CONSULT_OFFER, offer_text="")
        out.add(m.CONSULT_NO_ANSWER)
        return session.update(offer=MISSED_OFFER, offer_text=text)

    async def _small_talk(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """What is said to the service rather than about a problem, answered here and
        never taken for a description or an address: a person asked for ("我要找真人
        说话"), "你是机器人吗", venting ("傻X机器人"), the citizen about themselves
        ("我是个老头 不太会用这个"), a question announced ("我想咨询一下") or put
        after such words. None for anything else."""
        in_form = session.form is not None
        if intents.asks_for_person(text):
            out.add(m.HUMAN_IN_FORM if in_form else m.HUMAN)
            return session
        if intents.BOT_IDENTITY.match(text):
            out.add(m.BOT_IDENTITY)
            return session
        # "有没有人管啊" at idle chases a complaint already made; mid-form it is anger
        # at the one being registered
        if intents.venting(text) and (in_form or not intents.asks_progress(text)):
            out.add(m.VENTING_IN_FORM if in_form else m.VENTING)
            return session
        if intents.only_about_me(text):
            out.add(m.REASSURE_IN_FORM if in_form else m.REASSURE)
            return session
        if intents.announces_question(text):
            out.add(m.CONSULT_PROMPT)
            # mid-form the form's question follows: its answer must reach the form
            return session if in_form else session.update(offer=CONSULT_OFFER)
        if not in_form and intents.consult_lead(text):
            return await self._consult(session, text, ports, out)
        return None

    @staticmethod
    def _question_set_aside(session: Session, text: str, out: _Reply) -> Session | None:
        """A clear question the knowledge base cannot answer, sent while the form asks
        for something other than the description ("供暖费怎么交" to "在哪里？"): said
        to wait, never taken for the answer (added to the description or refused as
        an address). The form's question follows. None when it is no such question."""
        if session.form is None or session.requested in (None, "description"):
            return None
        if not intents.clear_question(text):
            return None
        out.add(m.QUESTION_SET_ASIDE)
        return session

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
        return await _file(session, draft, m.PRAISE_FILED, ports, out)

    async def _file_consultation(self, session: Session, ports: Ports, out: _Reply) -> Session:
        if not intents.has_real_content(session.offer_text):
            # staff cannot answer "是": the question itself is asked for
            out.add(m.CONSULT_ASK_AGAIN)
            return session.update(offer=CONSULT_OFFER, offer_text="")
        draft = ComplaintDraft(
            draft_id=offer_draft_id("consult", session, session.offer_text),
            openid=session.openid,
            description=session.offer_text,
            kind=ComplaintKind.CONSULTATION,
        )
        return await _file(session, draft, m.CONSULT_FILED, ports, out)


async def _file(
    session: Session, draft: ComplaintDraft, filed: str, ports: Ports, out: _Reply
) -> Session:
    """Register a consultation-kind ticket and say its number; the offer is settled."""
    try:
        complaint = await ports.register_complaint(draft)
    except PortError:
        out.add(m.SYSTEM_BUSY)
        return session
    out.add(filed.format(no=complaint.no))
    return session.update(offer="", offer_text="", last_no=complaint.no)


def offer_draft_id(kind: str, session: Session, text: str) -> str:
    """The draft id (the ticket's `source_key`) of a consultation or praise filed on
    登记: the same on every instance and after a restart (Python's `hash()` is salted
    per process), so a 登记 retried anywhere files one ticket; the same words on
    another day are a new one."""
    day = session.last_active_at.date().isoformat() if session.last_active_at else ""
    digest = hashlib.sha1(f"{session.openid}\n{day}\n{text}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}"
