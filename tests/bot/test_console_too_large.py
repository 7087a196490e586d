"""A form too large for the server (a pasted document) gets a Chinese console page,
not aiohttp's English plain text; the answer box says how much fits before that."""

from __future__ import annotations

import html
import re

from bot.app import hotline_key
from bot.complaints import reply_excess
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register


async def test_an_oversized_form_gets_a_chinese_console_page(server):
    hotline = server.app[hotline_key]
    no = await register(server, "小区门口的路面塌了一个坑", openid="o_big")
    await hotline.complaints.dispatch(no, "zjw", "disp-big")
    await make_staff(server, "zj-big", Role.DEPARTMENT, "zjw")
    browser = Browser(server)
    try:
        await browser.login("zj-big")
        page = await browser.get(f"/console/complaints/{no}")
        # the answer box stops where no answer could fit, and says so as bytes
        box = re.search(r'<textarea name="text"[^>]*>', page.text)
        assert box
        budget = int(re.search(r'maxlength="(\d+)"', box.group(0)).group(1))
        assert f'data-max-bytes="{budget}"' in box.group(0) and "data-byte-counter" in page.text
        assert reply_excess("a" * budget, [], hotline.complaints.departments) == 0
        assert reply_excess("a" * (budget + 1), [], hotline.complaints.departments) == 1
        # a pasted document far over the server's body limit
        async with browser.http.post(
            server.make_url(f"/console/complaints/{no}/reply"),
            data={"csrf": browser.csrf, "text": "长" * 400_000},
        ) as response:
            status, kind, text = response.status, response.content_type, await response.text()
    finally:
        await browser.close()
    assert status == 413 and kind == "text/html"
    text = html.unescape(text)
    assert "提交的内容太长，没有保存" in text and "Maximum request body size" not in text
    assert "zj-big（承办部门" in text  # the console's own layout, signed in
    [doc] = await hotline.db.complaints.find({"no": no})
    assert doc["status"] == "dispatched"


async def test_the_api_keeps_its_own_answer_to_an_oversized_body(server):
    no = await register(server, "路灯不亮", openid="o_big_api")
    token = await make_token(server, "zj-big-api", Role.DEPARTMENT, "zjw")
    status, body = await api(
        server, "POST", f"/api/v1/complaints/{no}/reply", token, {"text": "长" * 400_000}
    )
    assert status == 413 and "提交的内容太长" not in str(body)
