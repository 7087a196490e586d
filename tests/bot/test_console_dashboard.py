"""The dashboard shows figures computed from the real database: a complaint's
whole life through the service, then the page, its JSON and its CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, time, timedelta

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import Location, Rating, Satisfaction
from store.complaints import BEIJING
from tests.bot.console import Browser, make_staff
from tests.bot.staff import pushes, wait_for_push


async def seed(server) -> list[str]:
    """Four street-light complaints at one compound (a cluster), one noise complaint;
    two replied and rated: one satisfied, one not (reopened)."""
    service = server.app[hotline_key].complaints
    numbers = []
    texts = [
        "望京西园三区12号楼门口路灯坏了一个多星期，晚上很黑",
        "望京西园三区路灯不亮，老人晚上出门不安全",
        "望京西园三区东门路灯坏了好几天",
        "望京西园三区的路灯又坏了，请尽快修",
    ]
    for i, text in enumerate(texts):
        c = await service.register(
            source_key=f"seed:{i}", openid=f"o_{i}", description=text,
            location=Location("朝阳区望京西园三区", "朝阳区"), category="城乡建设",
            category_confidence=0.9, contact_phone="13812345678",
        )  # fmt: skip
        numbers.append(c.no)
    noise = await service.register(
        source_key="seed:noise", openid="o_noise", description="海淀区学院路工地夜间施工噪音扰民",
        location=Location("海淀区学院路", "海淀区"), category="环境保护", category_confidence=0.9,
    )  # fmt: skip
    numbers.append(noise.no)
    for no, openid, rating in ((numbers[0], "o_0", Rating(Satisfaction.SATISFIED, True)),
                               (numbers[1], "o_1", Rating(Satisfaction.UNSATISFIED, False))):  # fmt: skip
        await service.accept(no, "zjw-1")
        await service.reply(no, "已安排维修。", "zjw-1", [])
        await service.rate(no, openid, rating)
    return numbers


async def test_dashboard_figures_come_from_the_database(server):
    numbers = await seed(server)
    await make_staff(server, "root", Role.ADMIN)
    await make_staff(server, "zz", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("root")
        page = await browser.get("/console/dashboard?days=7")
        assert page.status == 200 and "集中诉求" in page.text
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            figures = await r.json()
        assert figures["total"] == 5
        assert sum(day["count"] for day in figures["daily"]) == 5
        assert {c["name"]: c["value"] for c in figures["by_category"]} == {
            "城乡建设": 4,
            "环境保护": 1,
        }
        assert {c["name"]: c["value"] for c in figures["by_district"]} == {"朝阳区": 4, "海淀区": 1}
        rates = figures["rates"]
        assert (rates["satisfied"]["numerator"], rates["satisfied"]["denominator"]) == (1, 2)
        assert (rates["solved"]["numerator"], rates["solved"]["denominator"]) == (1, 2)
        assert (rates["reopened"]["numerator"], rates["reopened"]["denominator"]) == (1, 2)
        # all five were auto-dispatched; the three unanswered are not yet due: not judged
        assert rates["response"]["denominator"] == 2
        assert rates["response"]["numerator"] == 2  # two answered, both in time
        assert figures["response_hours"]["count"] == 2
        [cluster] = figures["clusters"]
        assert sorted(cluster["numbers"]) == sorted(numbers[:4]) and cluster["district"] == "朝阳区"
        assert "路灯" in [k["word"] for k in figures["hot_topics"]["keywords"]]
        # the numbers on the page are the same ones
        assert "1/2 件满意或基本满意" in page.text
        async with browser.http.get(
            server.make_url("/console/dashboard.csv?days=7&table=district")
        ) as r:
            rows = list(csv.reader(io.StringIO((await r.read()).decode("utf-8-sig"))))
        assert rows == [["区", "诉求量"], ["朝阳区", "4"], ["海淀区", "1"]]
        async with browser.http.get(server.make_url("/console/dashboard.csv?table=nope")) as r:
            assert r.status == 400
    finally:
        await browser.close()
    clerk = Browser(server)
    try:
        await clerk.login("zz")
        assert (await clerk.get("/console/dashboard")).status == 403
        async with clerk.http.get(server.make_url("/console/dashboard.json")) as r:
            assert r.status == 403
    finally:
        await clerk.close()


async def test_a_cluster_is_answered_in_one_action(server):
    numbers = await seed(server)
    await make_staff(server, "root", Role.ADMIN)
    await make_staff(server, "zz", Role.DEPARTMENT, "zjw")
    admin = Browser(server)
    try:
        await admin.login("root")
        page = await admin.get("/console/dashboard?days=7")
        link = f"/console/complaints?nos={','.join(sorted(numbers[:4]))}"
        assert link.replace(",", "%2C") in page.text or link in page.text
        listing = await admin.get(link)
        assert all(no in listing.text for no in numbers[:4]) and numbers[4] not in listing.text
    finally:
        await admin.close()
    clerk = Browser(server)
    try:
        await clerk.login("zz")
        await clerk.get("/console/complaints")
        # numbers[0] was answered already: refused with a reason, the others answered once
        chosen = [numbers[0], numbers[2], numbers[3], numbers[3]]
        async with clerk.http.post(server.make_url("/console/bulk"), data=[
            ("csrf", clerk.csrf), ("action", "reply"), ("text", "已统一更换该小区路灯。"),
            *[("no", no) for no in chosen]]) as response:  # fmt: skip
            assert response.status == 207
            text = await response.text()
        assert text.count("答复已提交") == 2
        # who closed it and when, as every conflict says
        assert re.search(r"这件诉求已经办结（\S+ 于 [\d :-]+ 办结），现在不能答复", text), text
    finally:
        await clerk.close()
    db = server.app[hotline_key].db
    for no in numbers[2:4]:
        doc = await db.complaints.get(no)
        assert [r["text"] for r in doc["replies"]] == ["已统一更换该小区路灯。"]
    await wait_for_push(server, "o_2", "已统一更换该小区路灯")
    await wait_for_push(server, "o_3", "已统一更换该小区路灯")
    assert sum("已统一更换" in t for t in await pushes(server, "o_3")) == 1


def figures_table(html: str, name: str) -> list[tuple[str, str]]:
    """The rows of a chart's data table, as a browser without JavaScript shows them."""
    match = re.search(rf'<details class="figures" id="table-{name}">(.*?)</details>', html, re.S)
    assert match, f"no data table for the {name} chart"
    return re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", match.group(1))


async def test_every_chart_figure_is_readable_without_javascript(server):
    await seed(server)
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root")
        page = await browser.get("/console/dashboard?days=7")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            figures = await r.json()
    finally:
        await browser.close()
    # what remains with scripts off: the page without its <script> elements
    html = re.sub(r"<script\b.*?</script>", "", page.text, flags=re.S)
    daily = figures_table(html, "daily")
    assert daily == [(day["date"], str(day["count"])) for day in figures["daily"]]
    assert sum(int(count) for _, count in daily) == 5
    assert figures_table(html, "category") == [("城乡建设", "4"), ("环境保护", "1")]
    assert figures_table(html, "department") == [("市住房城乡建设委", "4"), ("市生态环境局", "1")]
    assert figures_table(html, "district") == [("朝阳区", "4"), ("海淀区", "1")]


async def test_cluster_csv_times_are_beijing_time(server):
    numbers = await seed(server)
    first = (await server.app[hotline_key].complaints.get(numbers[0])).created_at
    last = (await server.app[hotline_key].complaints.get(numbers[3])).created_at
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root")
        url = server.make_url("/console/dashboard.csv?days=7&table=clusters")
        async with browser.http.get(url) as response:
            rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    finally:
        await browser.close()
    header, [cluster] = rows[0], rows[1:]

    def beijing(moment):
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")

    assert cluster[header.index("最早")] == beijing(first)
    assert cluster[header.index("最晚")] == beijing(last)


async def test_a_complaint_waiting_for_dispatch_counts_under_no_department(server):
    service = server.app[hotline_key].complaints
    queued = await service.register(
        source_key="seed:queued", openid="o_q", description="公交站牌被撞坏了没人管",
        location=Location("海淀区学院路", "海淀区"), category="交通运输", category_confidence=0.3,
    )  # fmt: skip
    assert queued.status.value == "submitted" and queued.department  # the model's suggestion
    await make_staff(server, "root-q", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-q")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            figures = await r.json()
    finally:
        await browser.close()
    assert {c["name"]: c["value"] for c in figures["by_department"]} == {"未派单": 1}


async def test_an_unsatisfied_citizen_counts_against_the_solved_rate(server):
    """ "3"/不满意 reopens the case and stores no `solved`: the case was not solved."""
    service = server.app[hotline_key].complaints
    numbers = []
    for i, satisfaction in enumerate((Satisfaction.SATISFIED, Satisfaction.UNSATISFIED)):
        c = await service.register(
            source_key=f"solved:{i}", openid=f"o_s{i}", description="小区门口路灯不亮",
            location=Location("朝阳区望京西园三区", "朝阳区"), category="城乡建设",
            category_confidence=0.9,
        )  # fmt: skip
        await service.accept(c.no, "zjw-1")
        await service.reply(c.no, "已安排维修。", "zjw-1", [])
        await service.rate(c.no, f"o_s{i}", Rating(satisfaction))
        numbers.append(c.no)
    await service.record_solved(numbers[0], "o_s0", 1, True)
    assert (await service.get(numbers[1])).rating.solved is None  # as the dialog stores it
    await make_staff(server, "root-s", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-s")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            solved = (await r.json())["rates"]["solved"]
        page = await browser.get("/console/dashboard?days=7")
    finally:
        await browser.close()
    assert (solved["numerator"], solved["denominator"]) == (1, 2)
    assert "1/2 件已解决" in page.text


async def test_the_response_rate_says_that_acceptance_counts_as_a_response(server):
    """接诉即办's 响应率 is timely 受理 or answer: an accepted, unanswered case counts, and
    the console, its JSON and the public page all say so in the same words."""
    service = server.app[hotline_key].complaints
    c = await service.register(
        source_key="resp:0", openid="o_r0", description="小区门口路灯不亮",
        location=Location("朝阳区望京西园三区", "朝阳区"), category="城乡建设",
        category_confidence=0.9,
    )  # fmt: skip
    await service.accept(c.no, "zjw-1")  # accepted only, not answered
    await make_staff(server, "root-r", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-r")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            figures = await r.json()
        page = await browser.get("/console/dashboard?days=7")
        async with browser.http.get(server.make_url("/public/stats.json")) as r:
            public = await r.json()
        public_page = await browser.get("/public/stats")
    finally:
        await browser.close()
    response = figures["rates"]["response"]
    assert (response["numerator"], response["denominator"]) == (1, 1)
    definition = figures["definitions"]["response"]
    assert "受理或答复" in definition and "时限内" in definition
    assert f'title="{definition}">响应率' in page.text
    assert "1/1 件在时限内受理或答复" in page.text
    assert "在办理时限内答复的比例" not in page.text
    assert public["definitions"]["response_rate"] == definition
    assert public["response_rate"]["numerator"] == 1
    assert definition in public_page.text and "件在时限内受理或答复" in public_page.text


async def test_a_complaint_overdue_in_the_dispatch_queue_lowers_the_response_rate(server):
    """Registered, never dispatched, its limit passed: not responded within the limit,
    and the dashboard says how many are overdue now and how many wait for dispatch."""
    service = server.app[hotline_key].complaints
    db = server.app[hotline_key].db
    queued = await service.register(
        source_key="late:queued", openid="o_lq", description="公交站牌被撞坏了没人管",
        location=Location("海淀区学院路", "海淀区"), category="交通运输", category_confidence=0.3,
    )  # fmt: skip
    fresh = await service.register(
        source_key="late:fresh", openid="o_lf", description="公交站牌歪了",
        location=Location("海淀区学院路", "海淀区"), category="交通运输", category_confidence=0.3,
    )  # fmt: skip
    assert queued.status.value == fresh.status.value == "submitted"
    doc = await db.complaints.get(queued.no)
    back = timedelta(days=8)
    history = [{**e, "at": e["at"] - back} for e in doc["history"]]
    await db.complaints.set_fields(queued.no, {"created_at": doc["created_at"] - back,
                                               "due_at": doc["due_at"] - back, "history": history})  # fmt: skip
    await make_staff(server, "root-l", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-l")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=30")) as r:
            figures = await r.json()
        page = await browser.get("/console/dashboard?days=30")
    finally:
        await browser.close()
    response = figures["rates"]["response"]
    assert (response["numerator"], response["denominator"]) == (0, 1)
    backlog = figures["backlog"]
    assert (backlog["overdue"], backlog["queued"], backlog["queued_overdue"]) == (1, 2, 1)
    assert re.search(r'id="kpi-overdue">.*?>1</a></b><small>件，其中未派单 1 件', page.text)
    assert re.search(r'id="kpi-queued">.*?>2</a></b>', page.text)


async def test_near_seven_days_are_seven_whole_beijing_days(server):
    """近 7 天 is today and the six days before, from Beijing midnight: seven bars, the
    first one whole, in the page, its JSON and the daily CSV."""
    service = server.app[hotline_key].complaints
    db = server.app[hotline_key].db
    today = datetime.now(BEIJING).date()
    first = today - timedelta(days=6)
    moments = {
        "first-morning": datetime.combine(first, time(0, 0, 1), tzinfo=BEIJING),
        "day-before": datetime.combine(first, time(), tzinfo=BEIJING) - timedelta(seconds=1),
    }
    for key, moment in moments.items():
        c = await service.register(
            source_key=f"days:{key}", openid=f"o_{key}", description="小区门口路灯不亮",
            location=Location("朝阳区望京西园三区", "朝阳区"), category="城乡建设",
            category_confidence=0.9,
        )  # fmt: skip
        await db.complaints.set_fields(c.no, {"created_at": moment.astimezone(UTC)})
    await make_staff(server, "root-d", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-d")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            figures = await r.json()
        page = await browser.get("/console/dashboard?days=7")
        url = server.make_url("/console/dashboard.csv?days=7&table=daily")
        async with browser.http.get(url) as r:
            rows = list(csv.reader(io.StringIO((await r.read()).decode("utf-8-sig"))))
    finally:
        await browser.close()
    dates = [(first + timedelta(days=i)).isoformat() for i in range(7)]
    assert [d["date"] for d in figures["daily"]] == dates
    assert figures["daily"][0]["count"] == 1 and figures["total"] == 1
    assert (figures["first_day"], figures["last_day"]) == (dates[0], dates[-1])
    assert f"{dates[0]} 至 {dates[-1]}" in page.text
    assert [row[0] for row in rows[1:]] == dates and rows[1][1] == "1"


async def test_a_bad_period_is_refused_on_json_and_named_on_the_page(server):
    """days=1, days=abc or a half-given start/end used to answer 30 days with 200."""
    await make_staff(server, "root-p", Role.ADMIN)
    today = datetime.now(BEIJING).date()
    browser = Browser(server)
    try:
        await browser.login("root-p")
        bad = ["days=1", "days=abc", "days=", "days=７", f"start={today}", "start=2026-1-1&end=2026-01-02",
               f"start={today}&end={today - timedelta(days=1)}",
               f"start={today - timedelta(days=366)}&end={today}",
               f"start={today}&end={today + timedelta(days=1)}",
               f"days=7&start={today}&end={today}"]  # fmt: skip
        for query in bad:
            async with browser.http.get(server.make_url(f"/console/dashboard.json?{query}")) as r:
                assert r.status == 400, query
                assert (await r.json())["error"], query
            url = server.make_url(f"/console/dashboard.csv?table=daily&{query}")
            async with browser.http.get(url) as r:
                assert r.status == 400, query
            page = await browser.get(f"/console/dashboard?{query}")
            assert "时间范围无效" in page.text and "下面显示的是近 30 天" in page.text, query
        first = today - timedelta(days=365)
        page = await browser.get("/console/dashboard?days=1")
        assert re.search(r'id="period">近 30 天：\S+ 至 ' + today.isoformat(), page.text)
        # a custom range: Beijing dates, both included, at most 366 days
        query = f"start={first}&end={today}"
        async with browser.http.get(server.make_url(f"/console/dashboard.json?{query}")) as r:
            assert r.status == 200
            figures = await r.json()
        assert len(figures["daily"]) == 366 and figures["days"] is None
        assert (figures["first_day"], figures["last_day"]) == (first.isoformat(), today.isoformat())
        start = today - timedelta(days=3)
        page = await browser.get(f"/console/dashboard?start={start}&end={start}")
        assert f"自定义：{start} 至 {start}（北京时间，共 1 天）" in page.text
        links = re.findall(r'href="(/console/dashboard\.csv\?[^"]+)"', page.text)
        assert links and all(
            link.replace("&amp;", "&").startswith(
                f"/console/dashboard.csv?start={start}&end={start}&"
            )
            for link in links
        )
        async with browser.http.get(server.make_url("/console/dashboard.json")) as r:
            assert r.status == 200 and len((await r.json())["daily"]) == 30
    finally:
        await browser.close()


async def test_a_rate_reads_the_same_on_the_console_and_the_public_page(server):
    """15 satisfied of 19: 78.9 % everywhere (the console showed 79.0 % through 0.7895)."""
    from tests.bot.test_statistics import complaint as stored

    now = datetime.now(UTC) - timedelta(hours=1)
    docs = [
        # closed, rated: nothing for the time-limit job to look at
        stored(f"r{i}", now, source_key=f"r{i}", status="closed", due_at=now + timedelta(days=7),
               rating={"satisfaction": "满意" if i < 15 else "不满意", "solved": True,
                       "comment": "", "round": 1})
        for i in range(19)
    ]  # fmt: skip
    await server.app[hotline_key].db.db.complaints.insert_many(docs)
    await make_staff(server, "root-8", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-8")
        page = await browser.get("/console/dashboard?days=7")
        async with browser.http.get(server.make_url("/console/dashboard.json?days=7")) as r:
            satisfied = (await r.json())["rates"]["satisfied"]
        public_page = await browser.get("/public/stats")
        async with browser.http.get(server.make_url("/public/stats.json")) as r:
            public = await r.json()
    finally:
        await browser.close()
    assert (satisfied["numerator"], satisfied["denominator"]) == (15, 19)
    assert (satisfied["value"], satisfied["percent"]) == (0.789, 78.9)
    assert re.search(r'id="kpi-satisfied">.*?<b>78\.9%</b>', page.text)
    assert public["satisfaction_rate"] == 0.789 and "满意率\n78.9%" in public_page.text
    assert "79.0%" not in page.text and "79.0%" not in public_page.text
