"""Figures for the staff statistics dashboard, computed from stored complaint documents.

Pure computation: the caller fetches the documents (plain dicts, as stored in MongoDB)
and encodes the result (`Dashboard.to_dict()` is JSON-ready and shaped for ECharts:
`{"name", "value"}` pairs for pies and bars, one entry per day for lines).

Admins make policy from these numbers, so every figure has one written definition
(see `dashboard`), and every rate carries its numerator and denominator so that
"100 %" of two complaints is never mistaken for a trend.

Cost: jieba tokenises about 10,000 descriptions a second and that dominates; a
dashboard over 10,000 complaints takes about a second of CPU. A web handler should
run it with `asyncio.to_thread`, not on the event loop.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from classifier.tokenize import tokenize
from dialogs.extract import BEIJING_DISTRICTS, find_address
from store.complaints import BEIJING

SATISFIED = frozenset({"满意", "基本满意"})
SATISFACTIONS = frozenset({"满意", "基本满意", "不满意"})
NO_CATEGORY = "未分类"  # the same label /public/stats uses
NO_DEPARTMENT = "未派单"
NO_DISTRICT = "未注明"

# What each rate counts, in the words staff and the public read (the console's tooltips,
# the dashboard JSON's `definitions`, the public page): one text, so that no page
# describes a figure differently from how it is computed (see `dashboard`).
DEFINITIONS = {
    "response": (
        "在第一轮办理时限内受理或答复的诉求所占比例（受理即算响应，不必已答复）；"
        "时限已过仍未受理或答复的计为未响应，包括仍在派单队列中、尚未派单的；"
        "超过时限后才延长的，仍按原时限计；未到时限且尚未受理或答复的，暂不计入"
    ),
    "solved": (
        "评价中问题已解决的比例，每件诉求按最近一次评价计算；评价不满意（已重办）的，"
        "除非市民明确说已解决，计为未解决；满意或基本满意但未回答“问题解决了吗”的，不计入"
    ),
    "satisfied": (
        "参与评价的诉求中满意或基本满意的比例，每件诉求按最近一次评价计算；"
        "不满意重办的，按重办后的评价（此前的不满意计入重办率）"
    ),
    "reopened": "已答复的诉求中，市民不满意而重新办理的比例",
}

# Words every complaint uses ("反映", "希望尽快解决") or that name no subject ("小区",
# "楼下"): counted, they would top every period's hot topics and make unrelated
# complaints at one place look alike. The classifier's stop words are kept minimal on
# purpose (a category model can use "投诉" or "咨询"), so these live here.
_GENERIC_PLACE = (
    "小区", "社区", "门口", "楼下", "楼上", "附近", "周边", "旁边", "对面", "这边", "那边",
)  # fmt: skip
_NOISE = frozenset(
    (
        *_GENERIC_PLACE,
        "反映", "问题", "希望", "尽快", "解决", "处理", "情况", "相关", "部门", "相关部门",
        "市民", "居民", "群众", "本人", "家里", "目前", "严重", "影响", "没有", "多次", "不能",
        "无法", "已经", "好几天", "几天", "一周", "一个月", "每天", "天天", "白天", "晚上",
        "最近", "今天", "昨天", "前天", "经常", "时候", "地方", "出现", "存在", "导致", "造成",
        "要求", "请求", "投诉", "举报", "咨询", "帮忙", "帮助", "联系", "电话", "打电话",
        "不管", "没人管", "管理", "工作人员", "一直", "还是", "这种", "这些", "那些", "知道",
        "表示", "进行", "发现", "这样", "时间", "不是", "怎么办", "看看", "一些", "东西",
        "号楼", "号院", "单元", "有人",
        # what citizens add to any complaint: "老人出行不方便", "给个说法", "派人来看看"
        "说法", "派人", "派人来", "人来", "出行", "方便", "安全", "安全隐患", "隐患", "休息",
        "意见", "邻居", "作为", "不作为", "生活", "几次", "至今", "回复", "困扰", "很大",
        "老人", "孩子",
    )
)  # fmt: skip
# Districts are already a dimension of their own; as keywords they would only echo it.
_PLACE_NAMES = frozenset(
    {*BEIJING_DISTRICTS, *(d[:-1] for d in BEIJING_DISTRICTS), "北京", "北京市"}
)
_DIGIT = re.compile(r"\d")
_HOUSE_NUMBER = re.compile(r"[0-9]+(?:号楼|号院|单元|层|室|号|栋|门)?")
_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_STRIP_FROM_PLACE = re.compile(
    "|".join(sorted((*_PLACE_NAMES, *_GENERIC_PLACE), key=len, reverse=True))
)

# Two complaints are at the same place when their place texts share at least 3 character
# bigrams (a 4-character name such as "西园三区") and those are at least 70 % of the
# shorter text's bigrams, after dropping districts, generic words and house numbers.
# Overlap rather than Jaccard: "望京西园三区" and "望京西园三区南门" are one place, but the
# longer text's detail would cut their Jaccard. Bigrams rather than jieba words: compound
# names are seldom in a dictionary and get split arbitrarily. 70 %, not 60 %: the
# neighbouring "望京西园三区" and "望京西园四区" share 3 of 5 bigrams (60 %) and are not
# one place; "西园三区" inside "望京西园三区" is 3 of 3.
PLACE_MIN_SHARED = 3
PLACE_MIN_OVERLAP = 0.7


def _is_keyword(word: str) -> bool:
    return (
        len(word) > 1
        and word not in _NOISE
        and word not in _PLACE_NAMES
        and not _DIGIT.search(word)
    )


# ---------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class Count:
    """One slice of a pie or bar: ECharts' `{name, value}`."""

    name: str
    value: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value}


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date  # a calendar day in Beijing
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "count": self.count}


@dataclass(frozen=True, slots=True)
class Hours:
    """A duration's distribution in hours: mean and nearest-rank 90th percentile."""

    count: int
    mean: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Hours:
        if not values:
            return cls(0, None, None)
        return cls(len(values), sum(values) / len(values), percentile(values, 90))

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean": _round(self.mean, 2), "p90": _round(self.p90, 2)}


@dataclass(frozen=True, slots=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        """The rate in per cent to one decimal, rounded once from the exact fraction."""
        return percent(self.numerator, self.denominator)

    def to_dict(self) -> dict[str, Any]:
        shown = self.percent
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            # the shown percentage as a fraction (15/19: 78.9 %, 0.789), so that a
            # client formatting it to 0.1 % cannot round a second time into 79.0 %
            "value": None if shown is None else round(shown / 100, 3),
            "percent": shown,
        }


def percent(numerator: int, denominator: int) -> float | None:
    """numerator / denominator in per cent to one decimal, rounded half up once from the
    exact fraction in integers (15/19 is 78.947… %: 78.9, never 79.0 through 0.7895).
    Every page shows rates through this, so the same rate reads the same everywhere."""
    if not denominator:
        return None
    return (2000 * numerator + denominator) // (2 * denominator) / 10


def percent_text(numerator: int, denominator: int) -> str:
    """The rate as staff and the public read it: "78.9%", or "—" without data."""
    shown = percent(numerator, denominator)
    return "—" if shown is None else f"{shown:.1f}%"


@dataclass(frozen=True, slots=True)
class Keyword:
    """A word and how many complaints mention it, now and in the period before."""

    word: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous

    @property
    def change_rate(self) -> float | None:
        """环比: relative change against the previous period; None when it had none."""
        return self.change / self.previous if self.previous else None

    @property
    def trend(self) -> str:
        if not self.previous:
            return "new"
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"

    def to_dict(self) -> dict[str, Any]:
        return {
            "word": self.word,
            "count": self.count,
            "previous": self.previous,
            "change": self.change,
            "change_rate": _round(self.change_rate, 4),
            "trend": self.trend,
        }


@dataclass(frozen=True, slots=True)
class HotTopics:
    total: int  # complaints in the period
    previous_total: int  # complaints in the previous period (0: nothing to compare with)
    previous_start: datetime
    previous_end: datetime
    keywords: list[Keyword] = field(default_factory=list)  # most mentioned first
    rising: list[Keyword] = field(default_factory=list)  # largest increase first

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "previous_total": self.previous_total,
            "previous_start": _iso(self.previous_start),
            "previous_end": _iso(self.previous_end),
            "keywords": [k.to_dict() for k in self.keywords],
            "rising": [k.to_dict() for k in self.rising],
        }


@dataclass(frozen=True, slots=True)
class Cluster:
    """集中诉求: similar complaints about one place within a few days of each other."""

    numbers: list[str]  # ticket numbers, oldest first
    district: str
    category: str
    place: str  # the place text most members gave
    keywords: list[str]
    first: datetime
    last: datetime

    @property
    def size(self) -> int:
        return len(self.numbers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "numbers": self.numbers,
            "size": self.size,
            "district": self.district or NO_DISTRICT,
            "category": self.category or NO_CATEGORY,
            "place": self.place,
            "keywords": self.keywords,
            "first": _iso(self.first),
            "last": _iso(self.last),
        }


@dataclass(frozen=True, slots=True)
class Dashboard:
    start: datetime
    end: datetime
    total: int
    daily: list[DayCount]
    by_category: list[Count]
    by_department: list[Count]
    by_district: list[Count]
    response_hours: Hours
    resolution_hours: Hours
    response_rate: Rate  # 响应率
    solved_rate: Rate  # 解决率
    satisfaction_rate: Rate  # 满意率
    reopen_rate: Rate
    hot_topics: HotTopics
    clusters: list[Cluster]
    skipped: int = 0  # complaints without a usable created_at: in no figure

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": _iso(self.start),
            "end": _iso(self.end),
            "total": self.total,
            "skipped": self.skipped,
            "daily": [d.to_dict() for d in self.daily],
            "by_category": [c.to_dict() for c in self.by_category],
            "by_department": [c.to_dict() for c in self.by_department],
            "by_district": [c.to_dict() for c in self.by_district],
            "response_hours": self.response_hours.to_dict(),
            "resolution_hours": self.resolution_hours.to_dict(),
            "rates": {
                "response": self.response_rate.to_dict(),
                "solved": self.solved_rate.to_dict(),
                "satisfied": self.satisfaction_rate.to_dict(),
                "reopened": self.reopen_rate.to_dict(),
            },
            "definitions": DEFINITIONS,
            "hot_topics": self.hot_topics.to_dict(),
            "clusters": [c.to_dict() for c in self.clusters],
        }


# ---------------------------------------------------------------- reading documents


def _moment(value: Any) -> datetime | None:
    """An aware datetime from a stored value. PyMongo without `tz_aware` hands back naive
    UTC datetimes, and old exports may hold ISO strings."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(slots=True)
class _Row:
    """The fields of one document every figure needs, read defensively once."""

    doc: Mapping[str, Any]
    no: str
    created: datetime
    category: str
    department: str
    department_name: str
    district: str
    place: str  # location.text, else an address found in the description
    description: str
    events: list[tuple[str, datetime]]  # (action, at) in stored (append) order


def _row(doc: Mapping[str, Any], created: datetime) -> _Row:
    location = doc.get("location")
    location = location if isinstance(location, Mapping) else {}
    description = _text(doc.get("description"))
    events = []
    for event in doc.get("history") or ():
        if isinstance(event, Mapping) and (at := _moment(event.get("at"))) is not None:
            events.append((_text(event.get("action")), at))
    return _Row(
        doc=doc,
        no=_text(doc.get("no")),
        created=created,
        category=_text(doc.get("category")),
        department=_text(doc.get("department")),
        department_name=_text(doc.get("department_name")),
        district=_text(location.get("district")),
        place=_text(location.get("text")) or find_address(description),
        description=description,
        events=events,
    )


def _response(row: _Row) -> tuple[datetime, datetime | None] | None:
    """(first dispatch, first accept or reply after it), or None if never dispatched."""
    dispatched: datetime | None = None
    for action, at in row.events:
        if dispatched is None:
            if action == "dispatch":
                dispatched = at
        elif action in ("accept", "reply"):
            return dispatched, at
    return (dispatched, None) if dispatched is not None else None


def _withdrawn_by(row: _Row, moment: datetime) -> bool:
    """The citizen withdrew the complaint at or before `moment`: nothing to respond to."""
    return any(action == "withdraw" and at <= moment for action, at in row.events)


def _first_reply(row: _Row) -> datetime | None:
    moments = [
        at
        for reply in row.doc.get("replies") or ()
        if isinstance(reply, Mapping) and (at := _moment(reply.get("at"))) is not None
    ]
    if not moments:  # replies recorded only in the history
        moments = [at for action, at in row.events if action == "reply"]
    return min(moments, default=None)


def _first_deadline(row: _Row) -> datetime | None:
    """The time limit of the first round. Reopening re-bases `due_at` on the reopen
    moment (see `Complaint.apply`), which would make every reopened complaint's first
    answer look punctual: undo that."""
    due = _moment(row.doc.get("due_at"))
    reopened = [at for action, at in row.events if action == "reopen"]
    if due is not None and reopened:
        due = row.created + (due - reopened[-1])
    # a limit extended only after it had passed keeps the answer late
    missed = _moment(row.doc.get("missed_due_at"))
    if missed is not None and (due is None or missed < due):
        return missed
    return due


def _solved(rating: Mapping[str, Any]) -> bool | None:
    """Whether the rating says the problem was solved. The survey asks only a satisfied
    citizen; 不满意 reopens the case without asking, and a reopened case was not solved,
    so it counts as unsolved unless the citizen said otherwise."""
    solved = rating.get("solved")
    if isinstance(solved, bool):
        return solved
    return False if rating.get("satisfaction") == "不满意" else None


def _round_of(doc: Mapping[str, Any]) -> int:
    value = doc.get("round")
    return value if isinstance(value, int) else 1


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600


# ---------------------------------------------------------------- public API


def percentile(values: Sequence[float], p: int) -> float:
    """Nearest-rank percentile: the smallest value with at least p % of values at or
    below it. Always an observed value, which staff can find in the list."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = -(-p * len(ordered) // 100)  # ceil in integers: 0.9 * 70 is 63.000...01
    return ordered[max(rank, 1) - 1]


def dashboard(
    docs: Iterable[Mapping[str, Any]],
    start: datetime,
    end: datetime,
    departments: Mapping[str, str],
    *,
    top_n: int = 20,
    cluster_days: int = 7,
    cluster_min_size: int = 3,
    now: datetime | None = None,
) -> Dashboard:
    """Figures for complaints (kind "complaint"; missing kind counts as one, as every
    document was before consultations existed) created in [start, end).

    `docs` should cover [start - (end - start), end): the hot topics compare the period
    with the one of equal length just before it, taken from the same documents (one query
    for the caller; `hot_topics.previous_total` is 0 when it was not supplied). Documents
    outside both periods are ignored. `departments` maps codes to current names.

    Definitions:
    - daily: complaints per Beijing calendar day, every day of the range, zeros included.
    - response hours: first `dispatch` event to the first `accept` or `reply` after it.
    - resolution hours: created_at to the first reply (the answer citizens wait for).
    - 响应率: of complaints responded to or whose first round's due_at has passed at
      `now` (default: the current time), those whose first accept/reply after a dispatch
      (受理 counts as a response: Beijing's 接诉即办 响应率 is timely 受理/联系, not the
      answer) came at or before that due_at (no due_at: any response counts). A
      complaint whose limit passed unanswered counts as not responded whoever held it,
      the dispatch queue included; one still unanswered but not yet due is not judged
      yet; one the citizen withdrew before its limit, unanswered, is left out.
    - 解决率: of ratings that say whether the problem was solved, those saying it was.
      The survey asks a satisfied citizen; a 不满意 rating (which reopens the case) counts
      as unsolved unless `solved` was recorded; a 满意/基本满意 rating without an answer
      is left out rather than guessed.
    - 满意率: of rated complaints, 满意 or 基本满意.
    - reopen rate: of complaints replied at least once, those with round > 1.
    - hot topics: the `top_n` keywords by number of complaints whose description contains
      them, with the same count for the previous period; `rising` by increase.
    - clusters (集中诉求): see `_clusters`; at least `cluster_min_size` complaints.
    """
    start, end = _aware(start), _aware(end)
    now = _aware(now) if now is not None else datetime.now(UTC)
    if end <= start:
        raise ValueError("end must be after start")
    previous_start = start - (end - start)
    current: list[_Row] = []
    previous: list[_Row] = []
    skipped = 0
    for doc in docs:
        if (doc.get("kind") or "complaint") != "complaint":
            continue
        created = _moment(doc.get("created_at"))
        if created is None:
            skipped += 1
        elif start <= created < end:
            current.append(_row(doc, created))
        elif previous_start <= created < start:
            previous.append(_row(doc, created))

    figures = _figures(current, now)
    words = _Vocabulary()
    return Dashboard(
        start=start,
        end=end,
        total=len(current),
        daily=_daily(current, start, end),
        by_category=_ranked(row.category or NO_CATEGORY for row in current),
        by_department=_ranked(_department(row, departments) for row in current),
        by_district=_ranked(row.district or NO_DISTRICT for row in current),
        response_hours=figures.response_hours,
        resolution_hours=figures.resolution_hours,
        response_rate=figures.response_rate,
        solved_rate=figures.solved_rate,
        satisfaction_rate=figures.satisfaction_rate,
        reopen_rate=figures.reopen_rate,
        hot_topics=_hot_topics(current, previous, previous_start, start, top_n, words),
        clusters=_clusters(current, words, timedelta(days=cluster_days), cluster_min_size),
        skipped=skipped,
    )


@dataclass(frozen=True, slots=True)
class Figures:
    """The durations and rates of a set of complaints, as `dashboard` defines them."""

    response_hours: Hours
    resolution_hours: Hours
    response_rate: Rate  # 响应率
    solved_rate: Rate  # 解决率
    satisfaction_rate: Rate  # 满意率
    reopen_rate: Rate


def rates(
    docs: Iterable[Mapping[str, Any]],
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
) -> Figures:
    """The durations and rates of `dashboard` for complaints created in [start, end),
    without its keywords and clusters (cheap: no tokenising). The public page uses it so
    that its figures mean what the console's do."""
    start, end = _aware(start), _aware(end)
    now = _aware(now) if now is not None else datetime.now(UTC)
    rows = []
    for doc in docs:
        if (doc.get("kind") or "complaint") != "complaint":
            continue
        created = _moment(doc.get("created_at"))
        if created is not None and start <= created < end:
            rows.append(_row(doc, created))
    return _figures(rows, now)


def _figures(rows: Iterable[_Row], now: datetime) -> Figures:
    response_hours: list[float] = []
    resolution_hours: list[float] = []
    responded = judged = 0
    rated = solved = said_solved = satisfied = 0
    replied = reopened = 0
    for row in rows:
        response = _response(row)
        deadline = _first_deadline(row)
        if response is not None and response[1] is not None:
            sent, answered = response
            response_hours.append(_hours(answered, sent))
            judged += 1
            responded += deadline is None or answered <= deadline
        elif deadline is not None and deadline <= now and not _withdrawn_by(row, deadline):
            # the limit passed without a response, whoever held the case: a department,
            # or the dispatch queue (never dispatched, or handed back). Unanswered and
            # still within its limit: not judged yet.
            judged += 1
        if (reply := _first_reply(row)) is not None:
            resolution_hours.append(_hours(reply, row.created))
            replied += 1
            reopened += _round_of(row.doc) > 1
        rating = row.doc.get("rating")
        if isinstance(rating, Mapping) and (
            rating.get("satisfaction") in SATISFACTIONS or rating.get("solved") is not None
        ):
            rated += 1
            if (verdict := _solved(rating)) is not None:
                said_solved += 1
                solved += verdict
            satisfied += rating.get("satisfaction") in SATISFIED
    return Figures(
        response_hours=Hours.of(response_hours),
        resolution_hours=Hours.of(resolution_hours),
        response_rate=Rate(responded, judged),
        solved_rate=Rate(solved, said_solved),
        satisfaction_rate=Rate(satisfied, rated),
        reopen_rate=Rate(reopened, replied),
    )


def calendar_days(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) of the Beijing calendar days `first` to `last`, both included."""
    if last < first:
        raise ValueError("the last day is before the first")
    start = datetime.combine(first, time(), tzinfo=BEIJING)
    return start, datetime.combine(last + timedelta(days=1), time(), tzinfo=BEIJING)


def last_days(days: int, now: datetime) -> tuple[date, date]:
    """ "近 N 天": today in Beijing and the N - 1 days before it, whole calendar days (one
    bar each in the daily chart, none partial), as (first day, last day)."""
    if days < 1:
        raise ValueError("at least one day")
    today = _aware(now).astimezone(BEIJING).date()
    return today - timedelta(days=days - 1), today


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """CSV text of `rows` with `columns` as (key, header) pairs, for download.

    Starts with a BOM: without it Excel on Chinese Windows reads UTF-8 as GBK and shows
    mojibake. A key may be dotted ("location.district") to reach into sub-documents.
    Datetimes are written in Beijing time, lists joined with "、", missing values empty.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)  # the excel dialect: commas, CRLF, quoting where needed
    writer.writerow([header for _, header in columns])
    for row in rows:
        writer.writerow([_cell(_lookup(row, key)) for key, _ in columns])
    return out.getvalue()


# ---------------------------------------------------------------- helpers


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(BEIJING).isoformat()


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _ranked(names: Iterable[str]) -> list[Count]:
    counts = Counter(names)
    # ties by name, so that the order does not depend on the order of the query
    return [Count(name, n) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _department(row: _Row, departments: Mapping[str, str]) -> str:
    # A complaint waiting in the dispatch queue carries only the model's suggestion
    # (or the department that handed it back): no department is handling it.
    if not row.department or row.doc.get("status") == "submitted":
        return NO_DEPARTMENT
    # a department since renamed or removed keeps the name stored with the complaint
    return departments.get(row.department) or row.department_name or row.department


def _daily(rows: Sequence[_Row], start: datetime, end: datetime) -> list[DayCount]:
    counts = Counter(row.created.astimezone(BEIJING).date() for row in rows)
    day = start.astimezone(BEIJING).date()
    last = (end - timedelta(microseconds=1)).astimezone(BEIJING).date()
    days: list[DayCount] = []
    while day <= last:
        days.append(DayCount(day, counts[day]))
        day += timedelta(days=1)
    return days


class _Vocabulary:
    """Keywords of each description, tokenised once per dashboard: hot topics and clusters
    share them, and tokenising is most of the cost. Per call, not a module cache, so
    memory stays bounded and a benchmark measures real work."""

    def __init__(self) -> None:
        self._seen: dict[str, frozenset[str]] = {}

    def __call__(self, text: str) -> frozenset[str]:
        words = self._seen.get(text)
        if words is None:
            words = frozenset(w for w in tokenize(text) if _is_keyword(w))
            self._seen[text] = words
        return words


def _hot_topics(
    current: Sequence[_Row],
    previous: Sequence[_Row],
    previous_start: datetime,
    previous_end: datetime,
    top_n: int,
    words: _Vocabulary,
) -> HotTopics:
    # Document frequency with our own tokenizer rather than jieba.analyse.extract_tags:
    # "how many complaints mention it" is what staff can check and act on, and
    # extract_tags runs jieba's global tokenizer (without our dictionary of places and
    # agencies) with IDF weights learnt from news text.
    token_now = Counter(w for row in current for w in words(row.description))
    token_before = Counter(w for row in previous for w in words(row.description))
    # Tokens pick the candidates; the counts are then of complaints whose text contains
    # the word. jieba cuts "路灯不亮" into 路 / 灯不亮, so token counts alone would miss
    # about a third of the street-light complaints. Recounting a few candidates costs
    # far less than tokenising.
    width = 3 * top_n
    candidates = {w for w, _ in token_now.most_common(width)} | set(
        heapq.nlargest(width, token_now, key=lambda w: token_now[w] - token_before[w])
    )
    now = _mentions(candidates, current)
    before = _mentions(candidates, previous)
    top = sorted(now, key=lambda w: (-now[w], -(now[w] - before[w]), w))[:top_n]
    # A word going from 0 to 1 mention is noise, not a trend; without a previous period
    # every word would be "rising".
    risers = [w for w in now if now[w] >= 2 and now[w] > before[w]] if previous else []
    rising = sorted(risers, key=lambda w: (-(now[w] - before[w]), -now[w], w))[:top_n]
    return HotTopics(
        total=len(current),
        previous_total=len(previous),
        previous_start=previous_start,
        previous_end=previous_end,
        keywords=[Keyword(w, now[w], before[w]) for w in top],
        rising=[Keyword(w, now[w], before[w]) for w in rising],
    )


def _mentions(candidates: Iterable[str], rows: Sequence[_Row]) -> dict[str, int]:
    texts = [row.description.lower() for row in rows]  # tokens are lower-cased
    return {word: len([t for t in texts if word in t]) for word in candidates}


def _place_key(place: str) -> str:
    # Districts are compared by the bucket already and generic words ("小区门口") name
    # no particular place: both would only make different places look alike.
    # House numbers go too: the compound is the place a problem is shared by, and
    # "5号楼" against "12号楼" would otherwise hide "西园三区" being common to both.
    return _STRIP_FROM_PLACE.sub("", _HOUSE_NUMBER.sub("", _NOT_WORD.sub("", place)))


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _same_place(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = len(a & b)
    return shared >= PLACE_MIN_SHARED and shared >= PLACE_MIN_OVERLAP * min(len(a), len(b))


def _same_subject(a: frozenset[str], a_text: str, b: frozenset[str], b_text: str) -> bool:
    # A keyword of one found anywhere in the other's text, not only among its keywords:
    # jieba cuts "路灯不亮" into 路 / 灯不亮, which a word-set comparison would miss.
    return any(w in b_text for w in a) or any(w in a_text for w in b)


def _clusters(
    rows: Sequence[_Row], words: _Vocabulary, window: timedelta, min_size: int
) -> list[Cluster]:
    """Single-linkage groups of complaints that are similar pairwise: same district and
    category, created at most `window` apart, at the same place (see PLACE_MIN_*) and
    about the same subject (a shared keyword once the place's own words are removed).

    Both place and subject are required: one compound's street light and its lift are
    two problems, and street lights at two compounds are two problems. A complaint with
    no place in either its location or its description joins no cluster. Single
    linkage chains: complaints on days 0, 6 and 12 form one cluster.
    """
    buckets: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in rows:
        if row.place:
            buckets[(row.district, row.category)].append(row)
    found = [
        cluster
        for members in buckets.values()
        if len(members) >= min_size
        for cluster in _bucket_clusters(members, words, window, min_size)
    ]
    found.sort(key=lambda c: (-c.size, -c.last.timestamp(), c.numbers[0]))
    return found


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]  # path halving keeps the trees flat
        i = parent[i]
    return i


def _bucket_clusters(
    members: list[_Row], words: _Vocabulary, window: timedelta, min_size: int
) -> list[Cluster]:
    """Clusters among complaints of one district and category. Only pairs within the
    time window are compared, and pairs already joined are skipped, so the cost grows
    with local density rather than with the square of all complaints."""
    members.sort(key=lambda r: r.created)
    keys = [_place_key(r.place) for r in members]
    places = [_bigrams(key) for key in keys]
    texts = [r.description.lower() for r in members]
    subjects = [
        frozenset(w for w in words(r.description) if w not in key)
        for r, key in zip(members, keys, strict=True)
    ]
    parent = list(range(len(members)))
    for i, row in enumerate(members):
        if len(places[i]) < PLACE_MIN_SHARED or not subjects[i]:
            continue
        limit = row.created + window
        for j in range(i + 1, len(members)):
            if members[j].created > limit:
                break
            a, b = _root(parent, i), _root(parent, j)
            if (
                a != b
                and _same_place(places[i], places[j])
                and _same_subject(subjects[i], texts[i], subjects[j], texts[j])
            ):
                parent[b] = a
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(members)):
        groups[_root(parent, i)].append(i)
    clusters: list[Cluster] = []
    for indexes in groups.values():
        if len(indexes) < min_size:
            continue
        group = [members[i] for i in indexes]  # still oldest first
        keywords = Counter(w for i in indexes for w in sorted(subjects[i]))
        clusters.append(
            Cluster(
                numbers=[r.no for r in group],
                district=group[0].district,
                category=group[0].category,
                place=Counter(r.place for r in group).most_common(1)[0][0],
                keywords=[w for w, _ in keywords.most_common(5)],
                first=group[0].created,
                last=group[-1].created,
            )
        )
    return clusters


def _lookup(row: Mapping[str, Any], key: str) -> Any:
    if key in row:
        return row[key]
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return _aware(value).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(_cell(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        # Citizens write these texts: a cell starting with "=" or "@" would be run by
        # Excel as a formula (CSV injection), so it is quoted as text.
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    return str(value)
