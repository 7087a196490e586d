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


def error(status: int, message: str, code: str = "", **details: object) -> web.Response:
    """A JSON error; `code` names the problem for clients that branch on it."""
    body: dict[str, object] = {"error": message}
    if code:
        body |= {"code": code, **details}
    return web.json_response(body, status=status)


class TokenCache:
    """Tokens whose secret was verified in the last minute: argon2 per request would
    cost ~50 ms each. Only the secret's check is remembered; who the account is (its
    role, whether it is disabled) is read fresh on every request."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def verified(self, token: str) -> bool:
        key = hashlib.sha256(token.encode()).hexdigest()
        until = self._until.get(key)
        if until is None or until < time.monotonic():
            self._until.pop(key, None)
            return False
        return True

    def remember(self, token: str) -> None:
        if len(self._until) > 10_000:
            self._until.clear()
        key = hashlib.sha256(token.encode()).hexdigest()
        self._until[key] = time.monotonic() + CACHE_SECONDS

    def forget(self, token: str) -> None:
        self._until.pop(hashlib.sha256(token.encode()).hexdigest(), None)


class Throttled(Exception):
    """Too many failed secrets from this address: `wait` seconds before the next try."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"retry in {wait} s")
        self.wait = wait


async def authenticate(
    request: web.Request,
    token: str,
    accounts: AccountRepository,
    cache: TokenCache,
    throttle: SignInThrottle,
) -> Account | None:
    """The account a token opens now, or None; raises Throttled for a guessing address.
    A token verified in the last minute passes even from a throttled address."""
    if cache.verified(token):
        account = await accounts.by_token_id(token.partition(".")[0])
        if account is None:  # disabled, or its token was reset, since
            cache.forget(token)
        return account
    address = client_address(request)
    if wait := throttle.wait(address):
        raise Throttled(wait)
    account = await accounts.by_token(token)
    if account is None:
        throttle.failed(address)
    else:
        cache.remember(token)
    return account


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
        try:
            account = await authenticate(request, token.strip(), accounts(request), cache, throttle)
        except Throttled as throttled:
            return too_many_failures(throttled.wait)
        if account is None:
            return error(401, "invalid token")
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
