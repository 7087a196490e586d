"""Helpers for tests that act as staff through the JSON API and watch the sandbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import SANDBOX_PREFIX, hotline_key
from models.accounts import Account, Role
from models.complaint import Location


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


async def register(server: TestServer, text: str, *, category: str = "城乡建设",
                   confidence: float = 0.3, district: str = "朝阳区",
                   openid: str = "o_console") -> str:  # fmt: skip
    """A complaint registered straight through the service (no chat); its number."""
    complaint = await server.app[hotline_key].complaints.register(
        source_key=f"test:{text}", openid=openid, description=text,
        location=Location(f"{district}望京西园三区", district), category=category,
        category_confidence=confidence, contact_phone="13812345678",
    )  # fmt: skip
    return complaint.no
