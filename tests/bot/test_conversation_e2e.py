"""Whole conversations through the real callback, checked in the store."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from bot.app import SANDBOX_PREFIX, hotline_key
from tests.bot.wechat import WeChatDriver, upload_image
from tests.conftest import start_embedded_process, start_server, stop_embedded_process


async def complaints_of(server, openid: str) -> list[dict]:
    return await server.app[hotline_key].db.complaints.list_for(openid, 10)


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
async def test_one_message_complaint_registers_in_three_more_turns(server, settings, safe):
    driver = WeChatDriver(server, settings, safe=safe)
    openid = f"o_one_{safe}"
    first = await driver.say(
        openid, "朝阳区望京西园三区12号楼门口的路灯坏了一个多星期，晚上特别黑，电话13812345678"
    )
    assert "城乡建设" in first.text
    turns = 0
    reply = first
    for answer in ("是", "没有", "确认"):
        reply = await driver.say(openid, answer)
        turns += 1
        if "工单编号" in reply.text:
            break
    assert turns <= 3
    [complaint] = await complaints_of(server, openid)
    assert complaint["no"] in reply.text
    assert complaint["category"] == "城乡建设"
    assert complaint["department"] == "zjw"
    assert complaint["location"]["district"] == "朝阳区"
    assert complaint["contact_phone"] == "13812345678"
    assert complaint["status"] == "submitted"
    assert complaint["history"][0]["action"] == "submit"


async def test_retried_confirmation_registers_once(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_confirm_retry"
    await driver.say(openid, "海淀区中关村大街27号门口井盖没了，很危险")
    for answer in ("是", "匿名", "没有"):
        await driver.say(openid, answer)
    msg_id = driver.sim.next_msg_id()
    replies = await asyncio.gather(*(driver.say(openid, "确认", msg_id) for _ in range(3)))
    assert len({r.text for r in replies}) == 1
    [complaint] = await complaints_of(server, openid)
    assert complaint["no"] in replies[0].text
    assert complaint["urgency"] == "danger"
    assert complaint["contact_phone"] == ""


async def test_photo_and_location_messages(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_photo"
    media_id = await upload_image(server, b"\xff\xd8fake-jpeg")
    s = driver.sim
    location = s.xml(
        openid, "location", Location_X="39.9219", Location_Y="116.4436", Scale="15",
        Label="北京市朝阳区工人体育场北路", MsgId=s.next_msg_id(),
    )  # fmt: skip
    assert "描述" in (await driver.post(location)).text
    reply = await driver.say(openid, "工体北路上有一辆共享单车倒在盲道上好几天了没人管")
    assert "属于" in reply.text
    await driver.say(openid, "3")  # 交通运输
    await driver.say(openid, "13900001111")
    image = s.xml(openid, "image", PicUrl="http://x", MediaId=media_id, MsgId=s.next_msg_id())
    assert "第 1 张" in (await driver.post(image)).text
    assert "请核对" in (await driver.say(openid, "好了")).text
    await driver.say(openid, "确认")
    [complaint] = await complaints_of(server, openid)
    assert complaint["category"] == "交通运输"
    assert complaint["location"]["lat"] == pytest.approx(39.9219)
    assert complaint["location"]["district"] == "朝阳区"
    photo = await server.app[hotline_key].db.photos.get(complaint["photos"][0])
    assert photo is not None and photo.content == b"\xff\xd8fake-jpeg"


async def test_status_query_and_my_complaints(server, settings):
    driver = WeChatDriver(server, settings)
    openid = "o_status"
    await driver.say(openid, "西城区广安门内大街10号楼下饭馆油烟太大，熏得没法开窗")
    for answer in ("是", "匿名", "没有", "确认"):
        last = await driver.say(openid, answer)
    [complaint] = await complaints_of(server, openid)
    status = await driver.say(openid, f"查一下 {complaint['no']}")
    assert "已登记" in status.text and complaint["no"] in status.text
    mine = await driver.post(driver.sim.event(openid, "CLICK", EventKey="MY_COMPLAINTS"))
    assert complaint["no"] in mine.text
    stranger = await driver.say("o_stranger", f"查询 {complaint['no']}")
    assert "没有找到" in stranger.text
    assert last.text


async def test_slow_reply_goes_out_as_a_push(settings, mongo_uri):
    """A dialog that passes the reply budget answers `success`, then pushes the reply."""
    from dataclasses import replace

    server = await start_server(replace(settings, reply_budget=0.3), mongo_uri)
    try:
        driver = WeChatDriver(server, settings)
        openid = "o_slow"
        await driver.say(openid, "东城区东四十条地铁站旁边的路面塌了一个坑，车过去很危险")
        media_id = await upload_image(server, b"jpeg")
        async with aiohttp.ClientSession() as http:
            fault = {"api": "media_get", "errcode": 0, "times": 1, "delay": 1.0}
            async with http.post(
                server.make_url(SANDBOX_PREFIX + "/_control/faults"), json=fault
            ) as response:
                assert response.status == 200
        s = driver.sim
        msg_id = s.next_msg_id()
        image = s.xml(openid, "image", PicUrl="http://x", MediaId=media_id, MsgId=msg_id)
        started = time.perf_counter()
        exchange = await driver.post(image)
        assert exchange.body == "success"
        assert time.perf_counter() - started < 1.0
        # WeChat's retry of the same message must not wait or double-push
        assert (await driver.post(image)).body == "success"
        pushed: list[dict] = []
        for _ in range(50):
            async with aiohttp.ClientSession() as http:
                async with http.get(
                    server.make_url(SANDBOX_PREFIX + "/_control/messages"),
                    params={"touser": openid},
                ) as response:
                    pushed = (await response.json())["messages"]
            if pushed:
                break
            await asyncio.sleep(0.1)
        assert len(pushed) == 1
        assert "照片" in pushed[0]["body"]["text"]["content"]
        await asyncio.sleep(0.5)
        outbox = await server.app[hotline_key].db.outbox.find(
            dedupe_key=f"late-reply:msg:{openid}:{msg_id}"
        )
        assert len(outbox) == 1 and outbox[0]["state"] == "sent"
    finally:
        await server.app[hotline_key].db.client.drop_database(settings.db_name)
        await server.close()


async def test_database_down_gives_busy_reply_and_not_ready(settings, tmp_path):
    process, uri = start_embedded_process(tmp_path / "db")
    server = await start_server(settings, uri)
    try:
        driver = WeChatDriver(server, settings)
        assert (await driver.say("o_down", "你好")).text
        stop_embedded_process(process)
        async with aiohttp.ClientSession() as http:
            async with http.get(server.make_url("/readyz")) as response:
                assert response.status == 503
                assert (await response.json())["checks"]["database"] is False
        started = time.perf_counter()
        reply = await driver.say("o_down", "朝阳区有个路灯坏了")
        assert reply.status == 200
        assert "系统繁忙" in reply.text
        assert time.perf_counter() - started < 4.5  # inside WeChat's 5 seconds
        async with aiohttp.ClientSession() as http:
            async with http.get(server.make_url("/healthz")) as response:
                assert response.status == 200
    finally:
        await server.close()
        if process.poll() is None:
            stop_embedded_process(process)


async def test_a_crashed_embedded_database_is_started_again(settings):
    # `make run` on one machine: no MongoDB URI, the app starts the embedded server
    server = await start_server(settings, "")
    hotline = server.app[hotline_key]
    try:
        driver = WeChatDriver(server, settings)
        assert "系统繁忙" not in (await driver.say("o_crash_db", "你好")).text
        assert hotline.embedded is not None and hotline.embedded.process is not None
        hotline.embedded.process.kill()  # the OOM killer, say
        await asyncio.to_thread(hotline.embedded.process.wait)
        deadline = time.monotonic() + 30
        async with aiohttp.ClientSession() as http:
            while True:
                async with http.get(server.make_url("/readyz")) as response:
                    if response.status == 200:
                        break
                assert time.monotonic() < deadline, "the database did not come back"
                await asyncio.sleep(0.5)
        reply = await driver.say("o_crash_db", "朝阳区望京西园三区门口的路灯坏了")
        assert "系统繁忙" not in reply.text and reply.text
        assert await hotline.db.sessions.load("o_crash_db") != (None, 0)
    finally:
        await server.close()
