"""Helpers for tests that act as staff through the JSON API and watch the sandbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import SANDBOX_PREFIX, hotline_key
from models.accounts import Account, Role


async def make_token(server: TestServer, name: str, role: Role, department: str = "") -> str:
    accounts = server.app[hotline_key].db.accounts
    return await accounts.create(Account(name, role, department), datetime.now(UTC))


async def api(
    server: TestServer, method: str, path: str, token: str | None, json: Any = None
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        async with http.request(
            method, server.make_url(path), json=json, headers=headers
        ) as response:
            try:
                data = await response.json(content_type=None)
            except ValueError:
                data = await response.text()
            return response.status, data


async def pushes(server: TestServer, openid: str) -> list[str]:
    async with aiohttp.ClientSession() as http:
        async with http.get(
            server.make_url(SANDBOX_PREFIX + "/_control/messages"), params={"touser": openid}
        ) as response:
            messages = (await response.json())["messages"]
    return [
        m["body"]["text"]["content"] if m["body"].get("msgtype") == "text" else str(m["body"])
        for m in messages
    ]


async def wait_for_push(
    server: TestServer, openid: str, needle: str, within: float = 5, count: int = 1
) -> list[str]:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        texts = await pushes(server, openid)
        if sum(needle in text for text in texts) >= count:
            return texts
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no push containing {needle!r}; got {texts}")
        await asyncio.sleep(0.05)


async def fault(server: TestServer, api_name: str, errcode: int, times: int = 1, delay: float = 0):
    async with aiohttp.ClientSession() as http:
        async with http.post(
            server.make_url(SANDBOX_PREFIX + "/_control/faults"),
            json={"api": api_name, "errcode": errcode, "times": times, "delay": delay},
        ) as response:
            assert response.status == 200
