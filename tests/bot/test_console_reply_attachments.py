"""The case page lists each answer's attachments: web addresses as links, anything
else (an old record, a hand-made one) as plain escaped text."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register


async def test_reply_attachments_are_listed_and_only_web_links_are_clickable(server):
    hotline = server.app[hotline_key]
    no = await register(server, "小区违建一直没拆", openid="o_att")
    await hotline.complaints.dispatch(no, "zjw", "disp-att")
    clerk = await make_token(server, "zj-att", Role.DEPARTMENT, "zjw")
    url = "https://zjw.beijing.gov.cn/notice/123.pdf?a=1&b=2"
    status, _ = await api(
        server, "POST", f"/api/v1/complaints/{no}/reply", clerk,
        {"text": "已责令拆除，详见整改通知书。", "attachments": [{"name": "整改通知书", "url": url}]},
    )  # fmt: skip
    assert status == 200
    # a record no check would pass today, as an old or imported one might hold
    [doc] = await hotline.db.complaints.find({"no": no})
    bad = {"round": 1, "text": "补充说明", "by": "zj-att", "at": datetime.now(UTC),
           "attachments": [{"name": "<b>现场照片</b>", "url": "javascript:alert(1)"}]}  # fmt: skip
    await hotline.db.complaints.set_fields(no, {"replies": [*doc["replies"], bad]})
    await make_staff(server, "disp-att", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("disp-att")
        page = await browser.get(f"/console/complaints/{no}")
    finally:
        await browser.close()
    assert page.status == 200
    escaped = url.replace("&", "&amp;")
    assert (
        f'<a href="{escaped}" target="_blank" rel="noopener noreferrer">整改通知书</a>' in page.text
    )
    assert "javascript:alert(1)" in page.text  # shown, so staff see what was recorded
    assert 'href="javascript:' not in page.text
    assert "<b>现场照片</b>" not in page.text and "&lt;b&gt;现场照片&lt;/b&gt;" in page.text
