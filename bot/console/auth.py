"""Console login: argon2 passwords, a server-side session behind an HttpOnly
cookie, a CSRF token in every form, logout, and lockout after repeated failures
(the lockout itself lives with the accounts in the store)."""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from aiohttp import web
from yarl import URL

from bot.app import hotline_of
from bot.console.layout import account_of, csrf_of, render, typed_back
from bot.sign_in_throttle import client_address, throttle_key
from models.accounts import Account, Role
from store.complaints import BEIJING

COOKIE = "hotline_console"
LOGIN_COOKIE = "hotline_login"
LOGIN_EXPIRED = "登录页面已过期，请重新输入账号和密码。"
ACCOUNT_DISABLED = "该账号已停用，请联系管理员。"
TOO_MANY = "这台电脑登录失败次数过多，请 {minutes} 分钟后再试。"
SESSION_EXPIRED = "登录已超时，刚才的操作没有保存。请重新登录后再做一次。"
FORM_EXPIRED = "表单已过期或来源不明，刚才的操作没有保存。请刷新页面后重试。"
# idle for this long: log in again (the browser drops the cookie when it closes)
LIFETIME = timedelta(hours=8)
ALL_STAFF = (Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT)


@dataclass(frozen=True, slots=True)
class Staff:
    """The logged-in account and the CSRF token its forms must echo."""

    account: Account
    csrf: str


staff_key = web.RequestKey("console_staff", Staff)
type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _secure(request: web.Request) -> bool:
    # Behind a TLS-terminating load balancer the app itself sees plain HTTP.
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def _login_url(request: web.Request) -> str:
    return "/console/login?next=" + quote(request.path_qs, safe="")


async def current(request: web.Request) -> Staff | None:
    sid = request.cookies.get(COOKIE)
    if not sid:
        return None
    db = hotline_of(request).db
    session = await db.console_sessions.get(sid, datetime.now(UTC))
    if session is None:
        return None
    # The account may have been deleted or changed role since the login.
    account = await db.accounts.get(session.name)
    return Staff(account, session.csrf) if account else None


def page(*roles: Role, post: bool = False) -> Callable[[Handler], Handler]:
    """Guard a console handler: a login, one of `roles`, and for forms a valid CSRF token."""
    roles = roles or ALL_STAFF

    def wrap(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            staff = await current(request)
            if staff is None:
                if post:
                    return await _expired_during_form(request)
                raise web.HTTPSeeOther(_login_url(request))
            _signed_in(request, staff)
            if staff.account.role not in roles:
                return forbidden(request)
            if post:
                form = await request.post()
                token = str(form.get("csrf", ""))
                if not hmac.compare_digest(token.encode(), staff.csrf.encode()):
                    # a page from before a new login (in another tab): its text back
                    return forbidden(request, FORM_EXPIRED, typed_back(form, _action(request)))
            return await handler(request)

        guarded.__name__ = handler.__name__
        guarded.__doc__ = handler.__doc__
        return guarded

    return wrap


async def _expired_during_form(request: web.Request) -> web.Response:
    """A form sent after the session ended (8 idle hours, a logout elsewhere, a
    password reset): the login form at once, saying the action was not saved and
    showing what was typed to copy, and after logging in back to the page the form
    was on (the Referer's path)."""
    back = _safe_next(URL(request.headers.get("Referer", "")).path_qs)
    context = {"next": back, "error": SESSION_EXPIRED, "typed": await _typed_here(request)}
    return _login_page(request, context, status=401)


async def _typed_here(request: web.Request) -> list[tuple[str, str]]:
    """What a form without a session held, to show back. Not a form another site sent
    (browsers name the sending site in Origin on every cross-site POST): its text is
    not the clerk's and must not appear on the console's login page as if it were."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.partition("://")[2] != request.host:
        return []
    try:
        form = await request.post()
    except (web.HTTPException, ValueError):
        return []  # too large or malformed: the login page all the same
    return typed_back(form, _action(request))


def _action(request: web.Request) -> str:
    return request.match_info.get("action", "")


def _signed_in(request: web.Request, staff: Staff) -> None:
    request[staff_key] = staff
    request[account_of] = staff.account
    request[csrf_of] = staff.csrf


async def recognise(request: web.Request) -> None:
    """Mark the request as the signed-in clerk's, if any, without requiring a login:
    for pages every visitor may see (a 404), which then show the clerk's navigation."""
    if (staff := await current(request)) is not None:
        _signed_in(request, staff)


def forbidden(
    request: web.Request,
    message: str = "您的角色无权访问此页面。",
    typed: list[tuple[str, str]] | None = None,
) -> web.Response:
    context = {"title": "无权访问", "message": message, "typed": typed or []}
    return render("error.html", request, context, status=403)


def _safe_next(value: str) -> str:
    # only paths inside the console: never an open redirect to another site
    if value.startswith("/console/") and not value.startswith("//"):
        return value
    return "/console/"


def _login_page(
    request: web.Request, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    """The login form with a fresh double-submit token: another site cannot post a
    login (and so sign a clerk into an account of its choosing) without reading it."""
    token = secrets.token_urlsafe(16)
    response = render("login.html", request, {**context, "login_token": token}, status=status)
    response.set_cookie(LOGIN_COOKIE, token, path="/console/login", httponly=True,
                        samesite="Strict", secure=_secure(request))  # fmt: skip
    return response


async def login_form(request: web.Request) -> web.Response:
    return _login_page(request, {"next": _safe_next(request.query.get("next", "")), "error": ""})


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    token = str(form.get("login_token", ""))
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        context = {"next": _safe_next(str(form.get("next", ""))), "error": LOGIN_EXPIRED}
        return _login_page(request, context, status=403)
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    db = hotline_of(request).db
    now = datetime.now(UTC)
    throttle, address = request.app[throttle_key], client_address(request)
    if name and password and (wait := throttle.wait(address)):
        context = {"next": target, "error": TOO_MANY.format(minutes=math.ceil(wait / 60)),
                   "name": name}  # fmt: skip
        response = _login_page(request, context, status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    result = await db.accounts.login(name, password, now) if name and password else None
    if result is not None and result.account is None and not result.disabled:
        throttle.failed(address)
    if result is None or result.account is None:
        if result is not None and result.disabled:
            message = ACCOUNT_DISABLED
        elif result is not None and result.locked_until is not None:
            until = result.locked_until.astimezone(BEIJING).strftime("%H:%M")
            message = f"连续输错次数过多，账号已锁定至 {until}，请稍后再试或联系管理员。"
        else:
            message = "用户名或密码不正确。"
        # anyone may type any name: keep the trail readable and its entries small
        shown = _audited_name(name)
        await db.accounts.audit(shown or "-", "console-login-failed", shown, now)
        context = {"next": target, "error": message, "name": name}
        return _login_page(request, context, status=401)
    sid, _csrf = await db.console_sessions.create(result.account.name, now, LIFETIME)
    await db.accounts.audit(result.account.name, "console-login", result.account.name, now)
    response = web.HTTPSeeOther(target)
    response.del_cookie(LOGIN_COOKIE, path="/console/login")
    response.set_cookie(
        COOKIE, sid, path="/console", httponly=True, samesite="Strict",
        secure=_secure(request),
    )  # fmt: skip
    raise response


AUDITED_NAME_CHARS = 64


def _audited_name(name: str) -> str:
    """A name typed at the login form, as the audit log keeps it: at most 64 characters
    (real account names have at most 32), a longer one cut and marked with "…"."""
    if len(name) <= AUDITED_NAME_CHARS:
        return name
    return name[: AUDITED_NAME_CHARS - 1] + "…"


@page(post=True)
async def logout(request: web.Request) -> web.StreamResponse:
    sid = request.cookies.get(COOKIE, "")
    await hotline_of(request).db.console_sessions.delete(sid)
    response = web.HTTPSeeOther("/console/login")
    response.del_cookie(COOKIE, path="/console")
    raise response
