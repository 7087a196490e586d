"""Public statistics carry aggregates only; /metrics reports what operators watch."""

from __future__ import annotations

import aiohttp

from models.accounts import Role
from tests.bot.staff import api, make_token
from tests.bot.wechat import WeChatDriver


async def test_public_stats_are_aggregates_without_personal_data(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_public_secret"
    await driver.say(openid, "朝阳区望京西园三区12号楼门口的路灯坏了一个月，电话13812345678")
    for answer in ("1", "没有", "确认"):
        await driver.say(openid, answer)
    admin = await make_token(server, "admin-p", Role.ADMIN)
    status, listing = await api(server, "GET", "/api/v1/complaints", admin)
    assert status == 200
    [complaint] = listing["complaints"]

    async with aiohttp.ClientSession() as http:
        async with http.get(server.make_url("/public/stats")) as response:
            assert response.status == 200
            page = await response.text()
        async with http.get(server.make_url("/public/stats.json")) as response:
            figures = await response.json()
    assert figures["total"] == 1
    *earlier, month = figures["months"]  # the last 12 months, this one last
    assert len(earlier) == 11 and all(m["total"] == 0 for m in earlier)
    assert month["by_category"] == {"城乡建设": 1} and month["by_district"] == {"朝阳区": 1}
    for secret in (openid, "13812345678", "望京西园", "路灯坏了", complaint["no"]):
        assert secret not in page and secret not in str(figures)
    assert "诉求办理情况" in page


async def test_metrics_report_messages_complaints_and_outbox(server, settings):
    driver = WeChatDriver(server, settings)
    await driver.say("o_metrics", "你好")
    async with aiohttp.ClientSession() as http:
        async with http.get(server.make_url("/metrics")) as response:
            text = await response.text()
    assert 'hotline_messages_total{type="text"} 1.0' in text
    assert 'hotline_complaints{status="submitted"} 0.0' in text
    assert "hotline_callback_seconds_bucket" in text
    assert "hotline_outbox_depth" in text


def test_public_reply_time_runs_from_registration_to_the_first_answer():
    from datetime import UTC, datetime, timedelta

    from bot.public_stats import _page, summarise

    created = datetime(2026, 11, 2, 1, tzinfo=UTC)
    answered = {
        "created_at": created,
        "category": "城乡建设",
        "location": {"district": "朝阳区"},
        "replies": [{"at": created + timedelta(hours=45)}, {"at": created + timedelta(days=9)}],
        "rating": {"satisfaction": "基本满意"},
    }
    waiting = {"created_at": created, "category": "环境保护", "replies": [], "rating": None}
    figures = summarise([answered, waiting], created + timedelta(days=10))
    assert figures["average_reply_hours"] == 45.0  # the first answer; the unanswered left out
    assert figures["satisfaction_rate"] == 1.0 and figures["rated"] == 1
    assert "从登记到部门首次答复平均\n45.0 小时" in _page(figures)


def test_the_public_months_are_the_last_twelve_calendar_months_with_empty_ones_as_zero():
    from datetime import UTC, datetime, timedelta

    from bot.public_stats import _page, summarise
    from store.complaints import BEIJING

    now = datetime(2026, 11, 29, 23, 35, tzinfo=BEIJING)

    def doc(created: datetime, satisfaction: str | None = None) -> dict:
        rating = {"satisfaction": satisfaction, "solved": None} if satisfaction else None
        return {"created_at": created.astimezone(UTC), "kind": "complaint",
                "category": "城乡建设", "location": {"district": "朝阳区"}, "replies": [],
                "rating": rating, "history": []}  # fmt: skip

    docs = [
        # 13 months back, inside the old 372-day window: not in the last 12 months
        doc(datetime(2025, 11, 20, 12, tzinfo=BEIJING), "不满意"),
        # the first hour of the first month, Beijing time (still November in UTC)
        doc(datetime(2025, 12, 1, 0, 30, tzinfo=BEIJING), "满意"),
        doc(datetime(2026, 11, 29, 10, tzinfo=BEIJING), "满意"),
    ]
    figures = summarise(docs, now)
    months = [m["month"] for m in figures["months"]]
    assert months == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    totals = {m["month"]: m["total"] for m in figures["months"]}
    assert totals["2025-12"] == 1 and totals["2026-11"] == 1 and totals["2026-05"] == 0
    assert figures["total"] == 2
    # the averages are over the same window: the November 2025 rating is not in them
    assert (figures["satisfaction_rate"], figures["rated"]) == (1.0, 2)
    assert (figures["first_day"], figures["last_day"]) == ("2025-12-01", "2026-11-29")
    page = _page(figures)
    assert "2025-12-01 至 2026-11-29" in page and "<td>2026-05</td><td>0</td>" in page
    assert "近一年" in page  # says how its window differs from the console's
    assert summarise([], now + timedelta(days=3))["months"][-1]["month"] == "2026-12"
