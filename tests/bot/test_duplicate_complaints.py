"""The same complaint sent again, through the real WeChat callback and store: the
summary names the open ticket before a second one is registered.

From a citizen-role review: the same garbage complaint twice a minute apart gave
tickets 20261129-0004 and -0005, both for 市生态环境局, with no word of the first.
(Test names carry "wechat" so the usual `-k` selection runs them.)
"""

from __future__ import annotations

from bot.app import hotline_key
from tests.bot.wechat import WeChatDriver

GARBAGE = "朝阳区望京西园三区垃圾站满了好几天没人清运，臭味很大"


async def to_summary(driver: WeChatDriver, openid: str, text: str) -> str:
    reply = await driver.say(openid, text)
    for answer in ("是", "匿名", "没有"):  # category, phone, photos
        if "请核对您的诉求" in reply.text:
            break
        reply = await driver.say(openid, answer)
    assert "请核对您的诉求" in reply.text, reply.text
    return reply.text


async def register(driver: WeChatDriver, openid: str, text: str = GARBAGE) -> str:
    summary = await to_summary(driver, openid, text)
    assert "已反映过" not in summary
    reply = await driver.say(openid, "确认")
    assert "工单编号" in reply.text, reply.text
    return reply.text.split("工单编号：")[1].split("\n")[0].strip()


async def complaints_of(server, openid: str) -> list[dict]:
    return await server.app[hotline_key].db.complaints.list_for(openid, 10)


async def test_wechat_same_text_again_names_the_first_ticket_and_confirm_still_registers(
    server, settings
):
    driver = WeChatDriver(server, settings)
    openid = "o_twice"
    first = await register(driver, openid)

    summary = await to_summary(driver, openid, GARBAGE)
    assert f"已反映过相同问题（工单 {first}，办理中）" in summary
    assert f"补充 {first} ＋内容" in summary
    # a genuinely new occurrence is the citizen's call: 确认 still registers
    reply = await driver.say(openid, "确认")
    assert "工单编号" in reply.text and first not in reply.text
    assert len(await complaints_of(server, openid)) == 2


async def test_wechat_supplement_goes_onto_the_first_ticket_instead_of_a_second(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_twice_supplement"
    first = await register(driver, openid)

    summary = await to_summary(
        driver, openid, "望京西园三区的垃圾站已经满了好几天，一直没人清运，臭味特别大"
    )
    assert f"工单 {first}" in summary
    reply = await driver.say(openid, f"补充 {first} 今天早上垃圾都堆到路边了")
    assert f"已将补充内容加入工单 {first}" in reply.text
    [complaint] = await complaints_of(server, openid)
    assert complaint["history"][-1]["action"] == "supplement"
    assert complaint["history"][-1]["reason"] == "今天早上垃圾都堆到路边了"


async def test_wechat_another_problem_at_the_same_place_is_not_named(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_twice_other"
    await register(driver, openid)
    summary = await to_summary(
        driver, openid, "朝阳区望京西园三区垃圾站旁边的路灯坏了好几天，晚上很黑"
    )
    assert "已反映过" not in summary
