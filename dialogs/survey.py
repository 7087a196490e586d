"""Reading a citizen's answer to the satisfaction survey."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.complaint import Satisfaction

_NUMBER = re.compile(r"^\s*([123])(?!\d)\s*[。.,，、:：]?\s*(.*)$", re.S)
_WORDS = (
    (re.compile(r"^(不满意|很不满意|非常不满意|不太满意|差评)"), Satisfaction.UNSATISFIED),
    (re.compile(r"^(基本满意|还行|一般|凑合|还可以)"), Satisfaction.BASICALLY),
    (re.compile(r"^(满意|很满意|非常满意|挺满意|好评)"), Satisfaction.SATISFIED),
)
_UNSOLVED = re.compile(r"(没解决|没有解决|未解决|还是|依然|仍然|照样|根本没)")
_SOLVED = re.compile(r"(已解决|解决了|修好了|已经好了|处理好了)")


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    satisfaction: Satisfaction
    solved: bool | None
    comment: str


def parse_survey(text: str) -> SurveyAnswer | None:
    text = text.strip()
    satisfaction = None
    rest = ""
    if match := _NUMBER.match(text):
        satisfaction = (
            Satisfaction.SATISFIED,
            Satisfaction.BASICALLY,
            Satisfaction.UNSATISFIED,
        )[int(match.group(1)) - 1]
        rest = match.group(2)
    else:
        for pattern, value in _WORDS:
            if match := pattern.match(text):
                satisfaction, rest = value, text[match.end() :]
                break
    if satisfaction is None:
        return None
    comment = rest.strip(" ，,。.!！:：")
    solved = False if _UNSOLVED.search(comment) else True if _SOLVED.search(comment) else None
    return SurveyAnswer(satisfaction, solved, comment)
