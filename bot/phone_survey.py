"""A phone follow-up call's result (电话回访), one rule for the console's 电话回访 page and
`POST /api/v1/follow-ups/{key}/rating`: which answers go together, and what recording
them does. Refusals carry a stable `code` that each front end words in its own language
(the console in Chinese, the API in English)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from bot.complaints import (
    ComplaintService,
    NotFound,
    PhoneRatingRefused,
    phone_survey_target,
    rating_event,
)
from models.complaint import Complaint, Satisfaction

# 问题是否解决 as asked on the call; UNREACHED: the call did not get through
SOLVED = {"solved": True, "unsolved": False}
UNREACHED = "unreached"
OUTCOMES = (*SOLVED, UNREACHED)
MAX_NOTE_CHARS = 200
# the call note recorded when nobody answered: a record, read on the console's pages
CALL_UNREACHED = "未接通"


class CallRefused(Exception):
    """A call result that does not make sense as given: the caller must fix it (400)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class CallResult:
    satisfaction: Satisfaction | None  # None: no verdict taken down
    solved: bool | None  # None: not asked
    unreached: bool
    note: str

    @property
    def rates(self) -> bool:
        return self.satisfaction is not None


def call_result(
    outcome: str | None, satisfaction: str | None, note: str, *, verdict_required: bool = False
) -> CallResult:
    """The call's result from what staff chose: `outcome` one of OUTCOMES (None: whether it
    was solved was not asked), `satisfaction` a Satisfaction value (None: no verdict). A
    verdict needs the call to have got through; "solved" or "unsolved" needs a verdict.
    With neither, the message was only passed on, unless `verdict_required`."""
    if outcome is not None and outcome not in OUTCOMES:
        raise CallRefused("bad_value", f"outcome must be one of {list(OUTCOMES)}")
    note = note.strip()[:MAX_NOTE_CHARS]
    if outcome == UNREACHED:
        if satisfaction is not None:
            raise CallRefused(
                "unreached_rated", "an unreached call takes no satisfaction: leave it out"
            )
        return CallResult(None, None, True, note)
    if satisfaction is None:
        if outcome is not None or verdict_required:
            raise CallRefused(
                "rating_incomplete",
                "satisfaction is required (outcome unreached when the call did not get through)",
            )
        return CallResult(None, None, False, note)
    try:
        said = Satisfaction(satisfaction)
    except ValueError:
        choices = [s.value for s in Satisfaction]
        raise CallRefused("bad_value", f"satisfaction must be one of {choices}") from None
    return CallResult(said, None if outcome is None else SOLVED[outcome], False, note)


async def record_call(
    service: ComplaintService, key: str, result: CallResult, by: str
) -> Complaint | None:
    """Record staff `by`'s call for follow-up `key`: a verdict rated as a chat rating is
    (ComplaintService.rate_by_phone: 不满意 reopens), returning the complaint after it;
    otherwise the call marked made (未接通 noted), returning None.

    Raises NotFound when there is no such follow-up (or, for a call without a verdict,
    it is no longer on the list), CallRefused("not_a_survey") for a verdict on an item
    that is neither an answer nor a survey, and PhoneRatingRefused when the round was
    rated already (by the citizen in chat or a colleague's call) or waits for none: so
    two submissions of one verdict record one rating."""
    if result.rates:
        assert result.satisfaction is not None
        if not phone_survey_target(key)[1]:
            if not await service.db.outbox.find(dedupe_key=key):
                raise NotFound(key)
            raise CallRefused("not_a_survey", "only an answer or a survey takes a rating")
        return await service.rate_by_phone(key, result.satisfaction, result.solved, by, result.note)
    note = result.note
    if result.unreached:
        note = CALL_UNREACHED + (f"：{note}" if note else "")
    if await service.follow_up_called(key, by, note):
        return None
    # gone from the list: a colleague's call may have taken the rating down meanwhile
    _, no, round = phone_survey_target(key)
    if no:
        with contextlib.suppress(NotFound):
            complaint = await service.get(no)
            if rating_event(complaint, round) is not None:
                raise PhoneRatingRefused(complaint, round)
    raise NotFound(key)
