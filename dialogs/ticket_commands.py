"""Commands about tickets already registered: status queries (by number, a number cut
short, the 查询 menu), the citizen's recent complaints and progress questions, 撤回
(asked once, then done), 补充 (onto an open ticket, the one a draft repeats, or a
ticket just reopened by a rating). The methods are a mixin of `DialogEngine`; running
a citizen's change and wording a ticket's status are functions."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from dialogs import intents
from dialogs import messages as m
from dialogs.complaint_form import MIN_DESCRIPTION, location_text
from dialogs.duplicates import LOOKBACK, same_place, subjects
from dialogs.extract import (
    find_address,
    find_district,
    find_ticket,
    meaningful_length,
    normalize_digits,
    without_ticket,
)
from dialogs.ports import NotAllowed, PortError, Ports
from dialogs.ratings import _named_one
from dialogs.session import Session
from dialogs.session_notes import (
    NEW_PROBLEM_OFFER,
    REOPENED_OFFER,
    WITHDRAW_OFFER,
    _duplicate_no,
    _Reply,
)
from dialogs.survey import parse_natural, parse_survey
from dialogs.text_helpers import _shares_words, _short, _telling_apart, lead_and_rest
from models.beijing import short_time
from models.complaint import TRANSITIONS, Action, Complaint, ComplaintKind, ComplaintStatus
from models.inbound import Inbound

if TYPE_CHECKING:
    from dialogs.engine import DialogSettings

# Session.offer after "您要撤回哪一件？" (offer_text: the numbers listed, space-separated)
WITHDRAW_PICK_OFFER = "withdraw_pick"
# Session.offer after "这张照片是补充到刚登记的工单…吗？" (offer_text: the number, then
# the photo ids, space-separated): "是" adds them, "新问题" starts a complaint with them
PHOTO_OFFER = "photo_for_ticket"
# Session.offer after "刚才忘发照片了" or a photo added (offer_text: the number): the
# next photo goes onto that ticket
PHOTO_EXPECTED = "photo_expected"
# Session.offer after "这是补充到刚登记的工单…的位置吗？" (offer_text: the number, the
# latitude, the longitude and the pin's label, tab-separated)
LOCATION_OFFER = "location_for_ticket"
# Session.offer after "是补充到刚登记的工单…的地点吗？" for a place detail ("1号楼",
# offer_text: the number and the detail, tab-separated)
DETAIL_OFFER = "detail_for_ticket"
TICKET_OFFERS = frozenset(
    {WITHDRAW_PICK_OFFER, PHOTO_OFFER, PHOTO_EXPECTED, LOCATION_OFFER, DETAIL_OFFER}
)
# "先别撤回", "我不想撤回", "不用撤回，灯还没修好": the ticket stays
_KEEP_TICKET = re.compile(r"^(?:我|先|还是)*(?:别|不要|不用|不想|不|先不)(?:要)?撤(?:回|销)")
# "1号楼", "3号楼的", "是20号院的1号楼门口", "在北门": where exactly, and nothing else
_DETAIL_PART = (
    r"(?:\d+|[一二三四五六七八九十]+)(?:号楼|号院|号门|栋|幢|单元|层|楼)"
    r"|[东西南北](?:门|侧|边|口)|门口|楼下|楼上|路口"
)
_PLACE_DETAIL = re.compile(
    rf"^(?:就|我说的|具体|准确地说)?(?:是|在)?(?:(?:{_DETAIL_PART})的?)+"
    r"(?:那边|旁边|那个|那儿|这边|那里)?[的了吧啊。！!\s]*$"
)
# "刚才那个" is the ticket registered this recently (不要了, 撤回, 忘发照片了)
JUST_REGISTERED = timedelta(minutes=30)
# a photo this soon after registering is most likely for that ticket: asked
PHOTO_AFTER_REGISTERING = timedelta(minutes=10)
# the department asked the citizen something (Complaint.open_question): a plain message
# this soon after goes onto that ticket as the answer, and so do the citizen's further
# messages while they keep coming (each within ANSWER_CONTINUES of the last one added)
ANSWER_WINDOW = timedelta(hours=72)
ANSWER_CONTINUES = timedelta(minutes=10)

# "查询 0009", "撤回 0033": the tail of one of the citizen's ticket numbers
_TAIL = re.compile(r"^(?:工单|编号|尾号|尾数|号码|后四位)*(?:是|为)?[:：\s#]*(\d{1,5})(?:号)?$")
# "查询…", "查一下…": what follows is what to look up
_QUERY_HEAD = re.compile(
    r"^(?:查询|查看|查一下|查一查|查查|查)(?:一下|下)?(?:我的)?(?:工单|诉求|编号|单号)*(?:号码|编号)?"
    r"(?:是|为)?[:：\s]*"
)
_QUERY_TAIL = re.compile(
    r"(?:的)?(?:进度|状态|情况|怎么样了|处理得?怎么样了?)?[吧吗呢啊。？?！!\s]*$"
)
# "哎呀我搞错了，还是要投诉的", "撤错了": a withdrawal regretted (asked about only
# right after one)
_CHANGED_MIND = re.compile(
    r"搞错了|弄错了|撤错了|点错了|不该撤|不撤了|后悔了|反悔了|"
    r"还是(?:要|想|得|帮我)(?:投诉|反映|登记|处理|管)|还是(?:登记|投诉|反映)吧|"
    # not "灯已经恢复了": that one is put right
    r"(?:帮我|能不能|能否|可以|可不可以|要|想)恢复|恢复(?:工单|投诉|诉求|一下)"
)
# "什么时候再来处理", "什么时候能修好", "多久有结果": when, asked of a reopened ticket
_ASKS_WHEN = re.compile(
    r"(?:啥时候|什么时候|几时|哪天|多久|多长时间|几天)(?:才|到底|再|能|可以|会|来|给|有|我|们)*"
    r"(?:来|修|弄|处理|解决|办|搞定|管|结果|答复|回复|回音|信儿|消息|好)"
)
# longer, the message says more than when: it is kept on the ticket
_WHEN_LENGTH = 12
# a number typed wrong: digits with letters, dashes, dots or spaces, or too few or many
_NUMBER_LIKE = re.compile(r"[0-9A-Za-z\s\-_./·,，。]+")
# "部门怎么答复的", "答复是什么": the department's answer, asked for
_ASKS_REPLY = re.compile(
    r"(?:请问)?(?:(?:部门|承办部门|单位|他们|你们|对方)(?:是|给的|给我的)?)?"
    r"(?:(?:怎么|如何|咋)(?:答复|回复|回答|说)的?(?:我)?(?:的)?"
    r"|的?(?:答复|回复)(?:内容)?(?:是什么|是啥|说了?什么|说了?啥|在哪(?:里|儿)?(?:看)?|呢)"
    r"|(?:答复|回复)(?:了|的)?(?:什么|啥)(?:内容)?"
    r"|(?:看|查看|查)(?:一下)?(?:部门的?)?(?:答复|回复)(?:内容)?)"
    r"[吗呢啊呀？?。！!\s]*"
)
# 不要了 said of a registered ticket: "刚才那个不要了，物业已经清了", "撤回刚才那个"
_THAT_ONE = (
    r"(?:刚才|刚刚|之前|上一个|上个|前面|那个|这个)(?:那个|那件|这个|这件|的|登记的|提交的|反映的|报的)*"
    r"(?:诉求|工单|投诉|事儿?)?"
)
_DROP_REGISTERED = re.compile(
    rf"^{_THAT_ONE}[，,\s]*(?:就|先|我)?(?:不要了|不用了|不办了|不需要了|撤回|撤销|取消|算了|"
    r"不用管了|不用处理了|不用来了)"
)
# "不是，我是说另一个", "不是这个", "我要撤的是另外那件": not the ticket asked about
_ANOTHER_TICKET = re.compile(
    r"^(?:不是|不对|错了|搞错了|弄错了)?[，,。\s]*(?:我|我是)?(?:说的?是?|要撤的?是?|指的?是?|是)?"
    r"(?:另(?:一|外)(?:一|那|这)?|别的|其[他它]的?|不是这|不是那)(?:一)?(?:个|件|条|单|张)?"
    r"(?:工单|诉求|投诉)?[吧啊呀的。！!]*$"
)
# what follows "撤回" when it gives a reason rather than a ticket: "吧，灯已经修好了",
# "，因为物业已经处理了"
_WITHDRAW_REASON = re.compile(r"^[吧了啊呀]*(?:一下)?(?:[，,。！!\s]+|因为|由于|已经)")
# what stands before the reason itself: "吧，", "因为"
_BEFORE_REASON = re.compile(r"^[吧了啊呀的]*(?:一下)?[，,。！!：:\s]*(?:因为|由于)?[，,\s]*")
# The reason a citizen gives for withdrawing, kept with the withdrawal for staff: a long
# message is cut, a message to the department rather than a note
MAX_WITHDRAW_REASON = 200
# "不用处理了，已经好了", "问题已经解决了，撤回吧": a ticket no longer needed, said with why
_NO_LONGER_NEEDED = (
    r"(?:就|那就|那|先)?(?:不用|不需要|不必|无需|别)(?:再)?(?:处理|管|来|修|派人来?)了?"
    r"|(?:那就|那|就)?(?:撤回|撤销)(?:一下)?"
)
_NO_LONGER_NEEDED_FIRST = re.compile(
    rf"^(?:{_NO_LONGER_NEEDED})[了吧啊呀]*(?:[，,。！!\s]+(?P<reason>.+))?$"
)
_NO_LONGER_NEEDED_LAST = re.compile(
    rf"^(?P<reason>.+?)[，,。！!\s]+(?:{_NO_LONGER_NEEDED})[了吧啊呀。！!]*$"
)
# ...where the reason says it was put right (else "路灯坏了，不用管了" is no withdrawal)
_PUT_RIGHT = re.compile(
    r"已经|好了|修好|弄好|搞好|解决|处理了|清了|清理了|搞定|没事了|不需要了|恢复"
)
_WITHDRAW_THAT = re.compile(rf"^(?:撤回|撤销)[，,\s]*(?:一下|吧)?{_THAT_ONE}[吧。！!\s]*$")
# "刚才忘发照片了，这是现场的": a photo for the ticket just registered, not a new problem
_FORGOT_PHOTO = re.compile(
    r"(?:忘了|忘记|忘|漏)(?:了)?(?:发|拍|传|上传|附|给|加)(?:了)?(?:你们)?(?:照片|图片|图|相片|现场照)?"
    r"|补(?:发|传|充)(?:一下|一张|几张|下)?(?:照片|图片|图|相片)"
)
# "是", "补充到刚才那个": the photo goes onto the ticket just registered
_PHOTO_TO_TICKET = re.compile(
    r"^(?:是|是的|对|对的|嗯|好|好的|可以|行|补充|补上|加上|加到|补到|是刚才|刚才|就是刚才)"
)
# "不用", "不要了" to it: neither, the photo is dropped (a plain no, "不是", "不得行",
# says it is not for that ticket: a new complaint)
_NOT_NEEDED = re.compile(r"^(?:不用|不要|不需要|别|算了)(?:了|吧|啊|呀|补充?)*[。！!]*$")
# "新问题", "不是，另一件事": a new complaint with the photo
_PHOTO_NEW = re.compile(
    r"^(?:不是的?|不对|否|是)?[，,\s]*(?:新问题|新的问题|新的|另一件事?|另外一件事?|别的事|另行登记|"
    r"单独登记|重新登记|新投诉|新反映|另一个问题)"
)


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
        cut short); else the ones it may be are listed, to send in full. A date
        alone ("20261129", no digits) lists that day's."""
        typed = f"{date}-{digits}" if digits else date
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        head = digits.lstrip("0")
        fits = [
            c
            for c in recent
            if c.no.startswith(f"{date}-") and c.no.partition("-")[2].lstrip("0").startswith(head)
        ]
        padded = f"{date}-{int(digits):04d}" if digits else ""
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

    async def _consultation_progress(self, session: Session, ports: Ports, out: _Reply) -> Session:
        """ "咨询的那个有人回了吗": the citizen's consultations (one: its card, with the
        answer when there is one), never a new question to file."""
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        # praise is filed as a consultation too, marked 【表扬】: no answer awaited
        asked = [
            c
            for c in recent
            if c.kind is ComplaintKind.CONSULTATION and not c.description.startswith("【表扬】")
        ]
        if not asked:
            out.add(m.CONSULT_MINE_NONE)
        elif len(asked) == 1:
            out.add(_status_text(asked[0]))
        else:
            out.add("\n".join([m.CONSULT_MINE, *_numbered(asked, numbers=False)]))
            out.add(m.MY_DETAIL_HINT)
        return session

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

    async def _chase_named(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """ "路灯的事催一下", "学院路那个路灯能不能快点修" while the lamp complaint is open:
        that ticket's status, and 补充 offered; the message is kept for the offer to
        register it as a new problem. None when no open ticket is the one it names (a
        new complaint, as from a citizen with none)."""
        # the thing chased, its place left out: two problems at one address share it
        subject = intents.chased_subject(_without_place(text))
        if not subject:
            return None
        complaints = await ports.list_complaints(session.openid, self.settings.my_complaints_limit)
        open_here = [c for c in complaints if c.is_open and _may_be_at(text, c)]
        chased = _named_one(subject, open_here)
        if chased is None:
            return None
        out.add(_status_text(chased))
        if chased.status is ComplaintStatus.REPLIED:
            out.add(m.SURVEY_HINT.format(no=chased.no))  # answered: the survey says "not yet"
        else:
            out.add(m.CHASE_NAMED.format(no=chased.no))
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
        no, said = without_ticket(text)
        if not no:
            rest = intents.WITHDRAW.sub("", text, count=1).strip(" ，,。：:！!")
            if tail := _TAIL.match(normalize_digits(rest)):
                # "撤回 0033": the citizen's own ticket ending so
                return await self._withdraw_tail(session, tail.group(1), ports, out)
            bare = re.sub(r"[吧了啊呀一下。！!，,\s]", "", rest)
            # "撤回吧，灯已经修好了": a reason, no ticket named, as a bare "撤回"
            reason = _WITHDRAW_REASON.match(rest) is not None and not re.search(r"\d", rest)
            if session.form is None and (not bare or reason or re.fullmatch(_THAT_ONE, bare)):
                # "撤回", "撤回刚才那个": the one just registered, or the only open one
                why = _withdraw_reason(rest) if reason else ""
                asked = await self._withdraw_registered(
                    session, ports, out, explicit=True, reason=why
                )
                if asked is not None:
                    return asked
            out.add(m.WITHDRAW_ASK_IN_FORM if session.form else m.WITHDRAW_ASK)
            return session
        complaint = await ports.get_complaint(no)
        if complaint is None or complaint.openid != session.openid:
            out.add(m.NOT_FOUND.format(no=no))
            return session
        # "撤回 20261128-0001，灯已经修好了": the words after the number say why
        reason = _withdraw_reason(intents.WITHDRAW.sub("", said.strip(), count=1))
        return await self._ask_withdraw(session, complaint, ports, out, reason)

    async def _ask_withdraw(
        self, session: Session, complaint: Complaint, ports: Ports, out: _Reply, reason: str = ""
    ) -> Session:
        """ "确定要撤回工单…吗？"; `reason` (what the citizen said of why) waits with the
        question, to go with the withdrawal."""
        no = complaint.no
        if complaint.status is ComplaintStatus.WITHDRAWN:
            out.add(m.ALREADY_WITHDRAWN.format(no=no))
            return session
        if complaint.status not in TRANSITIONS[Action.WITHDRAW]:
            # answered or closed: the port refuses and says why; nothing to ask about
            await _citizen_action(
                ports.withdraw_complaint(no, session.openid, reason), no, m.WITHDRAWN, out
            )
            return session
        # it cannot be undone by the citizen: asked once, withdrawn only on a clear yes
        out.add(
            m.WITHDRAW_CONFIRM.format(
                no=no, short=_short(_telling_apart([complaint])[0].lstrip("的"), 16)
            )
        )
        return session.update(offer=WITHDRAW_OFFER, offer_text=_with_reason(no, reason))

    async def _withdraw_registered(
        self, session: Session, ports: Ports, out: _Reply, *, explicit: bool, reason: str = ""
    ) -> Session | None:
        """ "不要了", "撤回", "刚才那个不要了" with no draft open: the ticket registered
        in the last half hour, else the only open one, is asked about; with several
        open (and `explicit`, not a bare "不要了") they are listed to pick from. None
        when there is nothing to withdraw."""
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        if fresh := _just_registered(session, recent, JUST_REGISTERED):
            return await self._ask_withdraw(session, fresh, ports, out, reason)
        open_ones = [c for c in recent if c.status in TRANSITIONS[Action.WITHDRAW]]
        if len(open_ones) == 1:
            return await self._ask_withdraw(session, open_ones[0], ports, out, reason)
        if len(open_ones) > 1 and explicit:
            return self._withdraw_which(session, open_ones, out, reason)
        return None

    def _withdraw_which(
        self, session: Session, choices: list[Complaint], out: _Reply, reason: str = ""
    ) -> Session:
        choices = choices[: self.settings.my_complaints_limit]
        out.add("\n".join([m.WITHDRAW_WHICH, *_numbered(choices)]))
        listed = _with_reason(" ".join(c.no for c in choices), reason)
        return session.update(offer=WITHDRAW_PICK_OFFER, offer_text=listed)

    async def _withdraw_tail(
        self, session: Session, digits: str, ports: Ports, out: _Reply
    ) -> Session:
        fits = await _by_tail(session, digits, ports)
        if len(fits) == 1:
            return await self._ask_withdraw(session, fits[0], ports, out)
        if fits:
            return self._withdraw_which(session, fits, out)
        out.add(m.TAIL_NOT_FOUND.format(tail=digits))
        return session

    async def _withdraw_pick(
        self, session: Session, listed: str, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "您要撤回哪一件？": its number in the list, or the ticket's
        number (whole or its tail); None when it names none of them."""
        listed, reason = _and_reason(listed)
        nos = listed.split()
        normal = normalize_digits(text).strip(" 。！!")
        picked = ""
        if index := _PICK.fullmatch(normal):
            position = index.group(1)
            value = int(position) if position.isdigit() else "一二三四五".find(position) + 1
            picked = nos[value - 1] if 0 < value <= len(nos) else ""
        elif (no := find_ticket(text)) in nos:
            picked = no
        elif tail := _TAIL.match(normal):
            ends = [no for no in nos if int(no.rpartition("-")[2]) == int(tail.group(1))]
            picked = ends[0] if len(ends) == 1 else ""
        if not picked:
            return None
        complaint = await ports.get_complaint(picked)
        if complaint is None or complaint.openid != session.openid:
            out.add(m.NOT_FOUND.format(no=picked))
            return session
        return await self._ask_withdraw(session, complaint, ports, out, reason)

    async def _withdraw_another(
        self, session: Session, no: str, ports: Ports, out: _Reply
    ) -> Session:
        """ "不是，我是说另一个" to "确定要撤回工单…吗？": that one stays; the citizen's
        other tickets that can still be withdrawn are listed to pick from, or the
        number is asked for."""
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        others = [c for c in recent if c.status in TRANSITIONS[Action.WITHDRAW] and c.no != no]
        if not others:
            out.add(m.WITHDRAW_OTHER_ASK.format(no=no))
            return session
        others = others[: self.settings.my_complaints_limit]
        out.add("\n".join([m.WITHDRAW_OTHER_WHICH.format(no=no), *_numbered(others)]))
        return session.update(offer=WITHDRAW_PICK_OFFER, offer_text=" ".join(c.no for c in others))

    async def _withdraw_answer(
        self, session: Session, asked: str, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """The answer to "确定要撤回工单…吗？" (`asked`: the offer's text, the number and
        the reason said before): withdrawn on a clear yes (with a draft open, only
        确定/撤回: a plain "是" may answer its question), also one with why after it
        ("确定，灯已经修好了"); anything else keeps the ticket, and a message that is
        more than a no is then handled as usual (None)."""
        no, reason = _and_reason(asked)
        explicit = session.form is not None
        lead, rest = lead_and_rest(text)
        if (
            rest
            and not reason
            and intents.confirms_withdraw(lead, explicit=explicit)
            and _PUT_RIGHT.search(rest)
            and not find_ticket(rest)
            and not intents.another_problem(rest)
        ):
            text, reason = lead, _withdraw_reason(rest)
        if alone := _number_alone(text):
            # "0001" or a whole number for an answer: the ticket meant (asked about,
            # even the same one: a number is no clear yes)
            recent = await ports.list_complaints(session.openid, LOOKBACK)
            fits = [c for c in recent if c.no == alone or c.no.endswith(f"-{alone}")]
            if len(fits) == 1:
                return await self._ask_withdraw(session, fits[0], ports, out, reason)
        named = _withdraw_named(text)
        if not named and _ANOTHER_TICKET.match(text):
            return self._reask(await self._withdraw_another(session, no, ports, out), out)
        if named and not no.endswith(named):
            out.add(m.WITHDRAW_KEPT.format(no=no))
            return None  # "撤回 <another number>": asked about in turn
        if named or intents.confirms_withdraw(text, explicit=explicit):
            await _citizen_action(
                ports.withdraw_complaint(no, session.openid, reason), no, m.WITHDRAWN, out
            )
            return self._reask(session, out)
        out.add(m.WITHDRAW_KEPT.format(no=no))
        said_no = intents.said_no(text, also=intents.KEEP_DRAFT_WORDS)
        if said_no or intents.CANCEL.match(text) or intents.KEEP.match(text):
            return self._reask(session, out)
        if _KEEP_TICKET.match(text):
            return self._reask(session, out)  # "不用撤回，灯还没修好": said, and kept
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
        elif (closed := await ports.get_complaint(no)) and closed.openid == session.openid:
            if closed.status is ComplaintStatus.CLOSED:
                # "补充 … 又坏了": what to do next, not "无法办理"
                return self._case_closed(session, closed, body, out)
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

    async def _questioned(self, session: Session, ports: Ports, now: datetime) -> str:
        """The number of the citizen's ticket whose department's question a message now
        answers ("" for none): the latest question, asked within ANSWER_WINDOW and not
        answered yet, or answered within ANSWER_CONTINUES (the answer goes on)."""
        asked: list[tuple[datetime, str]] = []
        for complaint in await ports.list_complaints(session.openid, 5):
            question = complaint.open_question
            if question is None or now - question.at > ANSWER_WINDOW:
                continue
            answers = [e.at for e in complaint.history
                       if e.action == Action.SUPPLEMENT.value and e.at >= question.at]  # fmt: skip
            if answers and now - answers[-1] > ANSWER_CONTINUES:
                continue  # answered a while ago: a new message is about something else
            asked.append((question.at, complaint.no))
        return max(asked)[1] if asked else ""

    async def _answer_to_question(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """A plain message after the department asked the citizen something: added to
        that ticket. None when no question waits, or the message is a command, a rating
        or a new complaint announced as one (handled as what it says)."""
        if not _reopen_detail(session, text):
            return None
        no = await self._questioned(session, ports, now)
        if not no:
            return None
        done = m.QUESTION_ANSWERED.format(no=no)
        await _citizen_action(ports.supplement_complaint(no, session.openid, text), no, done, out)
        return session

    async def _photo_for_question(
        self, session: Session, event: Inbound, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """A photo after the department asked the citizen something: added to that
        ticket. None when no question waits."""
        no = await self._questioned(session, ports, now)
        if not no:
            return None
        try:
            photo_id = await ports.store_photo(event.openid, event.media_id)
        except PortError:
            out.add(m.PHOTO_RESEND)
            return session
        await _citizen_action(
            ports.add_photo(no, session.openid, photo_id), no, m.QUESTION_PHOTO_ADDED, out
        )
        return session

    async def _supplement_reopened(
        self, session: Session, no: str, text: str, ports: Ports, out: _Reply
    ) -> Session:
        if _asks_when(text):
            # "什么时候再来处理": the round's limit is known; asking is no new evidence
            complaint = await ports.get_complaint(no)
            if complaint is not None and complaint.is_open:
                due = short_time(complaint.due_at)
                out.add(m.REOPENED_WHEN.format(no=no, round=complaint.round, due=due))
                return session.update(offer=REOPENED_OFFER, offer_text=no)  # details may follow
        done = m.REOPENED_SUPPLEMENTED.format(no=no)
        await _citizen_action(ports.supplement_complaint(no, session.openid, text), no, done, out)
        return session

    # -- a ticket named in other ways; the department's answer; just after registering --
    async def _ticket_words(
        self, session: Session, text: str, ports: Ports, out: _Reply
    ) -> Session | None:
        """ "部门怎么答复的"; "查询 0009" (the tail of the citizen's own number); and
        "查询 2026113O-0001", a number that cannot be read: the right format, never
        a complaint. None when the message is none of these."""
        if _ASKS_REPLY.fullmatch(text):
            await self._latest_reply(session, ports, out)
            return session
        head = _QUERY_HEAD.match(text)
        if not head:
            return None
        typed = _QUERY_TAIL.sub("", text[head.end() :]).strip()
        normal = normalize_digits(typed, spoken=True)
        if re.fullmatch(rf"[\d{_DIGIT_WORDS}\s-]+", normal):
            normal = normal.translate(_TO_DIGITS)  # "查询零零零九": the words of a tail
        if not normal or not _NUMBER_LIKE.fullmatch(normal):
            return None
        if tail := _TAIL.match(normal):
            return await self._tail_status(session, tail.group(1), ports, out)
        if len(re.findall(r"\d", normal)) < 4:
            return None
        out.add(m.TICKET_FORMAT.format(typed=typed))
        if re.search(r"[A-Za-z]", normal):
            out.add(m.TICKET_FORMAT_LETTERS)
        return session

    async def _tail_status(self, session: Session, tail: str, ports: Ports, out: _Reply) -> Session:
        """ "查询 0009", "15号工单": the citizen's ticket whose number ends so, or the
        ones it may be, or that there is none."""
        fits = await _by_tail(session, tail, ports)
        if len(fits) == 1:
            return await self._status(session, fits[0].no, ports, out, reask=False)
        if fits:
            out.add("\n".join([m.TAIL_WHICH.format(tail=tail), *_numbered(fits)]))
        else:
            out.add(m.TAIL_NOT_FOUND.format(tail=tail))
        return session

    async def _latest_reply(self, session: Session, ports: Ports, out: _Reply) -> None:
        """ "部门怎么答复的": the latest answer to the citizen's most recent answered
        complaint; with several still waiting for a rating, which one is asked."""
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        answered = [
            c
            for c in recent
            if c.replies and c.status in (ComplaintStatus.REPLIED, ComplaintStatus.CLOSED)
        ]
        waiting = [c for c in answered if c.status is ComplaintStatus.REPLIED]
        if len(waiting) > 1:
            out.add("\n".join([m.REPLY_WHICH, *_numbered(waiting, numbers=False)]))
            return
        chosen = waiting[0] if waiting else answered[0] if answered else None
        if chosen is None:
            out.add(m.REPLY_NONE)
            if recent:
                await self._my_complaints(session, ports, out, progress=True)
            return
        short = _short(_telling_apart([chosen])[0].lstrip("的"), 14)
        out.add(
            m.REPLY_OF.format(no=chosen.no, short=short, reply=_short(_reply_text(chosen), 500))
        )
        if chosen.status is ComplaintStatus.REPLIED:
            out.add(m.REPLY_RATE)

    async def _about_registered(
        self, session: Session, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """With no draft open: "不要了", "刚才那个不要了，物业已经清了" (withdraw the ticket
        just registered, asked first) and "刚才忘发照片了" (the photo that follows goes
        onto it). None when the message is neither, or there is no such ticket."""
        if dropped := _DROP_REGISTERED.match(text):
            # "刚才那个不要了，物业已经清了": why, after the words that drop it
            reason = _withdraw_reason(text[dropped.end() :])
            return await self._withdraw_registered(
                session, ports, out, explicit=True, reason=reason
            )
        if not session.offer and (reason := _no_longer_needed(text)) is not None:
            # "不用处理了，已经好了", "问题已经解决了，撤回吧"
            return await self._withdraw_registered(
                session, ports, out, explicit=True, reason=reason
            )
        if not session.offer and intents.CANCEL.match(text):
            # a bare "不要了": only a ticket there is no doubt about
            return await self._withdraw_registered(session, ports, out, explicit=False)
        if _CHANGED_MIND.search(text):
            again = await self._register_again(session, ports, now, out)
            if again is not None:
                return again
        if _KEEP_TICKET.match(text):
            # "先别撤回", "不用撤回，灯还没修好": nothing to do but say so
            out.add(m.NOT_WITHDRAWING)
            return session
        if not session.offer and _PLACE_DETAIL.match(normalize_digits(text).strip()):
            # "1号楼" minutes after registering: where exactly, for that ticket
            fresh = await _fresh_open(session, ports, now)
            if fresh is not None:
                detail = text.strip(" 。！!")
                short = _ticket_short(fresh)
                out.add(m.DETAIL_FOR_TICKET.format(detail=detail, no=fresh.no, short=short))
                return session.update(offer=DETAIL_OFFER, offer_text=f"{fresh.no}\t{detail}")
        if _FORGOT_PHOTO.search(text) and meaningful_length(text) <= 16:
            recent = await ports.list_complaints(session.openid, LOOKBACK)
            target = _just_registered(session, recent, JUST_REGISTERED, now=now)
            open_ones = [c for c in recent if c.is_open]
            if target is None and len(open_ones) == 1:
                target = open_ones[0]
            if target is None or not target.is_open:
                return None
            out.add(m.PHOTO_SEND_FOR.format(no=target.no, short=_ticket_short(target)))
            return session.update(offer=PHOTO_EXPECTED, offer_text=target.no)
        return None

    async def _register_again(
        self, session: Session, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """A change of mind just after a withdrawal: a withdrawn ticket cannot be
        restored, so a new draft is filled from it (description, place, category,
        phone, photos) and its summary shown, to be confirmed once as any draft is.
        None when the citizen's newest ticket is no recent withdrawal."""
        recent = await ports.list_complaints(session.openid, LOOKBACK)
        old = _just_registered(session, recent, JUST_REGISTERED, now=now)
        withdrawn = [e.at for e in old.history if e.action == Action.WITHDRAW.value] if old else []
        if old is None or old.status is not ComplaintStatus.WITHDRAWN or not withdrawn:
            return None
        if now - withdrawn[-1] > JUST_REGISTERED:
            return None
        slots: dict[str, object] = {
            "description": old.description,
            "location": old.location.to_dict(),
            "contact_phone": old.contact_phone,
            "photos": list(old.photos),
            "_photos": list(old.photos),
        }
        if old.category in self.settings.categories:
            slots["category"] = old.category
        out.add(m.REGISTER_AGAIN.format(no=old.no))
        return await self._continue(self._start(session, slots, None), ports, out)

    async def _photo_after_registering(
        self, session: Session, event: Inbound, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """A photo with no draft open, minutes after registering: asked whether it is
        for that ticket (or, after "刚才忘发照片了", added to it). None when there is
        no such ticket: the photo starts a complaint, as always."""
        expected = session.offer == PHOTO_EXPECTED
        if session.offer == PHOTO_OFFER:
            no, *photos = session.offer_text.split()
        elif expected:
            no, photos = session.offer_text, []
        else:
            fresh = await _fresh_open(session, ports, now)
            if fresh is None:
                return None
            no, photos = fresh.no, []
        try:
            photo_id = await ports.store_photo(event.openid, event.media_id)
        except PortError:
            out.add(m.PHOTO_RESEND)
            return session
        if expected:
            return await self._photos_to_ticket(session, no, [photo_id], ports, out)
        if photo_id not in photos:
            photos.append(photo_id)
        if len(photos) > 1:
            out.add(m.PHOTO_MORE.format(count=len(photos)))
        else:
            complaint = await ports.get_complaint(no)
            short = _ticket_short(complaint) if complaint else ""
            out.add(m.PHOTO_FOR_TICKET.format(no=no, short=short))
        return session.update(offer=PHOTO_OFFER, offer_text=" ".join([no, *photos]))

    async def _location_after_registering(
        self, session: Session, event: Inbound, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """A location pin with no draft open, minutes after registering: asked whether
        it is for that ticket, as a photo is. None when there is no such ticket (or a
        pin without its point): the pin starts a complaint, as always."""
        if event.lat is None or event.lng is None or session.offer not in ("", PHOTO_EXPECTED):
            return None
        fresh = await _fresh_open(session, ports, now)
        if fresh is None:
            return None
        place = location_text(_pin(event.text, event.lat, event.lng))
        out.add(m.LOCATION_FOR_TICKET.format(place=place, no=fresh.no, short=_ticket_short(fresh)))
        kept = "\t".join([fresh.no, repr(event.lat), repr(event.lng), event.text])
        return session.update(offer=LOCATION_OFFER, offer_text=kept)

    async def _location_offer_answer(
        self, session: Session, kept: str, text: str, ports: Ports, now: datetime, out: _Reply
    ) -> Session | None:
        """The answer to "这是补充到刚登记的工单…的位置吗？": yes adds the place to that
        ticket as a supplement, "新问题" (or a problem told instead) starts a complaint
        there. None when the message answers neither."""
        no, lat, lng, label = kept.split("\t", 3)
        location = _pin(label, float(lat), float(lng))
        new = _PHOTO_NEW.match(text)
        if intents.CANCEL.match(text) or _NOT_NEEDED.match(text):
            out.add(m.LOCATION_DROPPED)
            return session
        told = (
            intents.PROBLEM.search(text)
            and intents.has_real_content(text)
            and meaningful_length(text) >= MIN_DESCRIPTION
            and not find_ticket(text)
            and not _QUERY_HEAD.match(text)
        )
        if new or intents.said_no(text) or told:
            # a problem told instead of an answer is the description of one there
            rest = text[new.end() :].strip(" ，,。：:") if new else (text if told else "")
            started = self._start(session, {"location": location}, None)
            started = started.update(requested="description")
            if rest and intents.has_real_content(rest):
                return await self._form_answer(started, rest, ports, now, out)
            out.add(self.form.prompt("description", started.slots))
            return started
        if intents.said_yes(text) or intents.SUPPLEMENT.match(text):
            place = location_text(location)
            body = m.LOCATION_SUPPLEMENT.format(place=place, lat=float(lat), lng=float(lng))
            done = m.LOCATION_ADDED_TO_TICKET
            added = ports.supplement_complaint(no, session.openid, body)
            await _citizen_action(added, no, done, out)
            return session
        if not intents.has_real_content(text):
            out.add(m.LOCATION_FOR_TICKET_AGAIN.format(no=no))
            return session.update(offer=LOCATION_OFFER, offer_text=kept)
        return None

    async def _photos_to_ticket(
        self, session: Session, no: str, photos: list[str], ports: Ports, out: _Reply
    ) -> Session:
        try:
            for photo_id in photos:
                await ports.add_photo(no, session.openid, photo_id)
        except NotAllowed as error:
            out.add(m.NOT_ALLOWED.format(reason=str(error)))
            return session
        except PortError:
            out.add(m.NOT_FOUND.format(no=no))
            return session
        out.add(m.PHOTO_ADDED.format(no=no))
        return session.update(offer=PHOTO_EXPECTED, offer_text=no)  # more may follow

    async def _ticket_offer_answer(
        self,
        session: Session,
        offer: str,
        kept: str,
        text: str,
        ports: Ports,
        now: datetime,
        out: _Reply,
    ) -> Session | None:
        """The answer to "您要撤回哪一件？" or "这张照片是补充到刚登记的工单…吗？" (the
        offer already taken off `session`); None when the message answers neither."""
        if offer == WITHDRAW_PICK_OFFER:
            return await self._withdraw_pick(session, kept, text, ports, out)
        if offer == LOCATION_OFFER:
            return await self._location_offer_answer(session, kept, text, ports, now, out)
        if offer == DETAIL_OFFER:
            no, detail = kept.split("\t", 1)
            if intents.said_yes(text) or intents.SUPPLEMENT.match(text):
                body = m.DETAIL_SUPPLEMENT.format(detail=detail)
                added = ports.supplement_complaint(no, session.openid, body)
                await _citizen_action(added, no, m.DETAIL_ADDED_TO_TICKET, out)
                return session
            if intents.said_no(text) or _NOT_NEEDED.match(text):
                out.add(m.DETAIL_DROPPED)
                return session
            return None
        if offer != PHOTO_OFFER:
            return None
        no, *photos = kept.split()
        new = _PHOTO_NEW.match(text)
        if intents.CANCEL.match(text) or _NOT_NEEDED.match(text):
            out.add(m.PHOTO_DROPPED)  # "算了", "不用": the photo is not wanted at all
            return session
        if new or intents.said_no(text):
            rest = text[new.end() :].strip(" ，,。：:") if new else ""
            started = self._start(session, {"_photos": photos}, None)
            started = started.update(requested="description")
            if rest and intents.has_real_content(rest):
                return await self._form_answer(started, rest, ports, now, out)
            out.add(m.ASK_DESCRIPTION)
            return started
        if (
            intents.said_yes(text)
            or _PHOTO_TO_TICKET.match(text)
            or _FORGOT_PHOTO.search(text)
            or intents.SUPPLEMENT.match(text)
        ):
            return await self._photos_to_ticket(session, no, photos, ports, out)
        if (
            intents.PROBLEM.search(text)
            and intents.has_real_content(text)
            and meaningful_length(text) >= MIN_DESCRIPTION
            and not find_ticket(text)
            and not _QUERY_HEAD.match(text)
        ):
            # a problem told instead of an answer: the photo was for it
            started = self._start(session, {"_photos": photos}, None)
            return await self._form_answer(
                started.update(requested="description"), text, ports, now, out
            )
        if not intents.has_real_content(text):
            out.add(m.PHOTO_FOR_TICKET_AGAIN.format(no=no))
            return session.update(offer=PHOTO_OFFER, offer_text=kept)
        return None


def _asks_when(text: str) -> bool:
    """ "什么时候再来处理", "多久有结果": a short question of when, nothing more."""
    return bool(_ASKS_WHEN.search(text)) and meaningful_length(text) <= _WHEN_LENGTH


def _pin(label: str, lat: float, lng: float) -> dict[str, object]:
    """A location pin as the form keeps it."""
    return {"text": label, "district": find_district(label), "lat": lat, "lng": lng}


def _reopen_detail(session: Session, text: str) -> bool:
    """Whether the message after a reopening says what is still wrong, rather than
    being a command, a greeting or a new complaint announced as one."""
    if session.form is not None or not intents.has_real_content(text):
        return False
    commands = (intents.HELP, intents.HUMAN, intents.GREETING, intents.THANKS, intents.WITHDRAW,
                intents.SUPPLEMENT, intents.FILE_CONSULTATION)  # fmt: skip
    if any(pattern.match(text) for pattern in commands) or intents.status_query(text):
        return False
    if intents.said_yes(text, also=intents.SUBMIT_WORDS) or intents.said_no(text):
        return False
    if intents.opens_complaint(text) or intents.asks_progress(text):
        return False  # "我要投诉", "处理得怎么样了": nothing to add to the ticket
    if intents.QUERY_WORDS.search(text) and meaningful_length(text) <= 6:
        return False  # "查询进度"
    return not intents.MY_COMPLAINTS.search(text) and parse_survey(text) is None


_DIGIT_WORDS = "〇零一二三四五六七八九幺"
_TO_DIGITS = str.maketrans(_DIGIT_WORDS, "001234567891")
# "1", "第1个", "1号", "第一件": a place in a numbered list
_PICK = re.compile(r"(?:第)?([1-9]|[一二三四五])(?:个|件|号|条)?")


def _withdraw_named(text: str) -> str:
    """The number "撤回 20261128-0042" or "撤回 0042" names: whole, or its tail as the
    four digits a ticket number ends in; '' for none."""
    if not intents.WITHDRAW.match(text):
        return ""
    if no := find_ticket(text):
        return no
    rest = intents.WITHDRAW.sub("", text, count=1).strip(" ，,。：:！!")
    tail = _TAIL.match(normalize_digits(rest))
    return f"-{int(tail.group(1)):04d}" if tail else ""


def _number_alone(text: str) -> str:
    """A message that is only a ticket number, whole ("20261128-0042") or its last four
    digits ("0042"): that number or those digits; '' otherwise."""
    normal = normalize_digits(text).strip(" 。！!，,")
    if (no := find_ticket(normal)) and normal.replace(" ", "") == no:
        return no
    return normal if re.fullmatch(r"\d{4}", normal) else ""


def _withdraw_reason(said: str) -> str:
    """What a citizen said of why a ticket is withdrawn ("吧，灯已经修好了" gives
    "灯已经修好了"), for staff; '' when nothing is said."""
    reason = _BEFORE_REASON.sub("", said.strip(), count=1).strip(" ，,。！!；;")
    if not intents.has_real_content(reason):
        return ""
    return _short(reason, MAX_WITHDRAW_REASON)


def _no_longer_needed(text: str) -> str | None:
    """The reason in "不用处理了，已经好了" or "问题已经解决了，撤回吧" ('' for a bare
    "不用处理了"), or None when the message does not say the ticket is no longer
    needed."""
    text = text.strip()
    if intents.WITHDRAW.match(text) or find_ticket(text):
        return None  # "撤回…", a number named: the withdraw command reads it
    if first := _NO_LONGER_NEEDED_FIRST.match(text):
        said = first.group("reason") or ""
        if said and not _PUT_RIGHT.search(said):
            return None  # "不用管了，楼道灯也坏了": something else follows
        return _withdraw_reason(said)
    if (last := _NO_LONGER_NEEDED_LAST.match(text)) and _PUT_RIGHT.search(last.group("reason")):
        return _withdraw_reason(last.group("reason"))
    return None


def _with_reason(text: str, reason: str) -> str:
    """An offer's text with the citizen's reason for withdrawing on a line of its own."""
    return f"{text}\n{reason}" if reason else text


def _and_reason(offer_text: str) -> tuple[str, str]:
    """(the offer's text, the reason for withdrawing kept with it or '')."""
    text, _, reason = offer_text.partition("\n")
    return text, reason


def _now(session: Session) -> datetime | None:
    return session.last_active_at  # handle() stamps the turn's time first


def _just_registered(
    session: Session, recent: list[Complaint], within: timedelta, *, now: datetime | None = None
) -> Complaint | None:
    """The citizen's newest complaint, when it was registered `within` that long ago."""
    now = now or _now(session)
    if not recent or now is None:
        return None
    newest = max(recent, key=lambda c: c.created_at)
    return newest if now - newest.created_at <= within else None


async def _fresh_open(session: Session, ports: Ports, now: datetime) -> Complaint | None:
    """The ticket registered minutes ago (PHOTO_AFTER_REGISTERING), still open: what a
    photo, a pin or "1号楼" sent right after registering is asked about."""
    recent = await ports.list_complaints(session.openid, LOOKBACK)
    fresh = _just_registered(session, recent, PHOTO_AFTER_REGISTERING, now=now)
    return fresh if fresh is not None and fresh.is_open else None


async def _by_tail(session: Session, digits: str, ports: Ports) -> list[Complaint]:
    """The citizen's recent complaints whose number ends in `digits` ("0033", "33")."""
    recent = await ports.list_complaints(session.openid, LOOKBACK)
    return [
        c
        for c in recent
        if c.no.rpartition("-")[2].isdigit() and int(c.no.rpartition("-")[2]) == int(digits)
    ]


def _numbered(complaints: list[Complaint], *, numbers: bool = True) -> list[str]:
    lines = [
        m.MY_LINE.format(no=c.no, status=c.status_label, description=_short(c.description, 14))
        for c in complaints
    ]
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)] if numbers else lines


def _ticket_short(complaint: Complaint) -> str:
    return _short(_telling_apart([complaint])[0].lstrip("的"), 14)


def _reply_text(complaint: Complaint) -> str:
    """The department's latest answer, '' when there is none."""
    return str(complaint.replies[-1].get("text", "")).strip() if complaint.replies else ""


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


def _without_place(text: str) -> str:
    for place in (find_address(text), find_district(text)):
        text = text.replace(place, " ") if place else text
    return text


def _may_be_at(text: str, complaint: Complaint) -> bool:
    """Whether the place a message names, if any, can be the complaint's: "学院路那个路灯"
    is the lamp on 学院路20号院, "朝阳区安贞西里的路灯" not the one in 海淀区."""
    if address := find_address(text):
        return same_place([address], [complaint.location.text])
    district = find_district(text)
    return not district or district == complaint.location.district


def _status_text(complaint: Complaint) -> str:
    extra = ""
    if complaint.round > 1:
        extra += m.STATUS_ROUND.format(round=complaint.round)
    if complaint.is_open:
        extra += m.STATUS_DUE.format(due=short_time(complaint.due_at))
    answered = complaint.status in (ComplaintStatus.REPLIED, ComplaintStatus.CLOSED)
    if reply := _reply_text(complaint):
        # reopened: the answer the citizen found wanting stays in sight
        shown = m.STATUS_REPLY if answered else m.STATUS_LAST_REPLY
        extra += shown.format(reply=_short(reply, 100))
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
