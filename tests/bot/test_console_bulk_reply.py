"""One shared answer (统一答复) for several cases at once: when some of them cannot take
it (answered meanwhile, handed back, another department's), the result page says which
and why, and gives the shared text back in an editable form, ready to copy or send
again to the cases it did not reach."""

from __future__ import annotations

import html
import re

from bot.app import hotline_key
from models.accounts import Role
from models.complaint import ComplaintStatus
from tests.bot.console import Browser, Page, make_staff
from tests.bot.staff import register

SHARED = "经我委核查，望京西园三区的路灯已于本周更换 <共 12 盏> & 已复查，夜间照明恢复“正常”。"
RESULT = re.compile(r">(\d{8}-\d{4})</a></td><td>([^<]*)</td>")


def retry_form(page: Page) -> dict[str, object]:
    """The result page's resubmission form: its fields, as a browser would send them."""
    [form] = re.findall(r'<form method="post" action="/console/bulk">(.*?)</form>', page.text,
                        re.S)  # fmt: skip
    [text] = re.findall(r'<textarea name="text"[^>]*>(.*?)</textarea>', form, re.S)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    ticked = re.findall(r'<input type="checkbox" name="no" value="([^"]+)" checked>', form)
    return {**hidden, "no": ticked, "text": html.unescape(text)}


async def _post(browser: Browser, fields: dict[str, object]) -> Page:
    data = [(key, value) for key, values in fields.items()
            for value in (values if isinstance(values, list) else [values])]  # fmt: skip
    async with browser.http.post(browser.server.make_url("/console/bulk"), data=data) as r:
        return Page(r.status, str(r.url), await r.text())


async def test_a_partly_failed_shared_answer_keeps_the_text_and_names_the_failures(server):
    service = server.app[hotline_key].complaints
    fine, answered, handed_back, elsewhere = [
        await register(server, f"望京西园三区{what}的路灯不亮", openid=f"o_bulk_{n}")
        for n, what in enumerate(("东门", "西门", "南门", "北门"))
    ]
    for no in (fine, answered, handed_back):
        await service.dispatch(no, "zjw", "disp")
    await service.dispatch(elsewhere, "sthjj", "disp")
    await service.reply(answered, "路灯已修好，感谢您的反映。", "zj-colleague")
    await service.accept(handed_back, "zj-colleague")
    await service.transfer(handed_back, "属于区城管执法局职责", "zj-colleague")
    await make_staff(server, "zj-bulk", Role.DEPARTMENT, "zjw")
    clerk = Browser(server)
    try:
        await clerk.login("zj-bulk")
        await clerk.get("/console/complaints")
        page = await _post(clerk, {"csrf": clerk.csrf, "action": "reply", "text": SHARED,
                                   "no": [fine, answered, handed_back, elsewhere]})  # fmt: skip
        assert page.status == 207
        results = dict(RESULT.findall(page.text))
        assert results[fine] == "答复已提交，将推送给市民。"
        failed = [answered, handed_back, elsewhere]
        assert all(results[no] and results[no] != results[fine] for no in failed), results
        assert "zj-colleague" in results[answered] and "不能重复答复" in results[answered]

        form = retry_form(page)
        assert form == {"csrf": clerk.csrf, "action": "reply", "no": failed, "text": SHARED}
        assert "未成功的 3 件" in page.text

        # sent again from the page as it is (one more case it cannot reach): refused per
        # case as before, nothing sent twice, and the text is still there
        again = await _post(clerk, form)
        assert again.status == 207 and retry_form(again)["text"] == SHARED
    finally:
        await clerk.close()
    assert (await service.get(fine)).status is ComplaintStatus.REPLIED
    assert [r["text"] for r in (await service.get(answered)).replies] == [
        "路灯已修好，感谢您的反映。"
    ]


async def test_a_shared_answer_refused_for_all_can_be_corrected_and_sent_from_the_result(server):
    service = server.app[hotline_key].complaints
    numbers = [await register(server, f"望京西园三区{n}号楼门口的路灯不亮", openid=f"o_long_{n}")
               for n in range(2)]  # fmt: skip
    for no in numbers:
        await service.dispatch(no, "zjw", "disp")
    await make_staff(server, "zj-long", Role.DEPARTMENT, "zjw")
    long_answer = "经我委核查，路灯线路老化，已安排更换并复查。" * 60  # too long for WeChat
    clerk = Browser(server)
    try:
        await clerk.login("zj-long")
        await clerk.get("/console/complaints")
        page = await _post(clerk, {"csrf": clerk.csrf, "action": "reply", "text": long_answer,
                                   "no": numbers})  # fmt: skip
        assert page.status == 207
        assert all("答复太长" in why for _, why in RESULT.findall(page.text))
        form = retry_form(page)
        assert form["text"] == long_answer and form["no"] == numbers
        shortened = {**form, "text": str(form["text"])[:200]}
        page = await _post(clerk, shortened)
        assert page.status == 200, page.text
        assert "<textarea" not in page.text  # all answered: nothing to keep
    finally:
        await clerk.close()
    for no in numbers:
        assert (await service.get(no)).status is ComplaintStatus.REPLIED


async def test_a_shared_answer_with_no_case_chosen_is_kept_to_copy(server):
    await make_staff(server, "zj-none", Role.DEPARTMENT, "zjw")
    clerk = Browser(server)
    try:
        await clerk.login("zj-none")
        await clerk.get("/console/complaints")
        page = await _post(clerk, {"csrf": clerk.csrf, "action": "reply", "text": SHARED})
        assert page.status == 400 and "没有选中任何诉求" in page.text
        form = retry_form(page)
        assert form["text"] == SHARED and form["no"] == []
    finally:
        await clerk.close()
