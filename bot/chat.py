"""`hotline chat`: talk to a running server exactly as WeChat would.

Type a message and press Enter. Commands: /image FILE, /location LAT LNG [LABEL],
/voice TEXT, /click KEY (COMPLAIN, QUERY, CONSULT, MY_COMPLAINTS), /subscribe,
/quit. Messages the server pushes (customer-service and template messages) are
shown as they arrive, in sandbox mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import sys
from collections.abc import Callable
from pathlib import Path

import aiohttp

from bot.wechat_sim import SimulatedWeChat, reply_text

HELP = __doc__.split("\n\n", 1)[1]


def _read_file(filename: str) -> bytes:
    return Path(filename).expanduser().read_bytes()


class ChatClient:
    def __init__(
        self, url: str, openid: str, wechat: SimulatedWeChat, out: Callable[[str], None] = print
    ) -> None:
        self.url = url.rstrip("/")
        self.openid = openid
        self.wechat = wechat
        self.out = out
        self._seen = 0

    async def post(self, http: aiohttp.ClientSession, body: str) -> str:
        params, data = self.wechat.sign(body)
        async with http.post(self.url + "/wechat", params=params, data=data.encode()) as response:
            text = await response.text()
            if response.status != 200:
                return f"[HTTP {response.status}] {text}"
        return reply_text(self.wechat.open_reply(text, params))

    async def upload(self, http: aiohttp.ClientSession, filename: str) -> str:
        content_type = mimetypes.guess_type(filename)[0] or "image/jpeg"
        content = await asyncio.to_thread(_read_file, filename)
        async with http.post(
            self.url + "/sandbox/_control/media",
            data=content,
            headers={"Content-Type": content_type},
        ) as response:
            response.raise_for_status()
            return (await response.json())["media_id"]

    async def body_for(self, http: aiohttp.ClientSession, line: str) -> str | None:
        w, openid = self.wechat, self.openid
        command, _, rest = line.partition(" ")
        match command:
            case "/image":
                media_id = await self.upload(http, rest.strip())
                return w.xml(openid, "image", MediaId=media_id, PicUrl="", MsgId=w.next_msg_id())
            case "/location":
                parts = rest.split(maxsplit=2)
                if len(parts) < 2:
                    self.out("用法：/location 纬度 经度 [地点名称]")
                    return None
                return w.xml(
                    openid,
                    "location",
                    Location_X=parts[0],
                    Location_Y=parts[1],
                    Scale="15",
                    Label=parts[2] if len(parts) > 2 else "",
                    MsgId=w.next_msg_id(),
                )
            case "/voice":
                return w.xml(
                    openid,
                    "voice",
                    MediaId="voice-sim",
                    Format="amr",
                    Recognition=rest,
                    MsgId=w.next_msg_id(),
                )
            case "/click":
                return w.event(openid, "CLICK", EventKey=rest.strip())
            case "/subscribe":
                return w.event(openid, "subscribe", EventKey="")
            case _:
                return w.text(openid, line)

    async def show_pushes(self, http: aiohttp.ClientSession) -> None:
        with contextlib.suppress(aiohttp.ClientError, KeyError, ValueError):
            async with http.get(
                self.url + "/sandbox/_control/messages",
                params={"touser": self.openid, "after": str(self._seen)},
            ) as response:
                if response.status != 200:
                    return
                for message in (await response.json())["messages"]:
                    self._seen = max(self._seen, message["seq"])
                    body = message["body"]
                    if body.get("msgtype") == "text":
                        self.out(f"[推送] {body['text']['content']}")
                    else:
                        self.out(f"[推送] {body}")

    async def run(self, lines: asyncio.Queue[str | None]) -> None:
        async with aiohttp.ClientSession() as http:
            await self.show_pushes(http)  # skip what was pushed before we started
            poller = asyncio.create_task(self._poll(http))
            try:
                while (line := await lines.get()) is not None:
                    line = line.rstrip("\n")
                    if line.strip() == "/quit":
                        break
                    if line.strip() == "/help":
                        self.out(HELP)
                        continue
                    body = await self.body_for(http, line)
                    if body is None:
                        continue
                    reply = await self.post(http, body)
                    if reply:
                        self.out(f"[回复] {reply}")
                await asyncio.sleep(1.5)  # give a late reply or push a moment to arrive
                await self.show_pushes(http)
            finally:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller

    async def _poll(self, http: aiohttp.ClientSession) -> None:
        while True:
            await asyncio.sleep(1.0)
            await self.show_pushes(http)


async def _read_stdin(queue: asyncio.Queue[str | None], prompt: bool) -> None:
    loop = asyncio.get_running_loop()
    while True:
        if prompt:
            print("你：", end="", flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            await queue.put(None)
            return
        await queue.put(line)


async def chat_main(url: str, openid: str, wechat: SimulatedWeChat) -> None:
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"以用户 {openid} 连接 {url}（/help 查看命令，/quit 退出）")
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    reader = asyncio.create_task(_read_stdin(queue, interactive))
    try:
        await ChatClient(url, openid, wechat).run(queue)
    finally:
        reader.cancel()
