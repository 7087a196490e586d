"""A photo sent for a ticket already registered ends up on that ticket, where staff
can open it: the store side of the dialog's `add_photo` port, through the callback."""

from __future__ import annotations

import aiohttp

from bot.app import hotline_key
from models.accounts import Role
from tests.bot.staff import make_token
from tests.bot.wechat import WeChatDriver, upload_image


async def test_a_photo_sent_just_after_registering_is_attached_once(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_late_photo"
    await driver.say(openid, "东城区和平里北街5号楼门口的路灯坏了好几天了")
    for answer in ("是", "匿名", "没有"):
        await driver.say(openid, answer)
    registered = await driver.say(openid, "确认")
    db = server.app[hotline_key].db
    [doc] = await db.complaints.list_for(openid, 10)
    assert doc["no"] in registered.text and doc["photos"] == []

    media_id = await upload_image(server, b"\xff\xd8late-photo")
    s = driver.sim
    image = s.xml(openid, "image", PicUrl="http://x", MediaId=media_id, MsgId=s.next_msg_id())
    asked = await driver.post(image)
    assert doc["no"] in asked.text  # "这是补充到刚登记的工单 … 的吗？"
    msg_id = s.next_msg_id()
    first = await driver.say(openid, "是", msg_id)
    again = await driver.say(openid, "是", msg_id)  # WeChat's retry of the same message
    assert first.text == again.text

    [doc] = await db.complaints.list_for(openid, 10)
    assert len(doc["photos"]) == 1 and doc["status"] == "submitted"
    assert [e["action"] for e in doc["history"]].count("supplement") == 1
    # staff see it where they see the complaint's other photos
    token = await make_token(server, "disp-photo", Role.DISPATCHER)
    async with aiohttp.ClientSession() as http:
        async with http.get(
            server.make_url(f"/api/v1/photos/{doc['photos'][0]}"),
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            assert response.status == 200
            assert await response.read() == b"\xff\xd8late-photo"
