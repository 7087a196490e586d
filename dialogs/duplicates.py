"""Whether a draft repeats a complaint the citizen already has open.

The knowledge base tells citizens "不需要重复登记", yet the same garbage complaint
sent twice a minute apart became two tickets for the same department. Before
the summary is confirmed the engine looks among the citizen's own recent
complaints for one that is still open and describes the same problem; the
summary then names it (a warning, never a refusal: a new occurrence is real).

The rule, kept simple enough to explain to a dispatcher:

1. Both descriptions are normalised: full-width forms folded, letters lower
   case, and only letters and digits kept (spaces, punctuation and emoji go),
   and particles that carry no content (的, 了, 啊, ...) dropped.
2. Identical after that: the same problem.
3. Otherwise the place is taken out of both, clause by clause: the location text
   and district of either complaint, and any address or district written in
   either description (so a place sent as a map pin, or written at the other end
   of the sentence, goes too). Two problems at one address share most of their
   words, and only what is left says what is wrong.
4. What is left of the shorter one must be at least `MIN_CORE` characters and
   at least `COVERAGE` of it must be found in the longer one: either in order,
   or in runs of two or more characters with the clauses in any order (the same
   thing said the other way round: "路灯不亮，晚上很黑" / "晚上很黑，路灯还是不亮").
   So a longer restatement ("我们小区门口的垃圾已经堆了好几天了，一直没人来清理…")
   matches, and one containing the other is the case with nothing missing;
   "路灯坏了一个多星期" against "井盖丢了一个多星期" (the place removed)
   keeps only 6 of 9 characters and does not.
5. Or, reworded: both name the same things (`SUBJECTS`: "路灯", "楼道灯" said
   as "声控灯" too, ...) and nothing else of that list, at the same place, or one
   place inside the other ("学院路20号院北门" in "海淀区学院路20号院北门"): "学院路
   20号院北门路灯坏了 晚上看不见路" repeats "小区门口的路灯坏了一个多星期了…"
   registered there. "垃圾站旁边的路灯不亮" names 垃圾站 and 路灯: not the
   rubbish complaint's one thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from dialogs.extract import find_address, find_district, normalize_digits
from models.complaint import Complaint, ComplaintKind

# how far back a duplicate is looked for: a complaint from last month that is still
# open is being handled; a new report of it is a new occurrence worth its own ticket
WINDOW = timedelta(days=7)
# how many of the citizen's latest complaints are looked at (a week's worth and more)
LOOKBACK = 20
# share of the shorter description found in order in the longer one. Restatements
# measured 0.9-1.0; different problems at one place 0.6-0.8.
COVERAGE = 0.85
# fewer characters left once the place is removed is too little to compare
MIN_CORE = 4
# particles that come and go when the same thing is said again
_PARTICLES = frozenset("的了地得着啊呀吧呢嘛哦")


def normalise(text: str) -> str:
    """The characters that carry content, for comparing two descriptions."""
    folded = normalize_digits(text).lower()
    return "".join(ch for ch in folded if ch.isalnum() and ch not in _PARTICLES)


_CLAUSE = re.compile(r"[，,。；;！!？?、\s]+")


def same_problem(text: str, other: str, places: Iterable[str] = ()) -> bool:
    """Whether two descriptions say the same thing (see the module docstring)."""
    a, b = normalise(text), normalise(other)
    if not a or not b:
        return False
    if a == b:
        return True
    written = (*_places_in(text), *_places_in(other))
    # longest first: "朝阳区望京西园三区" goes before the "朝阳区" inside it
    names = sorted({normalise(p) for p in (*places, *written)}, key=len, reverse=True)
    names = [name for name in names if len(name) >= 2]
    parts_a, parts_b = _core(text, names), _core(other, names)
    (shorter, short_parts), (longer, long_parts) = sorted(
        (("".join(parts_a), parts_a), ("".join(parts_b), parts_b)), key=lambda core: len(core[0])
    )
    if len(shorter) < MIN_CORE:
        return False
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    in_order = sum(block.size for block in matcher.get_matching_blocks())
    found = max(in_order, _found_in_any_order(short_parts, longer, long_parts))
    return found >= COVERAGE * len(shorter)


# The things a complaint is about, each under the words citizens use for it. A
# description names a set of them; two descriptions about the same set at the
# same place are about the same problem, however they are worded.
SUBJECTS: dict[str, re.Pattern[str]] = {
    "楼道灯": re.compile(
        r"楼道[^，,。；;\s]{0,3}灯|楼梯[^，,。；;\s]{0,3}灯|声控灯|感应灯|单元门?[^，,。；;\s]{0,2}灯"
    ),
    "路灯": re.compile(r"路灯|街灯|灯杆"),
    "红绿灯": re.compile(r"红绿灯|信号灯|交通灯"),
    "井盖": re.compile(r"井盖|井该|窨井|井口"),
    "电梯": re.compile(r"电梯|电题|轿厢"),
    "垃圾": re.compile(r"垃圾|废品|渣土"),
    "下水": re.compile(r"下水|排水|污水|化粪池|返水|冒水"),
    "暖气": re.compile(r"暖气|供暖|供热"),
    "油烟": re.compile(r"油烟"),
    "噪音": re.compile(r"噪音|噪声|扰民|太吵|很吵|吵得"),
    "停车": re.compile(r"停车|占道|车位"),
    "违建": re.compile(r"违建|违章|私搭|乱建"),
    "树": re.compile(r"树"),
    "健身器材": re.compile(r"健身器材|健身器械"),
    "路面": re.compile(r"路面|坑洼|大坑|塌陷"),
}


def subjects(text: str) -> frozenset[str]:
    """The things of `SUBJECTS` a text names."""
    return frozenset(name for name, pattern in SUBJECTS.items() if pattern.search(text))


# too short, once the district is taken out, to say two places are one
MIN_PLACE = 3


def same_place(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """Whether one of our places is one of theirs, or inside it, or the other way
    round; a district alone says too little ("海淀区" is inside any address there)."""

    def trimmed(place: str) -> str:
        district = find_district(place)
        return normalise(place.replace(district, "", 1) if district else place)

    mine = {trimmed(place) for place in ours if place}
    other = {trimmed(place) for place in theirs if place}
    return any(min(len(a), len(b)) >= MIN_PLACE and (a in b or b in a) for a in mine for b in other)


def _places_in(text: str) -> list[str]:
    """The addresses and the district written in a description."""
    found = [find_address(clause) for clause in _CLAUSE.split(text) if clause]
    return [place for place in (*found, find_district(text)) if place]


def _core(text: str, places: list[str]) -> list[str]:
    """The clauses of `text`, normalised, without the places named."""
    parts = []
    for clause in _CLAUSE.split(text):
        part = normalise(clause)
        for place in places:
            part = part.replace(place, "")
        if part:
            parts.append(part)
    return parts


def _found_in_any_order(short_parts: list[str], longer: str, long_parts: list[str]) -> int:
    """How many characters of the shorter text are found in the longer one in runs of
    two or more, each run in order within a clause, the clauses in any order."""
    shorter = "".join(short_parts)
    hit = [False] * len(shorter)

    def mark(a: str, b: str, offset: int) -> None:
        for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            if block.size >= 2:
                hit[offset + block.a : offset + block.a + block.size] = [True] * block.size

    offset = 0
    for part in short_parts:  # each clause of the shorter somewhere in the longer
        mark(part, longer, offset)
        offset += len(part)
    for part in long_parts:  # each clause of the longer somewhere in the shorter
        mark(shorter, part, 0)
    return sum(hit)


def find_duplicate(
    description: str,
    places: Sequence[str],
    complaints: Iterable[Complaint],
    now: datetime,
) -> Complaint | None:
    """The newest of `complaints` that is still open, registered within `WINDOW`
    of `now`, and describes the same problem as `description`; else None.

    `places` are the draft's location text and district; each complaint's own
    are added for it. Consultations are questions, not problems: never matched."""
    for complaint in sorted(complaints, key=lambda c: c.created_at, reverse=True):
        if (
            complaint.kind is not ComplaintKind.COMPLAINT
            or not complaint.is_open
            or now - complaint.created_at > WINDOW
        ):
            continue
        theirs = (complaint.location.text, complaint.location.district)
        if same_problem(description, complaint.description, (*places, *theirs)):
            return complaint
        named = subjects(description)
        if named and named == subjects(complaint.description):
            here = (*places, *_places_in(description))
            there = (complaint.location.text, *_places_in(complaint.description))
            if same_place(here, there):
                return complaint
    return None
