"""A WeChat stand-in for tests: posts signed (and in safe mode encrypted) XML
to the real callback over a real socket."""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import SANDBOX_PREFIX
from bot.config import Settings
from bot.wechat_sim import SimulatedWeChat, reply_text


async def upload_image(server: TestServer, content: bytes) -> str:
    """Put an image into the sandbox's media store, as a citizen's phone would
    upload it to WeChat; returns the MediaId an image message carries."""
    async with aiohttp.ClientSession() as http:
        async with http.post(
            server.make_url(SANDBOX_PREFIX + "/_control/media"),
            data=content,
            headers={"Content-Type": "image/jpeg"},
        ) as response:
            return (await response.json())["media_id"]


@dataclass
class Exchange:
    status: int
    body: str
    text: str  # the decoded reply Content ('' for success)


class WeChatDriver:
    def __init__(self, server: TestServer, settings: Settings, *, safe: bool = False) -> None:
        self.server = server
        self.sim = SimulatedWeChat(
            token=settings.wechat_token,
            appid=settings.wechat_appid,
            aes_key=settings.wechat_aes_key,
            safe=safe,
        )

    async def post(self, body: str) -> Exchange:
        params, data = self.sim.sign(body)
        async with aiohttp.ClientSession() as http:
            async with http.post(
                self.server.make_url("/wechat"), params=params, data=data.encode()
            ) as response:
                raw = await response.text()
                text = ""
                if response.status == 200:
                    text = reply_text(self.sim.open_reply(raw, params))
                return Exchange(response.status, raw, text)

    async def say(self, openid: str, content: str, msg_id: int | None = None) -> Exchange:
        return await self.post(self.sim.text(openid, content, msg_id))
