"""`/public/stats`: aggregate figures for information disclosure.

Only counts and averages leave this module: no text, no place below district,
no personal data. Figures are computed at most every `CACHE_FOR` and shared by
all requests of this instance.
"""

from __future__ import annotations

import html
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.app import hotline_of
from bot.statistics import DEFINITIONS, calendar_days, percent_text, rates
from store.complaints import BEIJING

CACHE_FOR = 600.0
MONTHS = 12


def months(now: datetime) -> list[date]:
    """The first days of the last `MONTHS` Beijing calendar months, the current one last."""
    today = now.astimezone(BEIJING).date()
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - MONTHS + 1, index + 1)]


def window(now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the public figures: from the first of the month `MONTHS - 1` months
    back, Beijing time, to the end of today (the current month so far)."""
    return calendar_days(months(now)[0], now.astimezone(BEIJING).date())


def summarise(docs: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """The table and the averages, all over the same `window`: the last `MONTHS` Beijing
    calendar months, the current one included so far; a month without complaints is 0."""
    start, end = window(now)
    shown = [first.strftime("%Y-%m") for first in months(now)]
    by_month: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_district: dict[str, Counter[str]] = defaultdict(Counter)
    inside = []
    for doc in docs:
        created = doc["created_at"]
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
        if not start <= created < end:
            continue
        inside.append(doc)
        month = created.astimezone(BEIJING).strftime("%Y-%m")
        by_month[month] += 1
        by_category[month][doc.get("category") or "未分类"] += 1
        by_district[month][(doc.get("location") or {}).get("district") or "未注明"] += 1
    # the console's definitions and computation, so that the two never disagree. Hours
    # are registration to the department's first answer: what a citizen waits for, the
    # dashboard's 答复用时 (not its 响应用时, which runs from dispatch to acceptance)
    figures = rates(inside, start, end, now=now)
    hours = figures.resolution_hours.mean
    satisfaction = figures.satisfaction_rate
    return {
        "generated_at": now.isoformat(),
        # the window of the table and of every average below (Beijing dates, inclusive)
        "first_day": start.astimezone(BEIJING).date().isoformat(),
        "last_day": (end - timedelta(days=1)).astimezone(BEIJING).date().isoformat(),
        "months": [
            {
                "month": month,
                "total": by_month[month],
                "by_category": dict(by_category[month].most_common()),
                "by_district": dict(by_district[month].most_common()),
            }
            for month in shown
        ],
        "average_reply_hours": None if hours is None else round(hours, 1),
        # the shown percentage as a fraction: rounded once, as on the console
        "satisfaction_rate": satisfaction.to_dict()["value"],
        "satisfied": satisfaction.numerator,
        "rated": satisfaction.denominator,
        "response_rate": figures.response_rate.to_dict(),
        "definitions": {"response_rate": DEFINITIONS["response"]},
        "total": len(inside),
    }


@dataclass(slots=True)
class PublicStats:
    """The cached figures of one instance."""

    figures: dict[str, Any] = field(default_factory=dict)
    computed_at: float = 0.0

    async def get(self, request: web.Request) -> dict[str, Any]:
        if not self.figures or time.monotonic() - self.computed_at > CACHE_FOR:
            db = hotline_of(request).db
            now = datetime.now(UTC)
            fields = {"created_at": 1, "category": 1, "location.district": 1, "replies.at": 1,
                      "rating.satisfaction": 1, "rating.solved": 1, "kind": 1, "round": 1,
                      "due_at": 1, "missed_due_at": 1, "history.action": 1, "history.at": 1,
                      "_id": 0}  # fmt: skip
            docs = await db.db.complaints.find(
                {"created_at": {"$gte": window(now)[0]}, "kind": "complaint"}, fields
            ).to_list()
            self.figures = summarise(docs, now)
            self.computed_at = time.monotonic()
        return self.figures


public_stats_key = web.AppKey("public_stats", PublicStats)


def _page(figures: dict[str, Any]) -> str:
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(m['month'])}</td><td>{m['total']}</td><td>"
        + "、".join(f"{esc(k)} {v}" for k, v in m["by_category"].items())
        + "</td><td>"
        + "、".join(f"{esc(k)} {v}" for k, v in m["by_district"].items())
        + "</td></tr>"
        for m in figures["months"]
    )
    hours = figures["average_reply_hours"]
    satisfied = percent_text(figures["satisfied"], figures["rated"])
    response = figures["response_rate"]
    responded = percent_text(response["numerator"], response["denominator"])
    responded += f"（{response['numerator']}/{response['denominator']} 件在时限内受理或答复）"
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>12345 热线诉求办理情况公开</title>
<style>body{{font-family:sans-serif;margin:1.5em;max-width:960px}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:.4em}}</style>
</head><body><h1>12345 热线诉求办理情况</h1>
<p>近 {MONTHS} 个月（{figures["first_day"]} 至 {figures["last_day"]}，北京时间；
本月统计到今天）共受理诉求 {figures["total"]} 件；从登记到部门首次答复平均
{"—" if hours is None else f"{hours} 小时"}；满意率
{satisfied}（{figures["rated"]} 件参与评价）；响应率
{responded}。</p>
<p><small>响应率：{esc(figures["definitions"]["response_rate"])}。</small></p>
<table><thead><tr><th>月份</th><th>诉求量</th><th>按类别</th><th>按区</th></tr></thead>
<tbody>{rows}</tbody></table>
<p>各项平均值与比例均按上述 {MONTHS} 个自然月统计；统计工作台的“近一年”是截至今天的
365 天，两者口径不同。数据每 10 分钟更新，仅含汇总数字，不含诉求内容和个人信息。
JSON：<a href="/public/stats.json">/public/stats.json</a></p>
</body></html>"""


async def stats_page(request: web.Request) -> web.Response:
    figures = await request.app[public_stats_key].get(request)
    return web.Response(text=_page(figures), content_type="text/html")


async def stats_json(request: web.Request) -> web.Response:
    return web.json_response(await request.app[public_stats_key].get(request))


def add_routes(app: web.Application) -> None:
    app[public_stats_key] = PublicStats()
    app.router.add_get("/public/stats", stats_page)
    app.router.add_get("/public/stats.json", stats_json)
