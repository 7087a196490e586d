"""Async client for the WeChat official-account API.

One access token is shared by every instance through the store: WeChat
invalidates older tokens when a new one is fetched, so instances fetching
their own would log each other out. An invalid-token error refreshes once and
retries once; a second failure surfaces, never an unbounded loop.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp

from store.locks import LockRepository
from store.tokens import StoredToken, TokenRepository

log = logging.getLogger(__name__)

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
REFRESH_MARGIN = timedelta(minutes=5)


class WeChatError(Exception):
    """An error answer from the WeChat API; `errcode` is WeChat's code."""

    def __init__(self, errcode: int, errmsg: str = "", api: str = "") -> None:
        super().__init__(f"{api}: errcode {errcode} {errmsg}".strip())
        self.errcode = errcode
        self.errmsg = errmsg
        self.api = api


class WeChatTransientError(WeChatError):
    """Worth retrying later: system busy (-1), HTTP 5xx, timeouts, network errors."""


class OutsideServiceWindow(WeChatError):
    """45015: the citizen last wrote more than 48 hours ago."""


class Unsubscribed(WeChatError):
    """43004: the citizen unfollowed; final."""


class RateLimited(WeChatError):
    """45047 and similar: too many messages; try again later."""


class ContentTooLong(WeChatError):
    """45002: the message is over WeChat's size limit; sending it again cannot help."""


# WeChat refuses a customer-service text message over 2,048 bytes of UTF-8 (45002):
# about 680 Chinese characters.
TEXT_LIMIT_BYTES = 2048


_ERROR_TYPES: dict[int, type[WeChatError]] = {
    -1: WeChatTransientError,
    45015: OutsideServiceWindow,
    43004: Unsubscribed,
    45047: RateLimited,
    45009: RateLimited,
    45002: ContentTooLong,
}


def error_for(errcode: int, errmsg: str, api: str) -> WeChatError:
    return _ERROR_TYPES.get(errcode, WeChatError)(errcode, errmsg, api)


@dataclass(frozen=True, slots=True)
class Media:
    content: bytes
    content_type: str


class WeChatAPI:
    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        appid: str,
        secret: str,
        tokens: TokenRepository,
        locks: LockRepository,
        *,
        timeout: float = 5.0,
    ) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")
        self._appid = appid
        self._secret = secret
        self._tokens = tokens
        self._locks = locks
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    # tokens ---------------------------------------------------------------
    async def access_token(self) -> str:
        stored = await self._tokens.get(self._appid)
        if stored and stored.expires_at - REFRESH_MARGIN > datetime.now(UTC):
            return stored.token
        return await self._refresh(bad_token=stored.token if stored else None)

    async def _refresh(self, bad_token: str | None, force: bool = False) -> str:
        async with self._locks.hold(
            # a short lease: an instance that dies while refreshing blocks the others briefly
            f"wechat-token:{self._appid}",
            lease=timedelta(seconds=10),
            wait=12,
        ):
            # Another instance may have refreshed while we waited for the lock.
            stored = await self._tokens.get(self._appid)
            now = datetime.now(UTC)
            if stored and stored.token != bad_token and stored.expires_at - REFRESH_MARGIN > now:
                return stored.token
            body = await self._request(
                "POST",
                "/cgi-bin/stable_token",
                api="stable_token",
                json={
                    "grant_type": "client_credential",
                    "appid": self._appid,
                    "secret": self._secret,
                    "force_refresh": force,
                },
            )
            token = StoredToken(
                token=body["access_token"],
                expires_at=now + timedelta(seconds=int(body.get("expires_in", 7200))),
            )
            await self._tokens.put(self._appid, token, now)
            log.info("fetched a new WeChat access token for %s", self._appid)
            return token.token

    # transport --------------------------------------------------------------
    async def _request(
        self,
        method: str,
        path: str,
        *,
        api: str,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        raw: bool = False,
    ) -> Any:
        url = self.base_url + path
        body, headers = None, None
        if json is not None:
            # UTF-8 as it is: WeChat does not decode \uXXXX escapes (aiohttp's json=
            # default) and would show a citizen "\u60a8\u597d" instead of 您好
            body = jsonlib.dumps(json, ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json; charset=utf-8"}
        try:
            async with self._http.request(
                method, url, params=params, data=body, headers=headers, timeout=self._timeout
            ) as response:
                if response.status >= 500:
                    raise WeChatTransientError(-1, f"HTTP {response.status}", api)
                if response.status >= 400:
                    raise WeChatError(response.status, f"HTTP {response.status}", api)
                content_type = response.headers.get("Content-Type", "")
                if raw and "json" not in content_type and "text" not in content_type:
                    return Media(await response.read(), content_type)
                body = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            if isinstance(error, aiohttp.ClientResponseError) and error.status < 500:
                raise WeChatError(error.status, str(error), api) from error
            raise WeChatTransientError(-1, f"{type(error).__name__}: {error}", api) from error
        errcode = int(body.get("errcode", 0) or 0) if isinstance(body, dict) else 0
        if errcode:
            raise error_for(errcode, str(body.get("errmsg", "")), api)
        return body

    async def call(
        self,
        method: str,
        path: str,
        *,
        api: str,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        raw: bool = False,
    ) -> Any:
        """Call an API that needs the access token; refresh once on a token error."""
        token = await self.access_token()
        for attempt in (1, 2):
            try:
                return await self._request(
                    method,
                    path,
                    api=api,
                    params={**(params or {}), "access_token": token},
                    json=json,
                    raw=raw,
                )
            except WeChatError as error:
                if error.errcode not in TOKEN_ERRORS or attempt == 2:
                    raise
                log.info("%s: token rejected (%s), refreshing once", api, error.errcode)
                await self._tokens.discard(self._appid, token)
                token = await self._refresh(bad_token=token, force=True)
        raise AssertionError("unreachable")

    # APIs -----------------------------------------------------------------
    async def send_text(self, openid: str, text: str) -> None:
        await self.call(
            "POST",
            "/cgi-bin/message/custom/send",
            api="custom_send",
            json={"touser": openid, "msgtype": "text", "text": {"content": text}},
        )

    async def send_template(
        self, openid: str, template_id: str, data: dict[str, str], url: str = ""
    ) -> int:
        body = await self.call(
            "POST",
            "/cgi-bin/message/template/send",
            api="template_send",
            json={
                "touser": openid,
                "template_id": template_id,
                "url": url,
                "data": {key: {"value": value} for key, value in data.items()},
            },
        )
        return int(body.get("msgid", 0))

    async def create_menu(self, menu: dict[str, Any]) -> None:
        await self.call("POST", "/cgi-bin/menu/create", api="menu_create", json=menu)

    async def get_media(self, media_id: str) -> Media:
        result = await self.call(
            "GET", "/cgi-bin/media/get", api="media_get", params={"media_id": media_id}, raw=True
        )
        if not isinstance(result, Media):
            raise WeChatError(40007, "no media in the answer", "media_get")
        return result


async def with_retries[T](operation: Any, *, attempts: int = 3, base_delay: float = 0.2) -> T:
    """Run `operation()` again on transient errors, with exponential backoff."""
    for attempt in range(1, attempts + 1):
        try:
            return await operation()
        except WeChatTransientError:
            if attempt == attempts:
                raise
            await asyncio.sleep(base_delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")
