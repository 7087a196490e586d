"""Dashboard figures from hand-built complaint documents shaped as MongoDB stores them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.statistics import Count, dashboard, percentile, to_csv
from store.complaints import BEIJING

# The week of 1 to 7 November 2026 in Beijing; the previous period is 25 to 31 October.
START = datetime(2026, 11, 1, tzinfo=BEIJING)
END = datetime(2026, 11, 8, tzinfo=BEIJING)
T = datetime(2026, 11, 2, 9, tzinfo=BEIJING)  # a Monday morning inside the week
H = timedelta(hours=1)
D = timedelta(days=1)
ZJW = {"zjw": "市住房城乡建设委", "hbj": "市生态环境局"}


def complaint(no: str, created: datetime, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "no": no,
        "kind": "complaint",
        "status": "submitted",
        "round": 1,
        "category": "城乡建设",
        "department": "",
        "department_name": "",
        "description": "小区门口路灯坏了一周了，晚上很黑",
        "location": {"text": "望京西园三区", "district": "朝阳区"},
        "created_at": created.astimezone(UTC),
        "due_at": None,
        "overdue": False,
        "history": [event("submit", created)],
        "replies": [],
        "rating": None,
    }
    doc.update(fields)
    return doc


def event(action: str, at: datetime) -> dict[str, Any]:
    return {
        "at": at.astimezone(UTC),
        "actor": "system",
        "action": action,
        "from_status": "",
        "to_status": "",
        "reason": "",
    }


def handled(created: datetime, *steps: tuple[str, timedelta]) -> list[dict[str, Any]]:
    """A history: submission, then each action at its offset from `created`."""
    return [event("submit", created), *(event(action, created + after) for action, after in steps)]


def reply(at: datetime, round_: int = 1) -> dict[str, Any]:
    return {"round": round_, "text": "已修复", "by": "张三", "at": at.astimezone(UTC)}


def place(text: str, district: str = "朝阳区") -> dict[str, str]:
    return {"text": text, "district": district}


def test_daily_volume_has_every_beijing_day_of_the_range_including_empty_ones():
    docs = [
        complaint("a", datetime(2026, 11, 1, 10, tzinfo=BEIJING)),
        # 16:30 UTC on the 1st is half past midnight on the 2nd in Beijing
        complaint("b", datetime(2026, 11, 1, 16, 30, tzinfo=UTC)),
        complaint("c", datetime(2026, 11, 5, 12, tzinfo=BEIJING)),
        complaint("d", datetime(2026, 11, 5, 13, tzinfo=BEIJING), kind="consultation"),
        complaint("e", END),  # the end is excluded
        complaint("f", START - timedelta(seconds=1)),  # previous period: not this week
    ]
    result = dashboard(docs, START, END, ZJW)
    assert result.total == 3
    assert [(d.day, d.count) for d in result.daily] == [
        (date(2026, 11, 1), 1),
        (date(2026, 11, 2), 1),
        (date(2026, 11, 3), 0),
        (date(2026, 11, 4), 0),
        (date(2026, 11, 5), 1),
        (date(2026, 11, 6), 0),
        (date(2026, 11, 7), 0),
    ]
    assert result.to_dict()["daily"][2] == {"date": "2026-11-03", "count": 0}


def test_counts_by_category_department_and_district_are_sorted_and_labelled():
    docs = [
        complaint("1", T, department="zjw", department_name="市住建委（旧名）", status="accepted"),
        complaint("2", T, department="zjw", status="dispatched"),
        complaint(
            "3",
            T,
            category="环境保护",
            department="swj",
            department_name="市水务局",
            status="replied",
            location=place("海淀区中关村大街27号", "海淀区"),
        ),
        complaint("4", T, category="环境保护", location=None),
        complaint("5", T, category="", location={"text": "", "district": ""}),
        # waiting in the queue with only the model's suggestion: nobody handles it yet
        complaint("6", T, category="交通运输", department="jtw", location=place("西单", "西城区")),
    ]
    result = dashboard(docs, START, END, ZJW)
    assert result.by_category == [
        Count("城乡建设", 2),
        Count("环境保护", 2),
        Count("交通运输", 1),
        Count("未分类", 1),
    ]
    # current names win over the stored one; an unknown code keeps its stored name
    assert result.by_department == [
        Count("未派单", 3),
        Count("市住房城乡建设委", 2),
        Count("市水务局", 1),
    ]
    assert result.by_district == [
        Count("朝阳区", 2),
        Count("未注明", 2),
        Count("海淀区", 1),
        Count("西城区", 1),
    ]
    assert result.to_dict()["by_department"][0] == {"name": "未派单", "value": 3}


def test_response_and_resolution_hours_mean_and_nearest_rank_p90():
    docs = []
    for i in range(1, 11):
        created = T + i * D / 10
        history = handled(created, ("dispatch", H), ("accept", H + i * H), ("reply", 2 * i * H))
        docs.append(
            complaint(f"r{i}", created, history=history, replies=[reply(created + 2 * i * H)])
        )
    # never dispatched, and dispatched but not yet answered: in neither distribution
    docs.append(complaint("waiting", T))
    docs.append(complaint("dispatched", T, history=handled(T, ("dispatch", H))))
    result = dashboard(docs, START, END, ZJW)
    assert (result.response_hours.count, result.response_hours.mean) == (10, 5.5)
    assert result.response_hours.p90 == 9  # the 9th of 10 values, not an interpolation
    assert (result.resolution_hours.count, result.resolution_hours.mean) == (10, 11.0)
    assert result.resolution_hours.p90 == 18
    assert result.to_dict()["response_hours"] == {"count": 10, "mean": 5.5, "p90": 9.0}


def test_response_time_runs_from_the_first_dispatch_even_after_a_transfer():
    history = handled(
        T, ("dispatch", H), ("transfer", 2 * H), ("dispatch", 5 * H), ("accept", 6 * H)
    )
    # a reply recorded only in the history still ends the resolution time
    history.append(event("reply", T + 30 * H))
    result = dashboard([complaint("t", T, history=history)], START, END, ZJW)
    assert result.response_hours.mean == 5.0
    assert result.resolution_hours.mean == 30.0


def test_the_published_rates_carry_numerator_and_denominator():
    due = T + 7 * D
    on_time = complaint(
        "on-time",
        T,
        due_at=due,
        replies=[reply(T + 2 * D)],
        history=handled(T, ("dispatch", H), ("accept", 2 * H), ("reply", 2 * D)),
        rating={"satisfaction": "满意", "solved": True, "comment": "", "round": 1},
    )
    late = complaint(
        "late",
        T,
        due_at=due,
        history=handled(T, ("dispatch", H), ("accept", 8 * D)),
        rating={"satisfaction": "基本满意", "solved": None, "comment": "", "round": 1},
    )
    silent = complaint("silent", T, due_at=due, history=handled(T, ("dispatch", H)))
    no_limit = complaint(
        "no-limit",
        T,
        due_at=None,
        replies=[reply(T + 20 * D)],
        history=handled(T, ("dispatch", H), ("reply", 20 * D)),
        rating={"satisfaction": "不满意", "solved": False, "comment": "", "round": 1},
    )
    # Answered a day late, then reopened: the stored due_at was re-based on the reopen
    # (T + 9 d + 7 d), which would make the late first answer look punctual.
    reopened = complaint(
        "reopened",
        T,
        due_at=T + 16 * D,
        round=2,
        replies=[reply(T + 8 * D), reply(T + 10 * D, 2)],
        history=handled(T, ("dispatch", H), ("reply", 8 * D), ("reopen", 9 * D), ("reply", 10 * D)),
        rating={"satisfaction": "满意", "solved": False, "comment": "", "round": 2},
    )
    undispatched = complaint("new", T, rating={})  # an empty rating is no rating
    docs = [on_time, late, silent, no_limit, reopened, undispatched]
    # the range is 30 days here so that every answer falls inside it
    result = dashboard(docs, START, START + 30 * D, ZJW)
    assert (result.response_rate.numerator, result.response_rate.denominator) == (2, 5)
    # "late" was rated without saying whether it was solved: left out, not counted unsolved
    assert (result.solved_rate.numerator, result.solved_rate.denominator) == (1, 3)
    assert (result.satisfaction_rate.numerator, result.satisfaction_rate.denominator) == (3, 4)
    assert (result.reopen_rate.numerator, result.reopen_rate.denominator) == (1, 3)
    assert result.to_dict()["rates"]["satisfied"] == {
        "numerator": 3,
        "denominator": 4,
        "value": 0.75,
        "percent": 75.0,
    }


def test_an_unanswered_complaint_still_within_its_limit_is_not_judged_yet():
    waiting = complaint(
        "waiting", T, due_at=T + 7 * D, status="dispatched", history=handled(T, ("dispatch", H))
    )
    answered = complaint(
        "answered", T, due_at=T + 7 * D, history=handled(T, ("dispatch", H), ("accept", 2 * H))
    )
    early = dashboard([waiting, answered], START, END, ZJW, now=T + 2 * D)
    assert (early.response_rate.numerator, early.response_rate.denominator) == (1, 1)
    late = dashboard([waiting, answered], START, END, ZJW, now=T + 8 * D)
    assert (late.response_rate.numerator, late.response_rate.denominator) == (1, 2)


def test_rates_and_durations_are_none_without_data():
    result = dashboard([complaint("x", T)], START, END, ZJW)
    for rate in (
        result.response_rate,
        result.solved_rate,
        result.satisfaction_rate,
        result.reopen_rate,
    ):
        assert (rate.denominator, rate.value) == (0, None)
    assert (result.response_hours.mean, result.response_hours.p90) == (None, None)
    figures = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert figures["rates"]["response"]["value"] is None
    assert figures["resolution_hours"] == {"count": 0, "mean": None, "p90": None}


def test_percentile_is_nearest_rank():
    assert percentile(list(range(10, 0, -1)), 90) == 9
    # 0.9 * 70 is 63.00000000000001 in floating point: still the 63rd value
    assert percentile(list(range(1, 71)), 90) == 63
    assert percentile([4.5], 90) == 4.5
    with pytest.raises(ValueError):
        percentile([], 90)


LAMP = [
    ("L1", place("望京西园三区5号楼"), "楼前路灯坏了，晚上出行不安全", 0 * H),
    ("L2", place("朝阳区望京西园三区"), "路灯不亮已经一周了，希望尽快修", 20 * H),
    ("L3", place("望京西园三区南门"), "小区南门路灯坏了好几天了，晚上很黑", 40 * H),
    # no place given: the address is found in the description
    ("L4", place(""), "朝阳区望京西园三区12号楼门口的路灯晚上不亮", 70 * H),
]


def lamp_docs() -> list[dict[str, Any]]:
    return [
        complaint(no, T + after, location=where, description=text)
        for no, where, text, after in LAMP
    ]


def test_similar_complaints_at_one_place_within_days_form_a_cluster():
    docs = [
        *lamp_docs(),
        complaint("later", T + 20 * D, location=place("望京西园三区"), description="路灯又坏了"),
        complaint(
            "haidian", T + H, location=place("望京西园三区", "海淀区"), description="路灯坏了好几天"
        ),
        complaint(
            "lift",
            T + 2 * H,
            location=place("望京西园三区"),
            description="小区电梯坏了，老人上下楼困难",
        ),
        complaint(
            "next-door",
            T + 3 * H,
            location=place("望京西园四区"),
            description="四区路灯坏了晚上很黑",
        ),
        complaint(
            "elsewhere",
            T + 4 * H,
            location=place("望京花家地北里"),
            description="小区路灯不亮好几天了",
        ),
    ]
    result = dashboard(docs, START, START + 30 * D, ZJW)
    [cluster] = result.clusters
    assert cluster.numbers == ["L1", "L2", "L3", "L4"]
    assert (cluster.size, cluster.district, cluster.category) == (4, "朝阳区", "城乡建设")
    assert cluster.place in {"望京西园三区5号楼", "朝阳区望京西园三区"}  # each given once
    assert cluster.keywords[0] == "路灯"
    assert (cluster.first, cluster.last) == (T, T + 70 * H)
    assert result.to_dict()["clusters"][0]["first"] == "2026-11-02T09:00:00+08:00"


def test_clusters_need_enough_members_and_link_through_a_chain():
    fumes = [
        complaint(
            f"y{i}",
            T + i * 6 * D,
            category="环境保护",
            location=place("双井富力城C区"),
            description=text,
        )
        for i, text in enumerate(["楼下饭馆油烟太大", "饭馆油烟熏得不敢开窗", "油烟扰民"])
    ]
    # days 0, 6 and 12: each pair of neighbours is within 7 days, the ends are not
    [chain] = dashboard(fumes, START, START + 30 * D, ZJW).clusters
    assert chain.numbers == ["y0", "y1", "y2"] and chain.keywords[0] == "油烟"
    assert dashboard(fumes, START, START + 30 * D, ZJW, cluster_days=5).clusters == []
    assert dashboard(fumes[:2], START, START + 30 * D, ZJW).clusters == []
    [pair] = dashboard(fumes[:2], START, START + 30 * D, ZJW, cluster_min_size=2).clusters
    assert pair.size == 2


def test_hot_topics_count_complaints_per_word_and_compare_with_the_previous_period():
    before = START - 3 * D
    docs = [
        complaint("p1", before, description="望京西园三区路灯坏了"),
        *(
            complaint(f"p{i}", before + i * H, description="小区门口乱停车，堵住消防通道")
            for i in range(2, 5)
        ),
        # 路灯 twice in one complaint is still one complaint mentioning it
        complaint("c1", T, description="朝阳区3号楼路灯坏了，路灯一直不亮，希望尽快解决"),
        complaint("c2", T + H, description="路灯不亮，晚上很黑"),
        complaint("c3", T + 2 * H, description="小区路灯坏了一周了"),
        complaint("c4", T + 3 * H, description="路灯杆歪了，担心倒下来砸人"),
        complaint("c5", T + 4 * H, description="又有人乱停车"),
        complaint("old", START - 20 * D, description="停车停车停车"),  # before both periods
    ]
    topics = dashboard(docs, START, END, ZJW).hot_topics
    assert (topics.total, topics.previous_total) == (5, 4)
    assert topics.previous_start == START - 7 * D
    lamp = topics.keywords[0]
    assert (lamp.word, lamp.count, lamp.previous, lamp.change, lamp.trend) == (
        "路灯",
        4,
        1,
        3,
        "up",
    )
    assert lamp.change_rate == 3.0
    parking = next(k for k in topics.keywords if k.word == "停车")
    assert (parking.count, parking.previous, parking.trend) == (1, 3, "down")
    assert len(dashboard(docs, START, END, ZJW, top_n=2).hot_topics.keywords) == 2
    assert topics.rising[0].word == "路灯"
    assert "停车" not in {k.word for k in topics.rising}
    words = {k.word for k in topics.keywords}
    for noise in ("朝阳区", "朝阳", "希望", "解决", "小区", "3"):
        assert noise not in words
    assert all(len(w) > 1 and not any(ch.isdigit() for ch in w) for w in words)


def test_hot_topics_without_a_previous_period_mark_words_new_and_nothing_rising():
    docs = [complaint(f"c{i}", T + i * H, description="路灯坏了") for i in range(3)]
    topics = dashboard(docs, START, END, ZJW).hot_topics
    assert topics.previous_total == 0 and topics.rising == []
    assert topics.keywords[0].to_dict() == {
        "word": "路灯",
        "count": 3,
        "previous": 0,
        "change": 3,
        "change_rate": None,
        "trend": "new",
    }


def test_old_and_odd_documents_do_not_break_the_figures():
    docs = [
        {"no": "bare", "created_at": datetime(2026, 11, 3, 2)},  # naive: UTC, as PyMongo
        {"no": "no-date", "kind": "complaint"},
        complaint(
            "odd",
            T,
            location="朝阳",
            history=[None, {"action": "dispatch"}],
            replies=[{"text": "无时间"}],
            rating="满意",
            round=None,
        ),
        complaint("iso", T, created_at="2026-11-04T08:00:00+08:00"),
    ]
    result = dashboard(docs, START, END, ZJW)
    assert (result.total, result.skipped) == (3, 1)
    assert [d.count for d in result.daily] == [0, 1, 1, 1, 0, 0, 0]
    assert result.by_district == [Count("未注明", 2), Count("朝阳区", 1)]
    assert result.response_rate.denominator == 0 and result.solved_rate.denominator == 0
    json.dumps(result.to_dict(), ensure_ascii=False)


def test_range_must_not_be_empty():
    with pytest.raises(ValueError):
        dashboard([], END, START, ZJW)


def test_csv_has_a_bom_and_round_trips_through_csv_reader():
    rows = [
        {
            "no": "20261128-0001",
            "description": '路灯坏了，"很黑"\n第二行',
            "overdue": True,
            "created_at": datetime(2026, 11, 28, 1, 30, tzinfo=UTC),
            "location": {"district": "朝阳区"},
            "numbers": ["a", "b"],
        },
        {
            "no": "20261128-0002",
            "description": '=HYPERLINK("http://x")',
            "overdue": False,
            "created_at": None,
            "location": None,
            "numbers": [],
        },
    ]
    columns = [
        ("no", "编号"),
        ("description", "诉求内容"),
        ("overdue", "超期"),
        ("created_at", "登记时间"),
        ("location.district", "区"),
        ("numbers", "工单"),
        ("missing", "缺失"),
    ]
    text = to_csv(rows, columns)
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed == [
        ["编号", "诉求内容", "超期", "登记时间", "区", "工单", "缺失"],
        [
            "20261128-0001",
            '路灯坏了，"很黑"\n第二行',
            "是",
            "2026-11-28 09:30:00",
            "朝阳区",
            "a、b",
            "",
        ],
        ["20261128-0002", '\'=HYPERLINK("http://x")', "否", "", "", "", ""],
    ]
    assert text.endswith("\r\n")  # Excel's line ends


def test_csv_exports_clusters_as_they_are_returned():
    result = dashboard(lamp_docs(), START, END, ZJW)
    text = to_csv(
        [c.to_dict() for c in result.clusters],
        [("place", "地点"), ("size", "件数"), ("numbers", "工单")],
    )
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1][1:] == ["4", "L1、L2、L3、L4"]


def test_an_unsatisfied_rating_that_reopened_the_case_counts_as_unsolved():
    def rated(no: str, satisfaction: str, solved: bool | None) -> dict[str, Any]:
        rating = {"satisfaction": satisfaction, "solved": solved, "comment": "", "round": 1}
        return complaint(no, T, rating=rating)

    docs = [
        rated("solved", "满意", True),
        # "3"/不满意 reopens the case without asking whether it was solved
        rated("reopened", "不满意", None),
        # explicitly recorded: the citizen's word wins
        rated("unsatisfied-but-solved", "不满意", True),
        # satisfied without an answer to 问题解决了吗: still not guessed
        rated("no-answer", "基本满意", None),
    ]
    solved = dashboard(docs, START, END, ZJW).solved_rate
    assert (solved.numerator, solved.denominator) == (2, 3)


def test_a_complaint_whose_limit_passed_in_the_dispatch_queue_counts_as_not_responded():
    due = T + 7 * D
    queued = complaint("queued", T, due_at=due)  # registered, never dispatched
    handed_back = complaint(
        "handed-back",
        T,
        due_at=due,
        status="submitted",
        history=handled(T, ("dispatch", H), ("transfer", 2 * H)),
    )
    not_yet_due = complaint("fresh", T + 5 * D, due_at=T + 12 * D)
    withdrawn = complaint(
        "withdrawn", T, due_at=due, status="withdrawn", history=handled(T, ("withdraw", D))
    )
    answered = complaint(
        "answered", T, due_at=due, history=handled(T, ("dispatch", H), ("accept", 2 * H))
    )
    docs = [queued, handed_back, not_yet_due, withdrawn, answered]
    result = dashboard(docs, START, START + 30 * D, ZJW, now=T + 8 * D)
    assert (result.response_rate.numerator, result.response_rate.denominator) == (1, 3)
    # before the limit the queued ones are not judged yet
    early = dashboard(docs, START, START + 30 * D, ZJW, now=T + 2 * D)
    assert (early.response_rate.numerator, early.response_rate.denominator) == (1, 1)


def test_the_last_n_days_are_whole_beijing_calendar_days_today_included():
    from bot.statistics import calendar_days, last_days

    late = datetime(2026, 11, 29, 23, 35, tzinfo=BEIJING)
    first, last = last_days(7, late)
    assert (first, last) == (date(2026, 11, 23), date(2026, 11, 29))
    # just after midnight Beijing (16:05 UTC the day before) it is already the next day
    assert last_days(1, datetime(2026, 11, 29, 16, 5, tzinfo=UTC)) == (date(2026, 11, 30),) * 2
    start, end = calendar_days(first, last)
    assert start == datetime(2026, 11, 23, tzinfo=BEIJING)
    assert end == datetime(2026, 11, 30, tzinfo=BEIJING)
    morning = complaint("morning", datetime(2026, 11, 23, 0, 0, 1, tzinfo=BEIJING))
    before = complaint("before", datetime(2026, 11, 22, 23, 59, tzinfo=BEIJING))
    result = dashboard([morning, before], start, end, ZJW, now=late)
    assert [d.day for d in result.daily] == [date(2026, 11, 23) + i * D for i in range(7)]
    assert result.daily[0].count == 1 and result.total == 1


def test_a_rate_is_rounded_once_from_the_exact_fraction():
    from bot.statistics import Rate, percent, percent_text

    # 15/19 is 78.947 %: through 0.7895 it would read 79.0 %
    assert Rate(15, 19).to_dict() == {
        "numerator": 15,
        "denominator": 19,
        "value": 0.789,
        "percent": 78.9,
    }
    assert percent_text(15, 19) == "78.9%" and percent_text(0, 0) == "—"
    assert percent(1, 16) == 6.3  # 6.25 exactly: half up
    assert percent(2, 3) == 66.7 and percent(1, 3) == 33.3 and percent(3, 3) == 100.0
    assert Rate(0, 0).to_dict()["percent"] is None
