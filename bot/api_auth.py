"""Bearer-token authentication and role checks for /api/v1."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.sign_in_throttle import SignInThrottle, client_address
from models.accounts import Account, Role
from store.accounts import AccountRepository

account_key = web.RequestKey("account", Account)
API_PREFIX = "/api/v1"
PUBLIC = {f"{API_PREFIX}/openapi.json"}
CACHE_SECONDS = 60.0


def error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class TokenCache:
    """Verified tokens for a minute: argon2 per request would cost ~50 ms each."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Account, float]] = {}

    def get(self, token: str) -> Account | None:
        key = hashlib.sha256(token.encode()).hexdigest()
        entry = self._entries.get(key)
        if entry is None or entry[1] < time.monotonic():
            self._entries.pop(key, None)
            return None
        return entry[0]

    def put(self, token: str, account: Account) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        key = hashlib.sha256(token.encode()).hexdigest()
        self._entries[key] = (account, time.monotonic() + CACHE_SECONDS)


def too_many_failures(wait: int) -> web.Response:
    response = error(429, f"too many failed sign-ins from this address; retry in {wait} s")
    response.headers["Retry-After"] = str(wait)
    return response


def auth_middleware(
    accounts: Callable[[web.Request], AccountRepository],
    cache: TokenCache,
    throttle: SignInThrottle,
) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        try:
            return await _authenticated(request, handler)
        except web.HTTPException as problem:
            if problem.status < 400 or problem.content_type == "application/json":
                raise
            return _as_json(problem)

    async def _authenticated(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path in PUBLIC:
            return await handler(request)
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error(401, "missing bearer token")
        token = token.strip()
        account = cache.get(token)
        if account is None:
            # a token verified in the last minute passes even from a throttled address
            address = client_address(request)
            if wait := throttle.wait(address):
                return too_many_failures(wait)
            account = await accounts(request).by_token(token)
            if account is None:
                throttle.failed(address)
                return error(401, "invalid token")
            cache.put(token, account)
        request[account_key] = account
        return await handler(request)

    return middleware


def _as_json(problem: web.HTTPException) -> web.Response:
    """aiohttp's own refusals (no such path, wrong method, body too large) in the API's shape."""
    response = error(problem.status, problem.text or problem.reason)
    if allow := problem.headers.get("Allow"):
        response.headers["Allow"] = allow
    return response


def require(request: web.Request, *roles: Role) -> Account:
    account = request[account_key]
    if account.role not in roles:
        raise web.HTTPForbidden(
            text='{"error": "your role may not do this"}', content_type="application/json"
        )
    return account
