"""The WeChat callback over real HTTP: every message and event type in plain
and safe mode, signatures, the published crypto test vector, hostile input,
and idempotent retries."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import hotline_key
from bot.config import load_settings
from bot.wechat_sim import signature
from tests.bot.wechat import WeChatDriver
from tests.conftest import start_server


def message_bodies(driver: WeChatDriver, openid: str) -> dict[str, str]:
    s = driver.sim
    return {
        "text": s.text(openid, "你好"),
        "image": s.xml(
            openid, "image", PicUrl="http://x/1.jpg", MediaId="m1", MsgId=s.next_msg_id()
        ),
        "voice_recognised": s.xml(
            openid, "voice", MediaId="v1", Format="amr", Recognition="你好", MsgId=s.next_msg_id()
        ),
        "voice_plain": s.xml(openid, "voice", MediaId="v2", Format="amr", MsgId=s.next_msg_id()),
        "video": s.xml(openid, "video", MediaId="v3", ThumbMediaId="t", MsgId=s.next_msg_id()),
        "shortvideo": s.xml(
            openid, "shortvideo", MediaId="v4", ThumbMediaId="t", MsgId=s.next_msg_id()
        ),
        "location": s.xml(
            openid,
            "location",
            Location_X="39.9219",
            Location_Y="116.4436",
            Scale="15",
            Label="北京市朝阳区工体北路",
            MsgId=s.next_msg_id(),
        ),
        "link": s.xml(
            openid, "link", Title="一篇文章", Description="d", Url="http://x", MsgId=s.next_msg_id()
        ),
        "subscribe": s.event(openid, "subscribe", create_time=1_700_000_001),
        "subscribe_qrscene": s.event(
            openid, "subscribe", create_time=1_700_000_002, EventKey="qrscene_chaoyang", Ticket="t"
        ),
        "scan": s.event(openid, "SCAN", create_time=1_700_000_003, EventKey="chaoyang", Ticket="t"),
        "location_event": s.event(
            openid,
            "LOCATION",
            create_time=1_700_000_004,
            Latitude="39.9",
            Longitude="116.4",
            Precision="30",
        ),
        "click": s.event(openid, "CLICK", create_time=1_700_000_005, EventKey="CONSULT"),
        "view": s.event(openid, "VIEW", create_time=1_700_000_006, EventKey="http://x"),
        "template_finish": s.event(
            openid, "TEMPLATESENDJOBFINISH", create_time=1_700_000_007, MsgID="1", Status="success"
        ),
        "unknown_message": s.xml(openid, "miniprogrampage", Title="x", MsgId=s.next_msg_id()),
        "unknown_event": s.event(openid, "kf_create_session", create_time=1_700_000_008),
        "unsubscribe": s.event(openid, "unsubscribe", create_time=1_700_000_009),
    }


# Events whose only right answer is silence ("success").
SILENT = {"unsubscribe", "location_event", "view", "template_finish"}


@pytest.mark.parametrize("safe", [False, True], ids=["plain", "safe"])
async def test_every_message_and_event_type(server: TestServer, settings, safe: bool):
    driver = WeChatDriver(server, settings, safe=safe)
    for name, body in message_bodies(driver, f"o_types_{safe}").items():
        exchange = await driver.post(body)
        assert exchange.status == 200, (name, exchange.body)
        if name in SILENT:
            assert exchange.body == "success", name
        else:
            assert exchange.text, f"{name} got no reply"
            if safe:
                assert "<Encrypt>" in exchange.body, name
    async with aiohttp.ClientSession() as http:
        async with http.get(server.make_url("/metrics")) as response:
            assert 'hotline_messages_total{type="voice"}' in await response.text()


async def test_voice_without_recognition_asks_to_type(server, settings):
    driver = WeChatDriver(server, settings)
    bodies = message_bodies(driver, "o_voice")
    exchange = await driver.post(bodies["voice_plain"])
    assert "文字" in exchange.text


async def test_get_verification(server: TestServer, settings):
    timestamp, nonce = str(int(time.time())), "abc"
    good = signature(settings.wechat_token, timestamp, nonce)
    async with aiohttp.ClientSession() as http:
        params = {"signature": good, "timestamp": timestamp, "nonce": nonce, "echostr": "e123"}
        async with http.get(server.make_url("/wechat"), params=params) as response:
            assert response.status == 200
            assert await response.text() == "e123"
        params["signature"] = "0" * 40
        async with http.get(server.make_url("/wechat"), params=params) as response:
            assert response.status == 403
        async with http.get(server.make_url("/wechat")) as response:
            assert response.status == 403


async def test_bad_signatures_are_forbidden(server: TestServer, settings):
    driver = WeChatDriver(server, settings)
    params, body = driver.sim.sign(driver.sim.text("o_x", "hi"))
    params["signature"] = "f" * 40
    safe = WeChatDriver(server, settings, safe=True)
    safe_params, safe_body = safe.sim.sign(safe.sim.text("o_x", "hi"))
    safe_params["msg_signature"] = "e" * 40
    async with aiohttp.ClientSession() as http:
        async with http.post(server.make_url("/wechat"), params=params, data=body) as r:
            assert r.status == 403
        async with http.post(server.make_url("/wechat"), params=safe_params, data=safe_body) as r:
            assert r.status == 403
    hotline = server.app[hotline_key]
    assert await hotline.db.db.inbound_messages.count_documents({}) == 0


@pytest.fixture
async def vector_server(tmp_path, mongo_uri, db_name) -> AsyncIterator[TestServer]:
    settings = load_settings(
        env={},
        data_dir=str(tmp_path),
        db_name=db_name,
        wechat_token="spamtest",
        wechat_appid="wx2c2769f8efd9abc2",
        wechat_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        model_autotrain="false",
    )
    test_server = await start_server(settings, mongo_uri)
    yield test_server
    await test_server.app[hotline_key].db.client.drop_database(db_name)
    await test_server.close()


VECTOR = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA["
    "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime>"
    "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>"
    "6054768590064713728</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJ"
    "lE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896"
    "wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+W"
    "GzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/H"
    "TnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9eh"
    "VsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
)


async def test_published_crypto_vector_decrypts_through_our_callback(vector_server):
    params = {
        "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
        "timestamp": "1409735669",
        "nonce": "1320562132",
        "encrypt_type": "aes",
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(vector_server.make_url("/wechat"), params=params, data=VECTOR) as r:
            assert r.status == 200
            assert "<Encrypt>" in await r.text()
    record = await vector_server.app[hotline_key].db.inbound.get(
        "msg:oyORnuP8q7ou2gfYjqLzSIWZf0rs:6054768590064713728"
    )
    assert record is not None
    assert record["openid"] == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"


# hostile input ---------------------------------------------------------------
async def _raw_post(server: TestServer, settings, body: bytes) -> int:
    driver = WeChatDriver(server, settings)
    params, _ = driver.sim.sign("")
    async with aiohttp.ClientSession() as http:
        async with http.post(server.make_url("/wechat"), params=params, data=body) as r:
            return r.status


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>2</MsgId></xml>"
)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"<xml>" + b"a" * (64 * 1024) + b"</xml>", 413),
        (BILLION_LAUGHS.encode(), 400),
        (EXTERNAL_ENTITY.encode(), 400),
        (b"<xml><ToUserName>a</ToUserName", 400),
        (b"not xml at all", 400),
        (b"<other/>", 400),
        (b"<xml><ToUserName>a</ToUserName></xml>", 400),
        (b"\xff\xfe\x00garbage", 400),
        (b"", 400),
    ],
    ids=[
        "too-large",
        "billion-laughs",
        "xxe",
        "truncated",
        "text",
        "wrong-root",
        "no-type",
        "not-utf8",
        "empty",
    ],
)
async def test_hostile_bodies_get_4xx_and_server_stays_healthy(server, settings, body, status):
    assert await _raw_post(server, settings, body) == status
    async with aiohttp.ClientSession() as http:
        async with http.get(server.make_url("/readyz")) as r:
            assert r.status == 200
    driver = WeChatDriver(server, settings)
    assert (await driver.say("o_after_attack", "你好")).text


async def test_whitespace_and_very_long_texts(server, settings):
    driver = WeChatDriver(server, settings)
    blank = await driver.say("o_long", "   \n\t  ")
    assert blank.status == 200 and blank.text
    long = await driver.say("o_long", "路灯坏了😡" * 2000)
    assert long.status == 200
    assert "截断" in long.text or "过长" in long.text


# idempotency ------------------------------------------------------------------
async def test_sequential_retries_get_the_same_reply_and_one_effect(server, settings):
    driver = WeChatDriver(server, settings)
    msg_id = driver.sim.next_msg_id()
    first = await driver.say("o_retry", "你好", msg_id)
    second = await driver.say("o_retry", "你好", msg_id)
    third = await driver.say("o_retry", "你好", msg_id)
    assert first.text and first.text == second.text == third.text
    db = server.app[hotline_key].db
    _, version = await db.sessions.load("o_retry")
    assert version == 1  # the dialog ran once


async def test_concurrent_retries_get_the_same_reply_and_one_effect(server, settings):
    driver = WeChatDriver(server, settings)
    msg_id = driver.sim.next_msg_id()
    results = await asyncio.gather(*(driver.say("o_race", "你好", msg_id) for _ in range(5)))
    texts = {r.text for r in results}
    assert len(texts) == 1 and texts != {""}
    _, version = await server.app[hotline_key].db.sessions.load("o_race")
    assert version == 1
