"""What the engine leaves on a `Session` between turns: the `Session.offer` values (an
offer holds for the next message), the working notes kept in the draft's slots
(hesitated, parked, held, next problem, duplicate) and which slots' answers are kept
while correcting or applied after a timeout, the small helpers that read and write
those notes, and `_Reply`, the replies one turn accumulates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs import messages as m
from dialogs.session import Session
from dialogs.text_helpers import _short

# slots whose answers carry content: one sent after the idle timeout is applied at once
OBVIOUS_AFTER_TIMEOUT = frozenset({"description", "location", "district", "contact_phone"})
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
# slot note: the draft is paused and the offer to go on with it ("回复“继续”接着填写")
# was shown: a yes or a no now answers that offer
RESUME_OFFERED = "_resume_offered"
# slot note: at the summary the citizen hesitated or spoke of cancelling; from then on
# only 确认/提交 registers, and "放弃" drops without asking again
HESITATED = "_hesitated"
# Session.offer right after the 咨询 menu: the next message is a consultation
CONSULT_OFFER = "consult"
# Session.offer after the 查询 menu asked for a number: a bare "0001" or "20261130" is
# part of one, not the form's answer
TICKET_ASKED = "ticket_asked"
# Session.offer after the 查询 menu showed the chat's last ticket mid-form: a bare ticket
# date ("20261128") is another ticket looked for, not a landline; a short number is
# left to the form ("1" picks a category)
QUERY_SHOWN = "query_shown"
# Session.offer while "确定要撤回工单…吗？" waits (offer_text: the number, and on a
# line of its own the citizen's reason for withdrawing if one was said): only a clear
# yes withdraws it
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
# Session.offer after "您是说对工单…的处理不满意吗？" or "是满意吗？" (offer_text: JSON
# {"no", "satisfaction", "comment", "text"}): "是" rates so, "新问题" registers the text
RATING_OFFER = "rating"
# Session.offer after "工单…已经办结…回复“重新反映”" (offer_text: JSON {"no", "said"}):
# a yes files the closed case again with its place and content, and what was said
REFILE_OFFER = "refile"
# slot note of an emergency's draft: the draft it interrupted, as it was ({"slots",
# "requested", "failures", "draft_id", "paused"}), taken up again after it; also of
# the first of several problems registered one by one: the next one ("split": True),
# whose slots may hold the one after it
PARKED = "_parked"


@dataclass(slots=True)
class _Reply:
    """Accumulates the replies of one turn."""

    lines: list[str] = field(default_factory=list)

    def add(self, *texts: str) -> None:
        self.lines.extend(text for text in texts if text)


def _parking(
    slots: dict[str, Any],
    requested: str | None = None,
    failures: dict[str, int] | None = None,
    draft_id: str = "",
    paused: bool = False,
    *,
    split: bool = False,
) -> dict[str, Any]:
    """A draft set aside, as a `PARKED` note holds it until the draft before is done."""
    parked: dict[str, Any] = {
        "slots": slots,
        "requested": requested,
        "failures": failures or {},
        "draft_id": draft_id,
        "paused": paused,
    }
    if split:
        parked["split"] = True
    return parked


def _with_notes(slots: dict[str, Any], notes: Any) -> dict[str, Any]:
    """Slots with working notes applied; a note of None removes it."""
    updated = dict(slots)
    for name, value in dict(notes).items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    return updated


def _next_of(session: Session) -> list[str]:
    return list(session.slots.get("_next", []))


def _duplicate_no(session: Session) -> str:
    """The ticket the draft's summary said it repeats, or ''."""
    note = session.slots.get("_duplicate") or {}
    return str(note.get("no", ""))


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
    """The offer to go on with a paused draft, with a short summary of it: what it is
    about, where, and its category once chosen (the summary shown before the pause
    has scrolled away)."""
    slots = session.slots
    description = _short(slots.get("description") or slots.get("_partial")) or "尚未描述"
    parts = []
    place = (slots.get("location") or {}).get("text", "")
    if place and place not in description:
        parts.append(m.RESUME_PLACE.format(place=_short(place)))
    if category := slots.get("category"):
        parts.append(m.RESUME_CATEGORY.format(category=category))
    details = m.RESUME_DETAILS.format(details="；".join(parts)) if parts else ""
    ready = session.requested == "confirm"
    offer = m.RESUME_OFFER_READY if ready else m.RESUME_OFFER
    return offer.format(description=description, details=details)
