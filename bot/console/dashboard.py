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
from bot.complaints import OPEN_STATES
from bot.console import messages
from bot.console.auth import page
from bot.console.layout import csv_download, error_page, render
from bot.statistics import Dashboard, calendar_days, dashboard, last_days
from models.accounts import Role
from store.complaints import BEIJING

PERIODS = {7: "近 7 天", 30: "近 30 天", 90: "近 90 天", 365: "近一年"}
DEFAULT_DAYS = 30
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


def _days(request: web.Request) -> int:
    try:
        days = int(request.query.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


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
    open_ = [s.value for s in OPEN_STATES]
    overdue = {**complaint, "status": {"$in": open_}, "due_at": {"$lt": now}}
    return {
        "at": now.astimezone(BEIJING).isoformat(),
        "overdue": await complaints.count(overdue),
        "queued": await complaints.count({**complaint, "status": "submitted"}),
        "queued_overdue": await complaints.count({**overdue, "status": "submitted"}),
    }


async def _data(request: web.Request, days: int) -> dict[str, Any]:
    first, last = last_days(days, datetime.now(UTC))
    result = (await figures(request, first, last)).to_dict()
    # `end` is the midnight after the last day: say the last day itself too
    period = {"days": days, "first_day": first.isoformat(), "last_day": last.isoformat()}
    return {**result, **period, "backlog": await backlog(request)}


@page(Role.ADMIN, Role.DISPATCHER)
async def dashboard_page(request: web.Request) -> web.Response:
    days = _days(request)
    context = {
        "title": "统计分析",
        "days": days,
        "periods": PERIODS,
        "d": await _data(request, days),
        "tables": {key: title for key, (title, _) in TABLES.items()},
    }
    return render("dashboard.html", request, context)


@page(Role.ADMIN, Role.DISPATCHER)
async def dashboard_json(request: web.Request) -> web.Response:
    return web.json_response(await _data(request, _days(request)))


@page(Role.ADMIN, Role.DISPATCHER)
async def dashboard_csv(request: web.Request) -> web.Response:
    table = request.query.get("table", "")
    if table not in TABLES:
        raise error_page(request, 400, messages.DASHBOARD_TABLE)
    days = _days(request)
    data = await _data(request, days)
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
