"""A browser-like client for the console: cookies, CSRF tokens read from forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from bot.app import hotline_key
from models.accounts import Account, Role

PASSWORD = "correct horse 12345"


async def make_staff(server: TestServer, name: str, role: Role, department: str = "") -> None:
    accounts = server.app[hotline_key].db.accounts
    await accounts.create(Account(name, role, department), datetime.now(UTC), PASSWORD)


@dataclass
class Page:
    status: int
    url: str
    text: str

    @property
    def csrf(self) -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.text)
        assert match, f"no CSRF token on {self.url}"
        return match.group(1)


class Browser:
    def __init__(self, server: TestServer) -> None:
        self.server = server
        # unsafe=True: the test server listens on an IP address, where aiohttp's jar
        # would otherwise refuse cookies
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str) -> Page:
        async with self.http.get(self.server.make_url(path)) as response:
            page = Page(response.status, str(response.url), await response.text())
        if 'name="csrf"' in page.text:
            self.csrf = page.csrf
        return page

    async def post(self, path: str, data: dict[str, Any], *, csrf: str | None = None) -> Page:
        form = {**data, "csrf": self.csrf if csrf is None else csrf}
        async with self.http.post(self.server.make_url(path), data=form) as response:
            page = Page(response.status, str(response.url), await response.text())
        if 'name="csrf"' in page.text:
            self.csrf = page.csrf
        return page

    async def login(self, name: str, password: str = PASSWORD, **extra: str) -> Page:
        """As a person does: open the login page, then submit its form."""
        form = await self.get("/console/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token, "no login token on the login page"
        data = {"name": name, "password": password, "login_token": token.group(1), **extra}
        return await self.post("/console/login", data, csrf="")
