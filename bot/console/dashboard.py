"""The statistics dashboard: the figures admins and dispatchers decide from,
drawn with the vendored ECharts, and each table downloadable as CSV."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from aiohttp import web

from bot.app import hotline_of
from bot.console import messages
from bot.console.auth import page
from bot.console.layout import csv_download, error_page, render
from bot.statistics import Dashboard, calendar_days, dashboard, last_days
from models.accounts import Role
from models.complaint import IN_WORK
from store.complaints import BEIJING, overdue_filter

PERIODS = {7: "近 7 天", 30: "近 30 天", 90: "近 90 天", 365: "近一年"}
DEFAULT_DAYS = 30
MAX_DAYS = 366  # a custom start/end: a leap year at most
CACHE_FOR = 60.0  # seconds: a dashboard refresh by ten people costs one computation
FIELDS = {
    "_id": 0, "no": 1, "kind": 1, "category": 1, "department": 1, "department_name": 1,
    "location": 1, "description": 1, "created_at": 1, "due_at": 1, "round": 1,
    "history.action": 1, "history.at": 1, "replies.at": 1, "rating": 1, "status": 1,
    "missed_due_at": 1,
}  # fmt: skip
TABLES = {
    "daily": ("每日诉求量", [("date", "日期"), ("count", "诉求量")]),
    "category": ("按类别", [("name", "类别"), ("value", "诉求量")]),
    "department": ("按承办部门", [("name", "承办部门"), ("value", "诉求量")]),
    "district": ("按区", [("name", "区"), ("value", "诉求量")]),
    "topics": ("热点词", [("word", "关键词"), ("count", "提及件数"), ("previous", "上期件数"),
                          ("change", "变化")]),
    "clusters": ("集中诉求", [("district", "区"), ("category", "类别"), ("place", "地点"),
                              ("size", "件数"), ("keywords", "关键词"), ("first", "最早"),
                              ("last", "最晚"), ("numbers", "工单编号")]),
}  # fmt: skip
# columns holding moments (ISO text in the figures): Beijing time in the CSV
TIMES = ("first", "last")


@dataclass(slots=True)
class DashboardCache:
    """Figures per period, computed at most every CACHE_FOR seconds on this instance."""

    entries: dict[tuple[date, date], tuple[float, Dashboard]] = field(default_factory=dict)


dashboard_cache_key = web.AppKey("dashboard_cache", DashboardCache)


@dataclass(frozen=True, slots=True)
class Period:
    """The Beijing calendar days a dashboard covers, both included."""

    first: date
    last: date
    days: int | None = None  # one of PERIODS; None for a custom start/end

    @property
    def query(self) -> str:
        """The parameters that ask for this period again (the CSV links)."""
        if self.days is not None:
            return f"days={self.days}"
        return f"start={self.first.isoformat()}&end={self.last.isoformat()}"

    @property
    def label(self) -> str:
        return PERIODS[self.days] if self.days is not None else "自定义"


class BadPeriod(ValueError):
    """A period parameter that cannot be honoured: `args[0]` in English (JSON), `chinese`
    for the page."""

    def __init__(self, reason: str, chinese: str) -> None:
        super().__init__(reason)
        self.chinese = chinese


def _date(request: web.Request, name: str) -> date:
    value = request.query.get(name, "")
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadPeriod(
            f"{name} must be a date as YYYY-MM-DD", messages.DASHBOARD_BAD_DATE.format(name=name)
        ) from None


def period(request: web.Request, now: datetime) -> Period:
    """The period the request asks for: `days` (one of PERIODS: today and the days
    before it) or `start` and `end` (Beijing dates, inclusive, at most MAX_DAYS);
    neither: DEFAULT_DAYS. Anything else raises BadPeriod, never a silent default."""
    params = request.query
    today = now.astimezone(BEIJING).date()
    if "start" in params or "end" in params:
        if "days" in params:
            raise BadPeriod("give either days or start and end", messages.DASHBOARD_BOTH)
        first, last = _date(request, "start"), _date(request, "end")
        if last < first:
            raise BadPeriod("end is before start", messages.DASHBOARD_REVERSED)
        if last > today:
            raise BadPeriod("end is after today (Beijing time)", messages.DASHBOARD_FUTURE)
        if (last - first).days + 1 > MAX_DAYS:
            raise BadPeriod(
                f"at most {MAX_DAYS} days from start to end",
                messages.DASHBOARD_TOO_LONG.format(days=MAX_DAYS),
            )
        return Period(first, last)
    raw = params.get("days", str(DEFAULT_DAYS))
    days = int(raw) if raw.isascii() and raw.isdecimal() else None
    if days not in PERIODS:
        choices = ", ".join(map(str, PERIODS))
        raise BadPeriod(
            f"days must be one of {choices}",
            messages.DASHBOARD_BAD_DAYS.format(choices="、".join(map(str, PERIODS))),
        )
    return Period(*last_days(days, now), days=days)


async def figures(request: web.Request, first: date, last: date) -> Dashboard:
    """The figures of the Beijing calendar days `first` to `last`, both included."""
    cache = request.app[dashboard_cache_key]
    cached = cache.entries.get((first, last))
    if cached and time.monotonic() - cached[0] < CACHE_FOR:
        return cached[1]
    hotline = hotline_of(request)
    start, end = calendar_days(first, last)
    # twice the period: hot topics compare with the period before
    docs = await hotline.db.db.complaints.find(
        {"created_at": {"$gte": start - (end - start)}}, FIELDS
    ).to_list()
    names = {d.code: d.name for d in hotline.complaints.departments}
    # jieba and the clustering are CPU work: keep the event loop answering citizens
    result = await asyncio.to_thread(dashboard, docs, start, end, names)
    # another day's ranges are no longer asked for: keep the cache small
    cache.entries = {k: v for k, v in cache.entries.items() if time.monotonic() - v[0] < CACHE_FOR}
    cache.entries[(first, last)] = (time.monotonic(), result)
    return result


async def backlog(request: web.Request) -> dict[str, Any]:
    """The work outstanding now, whatever the period: open complaints past their time
    limit (the dispatch queue's included) and complaints waiting to be dispatched."""
    complaints = hotline_of(request).db.complaints
    now = datetime.now(UTC)
    complaint = {"kind": {"$ne": "consultation"}}
    open_ = [s.value for s in IN_WORK]
    overdue = {**complaint, "status": {"$in": open_}, **overdue_filter(now)}
    return {
        "at": now.astimezone(BEIJING).isoformat(),
        "overdue": await complaints.count(overdue),
        "queued": await complaints.count({**complaint, "status": "submitted"}),
        "queued_overdue": await complaints.count({**overdue, "status": "submitted"}),
    }


async def _data(request: web.Request, chosen: Period) -> dict[str, Any]:
    result = (await figures(request, chosen.first, chosen.last)).to_dict()
    # `end` is the midnight after the last day: say the last day itself too
    span = {
        "days": chosen.days,
        "label": chosen.label,
        "first_day": chosen.first.isoformat(),
        "last_day": chosen.last.isoformat(),
    }
    return {**result, **span, "backlog": await backlog(request)}


@page(Role.ADMIN, Role.DISPATCHER)
async def dashboard_page(request: web.Request) -> web.Response:
    now = datetime.now(UTC)
    notice = ""
    try:
        chosen = period(request, now)
    except BadPeriod as bad:
        # a page may fall back, but says so and which range it shows instead
        chosen = Period(*last_days(DEFAULT_DAYS, now), days=DEFAULT_DAYS)
        notice = messages.DASHBOARD_FALLBACK.format(reason=bad.chinese, label=chosen.label)
    context = {
        "title": "统计分析",
        "period": chosen,
        "today": now.astimezone(BEIJING).date().isoformat(),
        "max_days": MAX_DAYS,
        "notice": notice,
        "periods": PERIODS,
        "d": await _data(request, chosen),
        "tables": {key: title for key, (title, _) in TABLES.items()},
    }
    return render("dashboard.html", request, context)


@page(Role.ADMIN, Role.DISPATCHER)
async def dashboard_json(request: web.Request) -> web.Response:
    try:
        chosen = period(request, datetime.now(UTC))
    except BadPeriod as bad:
        return web.json_response({"error": str(bad)}, status=400)
    return web.json_response(await _data(request, chosen))


@page(Role.ADMIN, Role.DISPATCHER)
async def dashboard_csv(request: web.Request) -> web.Response:
    table = request.query.get("table", "")
    if table not in TABLES:
        raise error_page(request, 400, messages.DASHBOARD_TABLE)
    try:
        chosen = period(request, datetime.now(UTC))
    except BadPeriod as bad:
        # a file of other days than asked for would be filed as the asked ones
        raise error_page(request, 400, bad.chinese) from None
    data = await _data(request, chosen)
    rows = {
        "daily": data["daily"],
        "category": data["by_category"],
        "department": data["by_department"],
        "district": data["by_district"],
        "topics": data["hot_topics"]["keywords"],
        "clusters": data["clusters"],
    }[table]
    _, columns = TABLES[table]
    name = f"{table}-{data['first_day']}-{data['last_day']}.csv"
    return csv_download(rows, columns, name, times=TIMES)


def add_routes(app: web.Application) -> None:
    app[dashboard_cache_key] = DashboardCache()
    app.router.add_get("/console/dashboard", dashboard_page)
    app.router.add_get("/console/dashboard.json", dashboard_json)
    app.router.add_get("/console/dashboard.csv", dashboard_csv)
