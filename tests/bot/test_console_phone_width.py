"""The console on a phone (390 px, an iPhone 12-15): a clerk on the way to a site reads
the work list as one card per case, a dispatcher dispatches from the queue, and no page
scrolls sideways. Real Chromium through Playwright, as in test_console_browser."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import PASSWORD, make_staff
from tests.bot.staff import register
from tests.bot.test_console_browser import SCREENSHOTS, chromium  # noqa: F401
from tests.bot.test_console_dashboard import seed

PHONE = {"width": 390, "height": 844}


async def login_on_phone(browser: Browser, server, name: str) -> tuple[Page, list[str]]:
    context = await browser.new_context(viewport=PHONE, locale="zh-CN")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(str(server.make_url("/console/")))
    await page.get_by_label("账号").fill(name)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_text(f"{name}（")).to_be_visible()
    return page, errors


async def sideways(page: Page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0: it fits)."""
    return await page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


async def label_before(page: Page, selector: str) -> str:
    return await page.evaluate(
        "(s) => getComputedStyle(document.querySelector(s), '::before').content", selector
    )


async def test_a_clerk_reads_the_work_list_as_cards_on_a_phone(server, chromium):  # noqa: F811
    numbers = await seed(server)
    await make_staff(server, "zjw-phone", Role.DEPARTMENT, "zjw")
    page, errors = await login_on_phone(chromium, server, "zjw-phone")

    assert await sideways(page) == 0
    # no header row: each case is a card whose lines say what they are
    await expect(page.locator("table.list thead")).to_be_hidden()
    description = page.locator("td.text").first
    await expect(description).to_be_visible()
    assert await label_before(page, "td.text") == '"诉求："'
    box = await description.bounding_box()
    assert box is not None and box["width"] > 300  # a line of text, not one character per line
    await page.screenshot(path=SCREENSHOTS / "console-phone-list.png", full_page=True)

    await page.get_by_role("link", name=numbers[2]).click()
    await expect(page.get_by_role("heading", name=f"诉求 {numbers[2]}")).to_be_visible()
    assert await sideways(page) == 0
    assert errors == []


async def test_a_dispatcher_dispatches_from_the_queue_on_a_phone(server, chromium):  # noqa: F811
    no = await register(server, "小区门口的路灯坏了一个星期", openid="o_phone_q")
    await make_staff(server, "disp-phone", Role.DISPATCHER)
    page, errors = await login_on_phone(chromium, server, "disp-phone")
    await page.goto(str(server.make_url("/console/queue")))
    assert await sideways(page) == 0
    await page.get_by_label(f"{no} 派往部门").select_option("zjw")
    dispatch = page.get_by_role("button", name=f"派单 {no}")
    await expect(dispatch).to_be_in_viewport()
    await dispatch.click()
    await expect(page.get_by_role("status")).to_have_text("已派单。")
    doc = await server.app[hotline_key].db.complaints.get(no)
    assert doc["department"] == "zjw"
    assert errors == []


async def test_the_dashboard_fits_a_phone(server, chromium):  # noqa: F811
    await seed(server)
    await make_staff(server, "root-phone", Role.ADMIN)
    page, errors = await login_on_phone(chromium, server, "root-phone")
    await expect(page.get_by_role("heading", name="统计分析")).to_be_visible()
    await expect(page.locator("#chart-daily canvas")).to_have_count(1)
    assert await sideways(page) == 0
    chart = await page.locator("#chart-daily").bounding_box()
    assert chart is not None and chart["width"] <= PHONE["width"]
    assert errors == []
