"""The console in a real browser: Debian's Chromium driven by Playwright.

A department clerk logs in, finds a complaint, replies and sees the reply in the
history; an admin opens the dashboard and the charts are drawn with the
database's figures. Screenshots land in artifacts/screenshots/ for review.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright, expect

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import PASSWORD, make_staff
from tests.bot.staff import register
from tests.bot.test_console_dashboard import seed

CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# as root in a container, and with no network beyond the registries: no sandbox,
# no background connections that would only be refused
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture
async def chromium() -> Browser:
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium (make test and .ci/run do)"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        yield browser
        await browser.close()


async def login(browser: Browser, server, name: str):
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    await page.goto(str(server.make_url("/console/")))
    await expect(page.get_by_role("heading", name="工作台登录")).to_be_visible()
    await page.get_by_label("账号").fill(name)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_text(f"{name}（")).to_be_visible()
    return page, errors


async def test_clerk_finds_a_complaint_and_replies(server, chromium):
    numbers = await seed(server)
    await make_staff(server, "zjw-clerk", Role.DEPARTMENT, "zjw")
    page, errors = await login(chromium, server, "zjw-clerk")

    await page.get_by_label("搜索").fill("东门")
    await page.get_by_role("button", name="筛选").click()
    target = numbers[2]
    await expect(page.get_by_role("link", name=target)).to_be_visible()
    await expect(page.get_by_role("link", name=numbers[0])).to_have_count(0)
    await page.get_by_role("link", name=target).click()
    await expect(page.get_by_role("heading", name=f"诉求 {target}")).to_be_visible()
    await expect(page.get_by_text("138****5678")).to_be_visible()

    await page.get_by_role("button", name="受理").click()
    await expect(page.get_by_text("已受理。")).to_be_visible()
    await page.get_by_placeholder("办理结果").fill("路灯已于今日更换，感谢您的反映。")
    await page.get_by_role("button", name="提交答复").click()
    await expect(page.get_by_text("答复已提交")).to_be_visible()
    await expect(page.locator(".reply")).to_contain_text("路灯已于今日更换")
    history = page.locator("table.history")
    await expect(history).to_contain_text("答复")
    await expect(history).to_contain_text("zjw-clerk")
    await page.screenshot(path=SCREENSHOTS / "console-reply.png", full_page=True)
    doc = await server.app[hotline_key].db.complaints.get(target)
    assert doc["status"] == "replied" and doc["replies"][0]["by"] == "zjw-clerk"
    assert errors == []


async def test_dashboard_charts_render_with_data(server, chromium):
    await seed(server)
    await make_staff(server, "root", Role.ADMIN)
    page, errors = await login(chromium, server, "root")
    await expect(page.get_by_role("heading", name="统计分析")).to_be_visible()
    for chart in ("daily", "category", "department", "district", "hours", "topics"):
        await expect(page.locator(f"#chart-{chart} canvas")).to_have_count(1)
    drawn = await page.evaluate(
        """() => {
            const series = (id) => echarts.getInstanceByDom(document.getElementById(id))
                .getOption().series[0].data;
            return {
                daily: series("chart-daily").reduce((a, b) => a + b, 0),
                category: series("chart-category").map((d) => [d.name, d.value]),
                topics: series("chart-topics").length,
            };
        }"""
    )
    assert drawn["daily"] == 5
    assert sorted(drawn["category"]) == [["城乡建设", 4], ["环境保护", 1]]
    assert drawn["topics"] > 0
    await expect(page.locator("#clusters")).to_contain_text("朝阳区")
    await page.screenshot(path=SCREENSHOTS / "console-dashboard.png", full_page=True)
    assert errors == []


async def test_the_answer_box_counts_bytes_as_the_server_does(server, chromium):
    hotline = server.app[hotline_key]
    no = await register(server, "楼下商铺油烟很大", openid="o_counter")
    await hotline.complaints.dispatch(no, "zjw", "disp-counter")
    await make_staff(server, "zjw-counter", Role.DEPARTMENT, "zjw")
    page, errors = await login(chromium, server, "zjw-counter")
    await page.goto(str(server.make_url(f"/console/complaints/{no}")))
    counter = page.locator("[data-byte-counter]")
    await expect(counter).to_contain_text("还可写约")
    await page.get_by_placeholder("办理结果").fill("油" * 700)
    await expect(counter).to_contain_text("超出")
    await expect(counter).to_have_class(re.compile(r"\bover\b"))
    shown = re.search(r"删减约 (\d+) 个汉字", await counter.inner_text())
    assert shown
    # the server refuses the same text by the same count
    await page.get_by_role("button", name="提交答复").click()
    await expect(page.get_by_role("alert")).to_contain_text(f"请删减 {shown.group(1)} 个字")
    await expect(counter).to_contain_text(f"删减约 {shown.group(1)} 个汉字")
    # an attachment line takes room too
    await page.get_by_placeholder("办理结果").fill("油" * 10)
    before = await counter.inner_text()
    await page.get_by_label("附件链接").fill("整改通知书 https://zjw.example.cn/notice/1.pdf")
    await expect(counter).not_to_have_text(before)
    await page.screenshot(path=SCREENSHOTS / "console-reply-counter.png", full_page=True)
    # the refused answer's page itself comes with 400: no script error besides
    assert [e for e in errors if "status of 400" not in e] == []
