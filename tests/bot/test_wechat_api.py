"""The async WeChat API client against the built-in sandbox, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import SANDBOX_PREFIX, hotline_key, sandbox_secret
from bot.config import Settings
from bot.wechat_api import (
    OutsideServiceWindow,
    Unsubscribed,
    WeChatAPI,
    WeChatError,
    WeChatTransientError,
)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def make_client(server: TestServer, http: aiohttp.ClientSession, settings: Settings) -> WeChatAPI:
    db = server.app[hotline_key].db
    return WeChatAPI(
        http,
        str(server.make_url(SANDBOX_PREFIX)),
        settings.wechat_appid,
        sandbox_secret(settings),
        db.tokens,
        db.locks,
    )


async def control(http: aiohttp.ClientSession, server: TestServer, path: str, **body: object):
    url = server.make_url(SANDBOX_PREFIX + "/_control/" + path)
    async with http.post(url, json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def pushed(http: aiohttp.ClientSession, server: TestServer, openid: str) -> list[dict]:
    url = server.make_url(SANDBOX_PREFIX + "/_control/messages")
    async with http.get(url, params={"touser": openid}) as response:
        return (await response.json())["messages"]


async def test_send_text_reaches_the_sandbox(server, http, settings):
    client = make_client(server, http, settings)
    await client.send_text("o_alice", "您好")
    messages = await pushed(http, server, "o_alice")
    assert [m["body"]["text"]["content"] for m in messages] == ["您好"]


async def test_two_clients_share_one_token(server, http, settings):
    first = make_client(server, http, settings)
    second = make_client(server, http, settings)
    await first.send_text("o_a", "1")
    await second.send_text("o_a", "2")
    assert await first.access_token() == await second.access_token()
    url = server.make_url(SANDBOX_PREFIX + "/_control/state")
    async with http.get(url) as response:
        assert (await response.json())["token_calls"] == 1


async def test_invalid_token_refreshes_once_and_retries(server, http, settings):
    client = make_client(server, http, settings)
    await client.send_text("o_b", "before")
    await control(http, server, "faults", api="custom_send", errcode=40001, times=1)
    await client.send_text("o_b", "after")
    texts = [m["body"]["text"]["content"] for m in await pushed(http, server, "o_b")]
    assert texts == ["before", "after"]
    url = server.make_url(SANDBOX_PREFIX + "/_control/state")
    async with http.get(url) as response:
        assert (await response.json())["token_calls"] == 2


async def test_second_token_error_surfaces_instead_of_looping(server, http, settings):
    client = make_client(server, http, settings)
    await control(http, server, "faults", api="custom_send", errcode=42001, times=5)
    with pytest.raises(WeChatError) as raised:
        await client.send_text("o_c", "never")
    assert raised.value.errcode == 42001
    assert await pushed(http, server, "o_c") == []


async def test_revoked_token_is_refreshed(server, http, settings):
    client = make_client(server, http, settings)
    await client.send_text("o_d", "1")
    url = server.make_url(SANDBOX_PREFIX + "/_control/state")
    async with http.post(url) as response:  # POST revokes every issued token
        assert response.status == 200
    await client.send_text("o_d", "2")
    assert len(await pushed(http, server, "o_d")) == 2


@pytest.mark.parametrize(
    ("errcode", "error_type"),
    [(45015, OutsideServiceWindow), (43004, Unsubscribed), (-1, WeChatTransientError)],
)
async def test_errors_are_typed(server, http, settings, errcode, error_type):
    client = make_client(server, http, settings)
    await control(http, server, "faults", api="custom_send", errcode=errcode, times=1)
    with pytest.raises(error_type) as raised:
        await client.send_text("o_e", "x")
    assert raised.value.errcode == errcode


async def test_http_5xx_is_transient(server, http, settings):
    client = make_client(server, http, settings)
    await control(http, server, "faults", api="custom_send", errcode=502, times=1)
    with pytest.raises(WeChatTransientError):
        await client.send_text("o_f", "x")


async def test_menu_and_media(server, http, settings):
    client = make_client(server, http, settings)
    await client.create_menu({"button": [{"type": "click", "name": "投诉", "key": "COMPLAIN"}]})
    url = server.make_url(SANDBOX_PREFIX + "/_control/media")
    async with http.post(url, data=b"\xff\xd8jpeg", headers={"Content-Type": "image/jpeg"}) as r:
        media_id = (await r.json())["media_id"]
    media = await client.get_media(media_id)
    assert media.content == b"\xff\xd8jpeg"
    assert media.content_type == "image/jpeg"
    with pytest.raises(WeChatError) as raised:
        await client.get_media("no-such-media")
    assert raised.value.errcode == 40007


async def test_wrong_secret_is_rejected(server, http, settings):
    db = server.app[hotline_key].db
    client = WeChatAPI(
        http,
        str(server.make_url(SANDBOX_PREFIX)),
        settings.wechat_appid,
        "wrong",
        db.tokens,
        db.locks,
    )
    with pytest.raises(WeChatError) as raised:
        await client.send_text("o_g", "x")
    assert raised.value.errcode == 40125


class _Silent:
    """These tests never reach the dialog; the app still needs one to start."""

    async def run(self, session, inbound, now):
        return [], session or {}


@pytest.fixture
async def server(settings, mongo_uri) -> AsyncIterator[TestServer]:
    from tests.conftest import start_server

    test_server = await start_server(settings, mongo_uri, dialog=_Silent())
    yield test_server
    await test_server.app[hotline_key].db.client.drop_database(settings.db_name)
    await test_server.close()


async def test_chinese_travels_as_utf8_not_as_escapes_wechat_would_show(server, http, settings):
    client = make_client(server, http, settings)
    await client.send_text("o_utf8", "您的诉求已答复😊")
    [message] = await pushed(http, server, "o_utf8")
    assert message["body"]["text"]["content"] == "您的诉求已答复😊"
    # the sandbox shows escapes as WeChat does: literally, to the citizen
    token = await client.access_token()
    url = server.make_url(SANDBOX_PREFIX + "/cgi-bin/message/custom/send")
    escaped = '{"touser": "o_escaped", "msgtype": "text", "text": {"content": "\\u60a8\\u597d"}}'
    async with http.post(url, params={"access_token": token}, data=escaped) as response:
        assert (await response.json())["errcode"] == 0
    [message] = await pushed(http, server, "o_escaped")
    assert message["body"]["text"]["content"] == "\\u60a8\\u597d"
