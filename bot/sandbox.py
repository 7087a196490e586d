"""A built-in fake of the WeChat API, for development and tests.

Mounted under `/sandbox` when `wechat_api_base = "sandbox"`. It speaks the
real API's paths and error shapes, records every pushed message (so
`hotline chat` can show them), and can inject faults on demand:
`POST /sandbox/_control/faults {"api": "custom_send", "errcode": 45015, "times": 1}`.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.wechat_api import TEXT_LIMIT_BYTES
from store.sandbox import SandboxRecords

TOKEN_TTL = 7200
# errcodes answered as HTTP statuses instead of JSON bodies
HTTP_FAULTS = range(400, 600)

records_key = web.AppKey("sandbox_records", SandboxRecords)
credentials_key = web.AppKey("sandbox_credentials", tuple)


def _now() -> datetime:
    return datetime.now(UTC)


def _error(errcode: int, errmsg: str) -> web.Response:
    return web.json_response({"errcode": errcode, "errmsg": errmsg})


async def _fault(request: web.Request, api: str) -> web.Response | None:
    fault = await request.config_dict[records_key].take_fault(api)
    if fault is None:
        return None
    if fault.get("delay"):
        await asyncio.sleep(float(fault["delay"]))
    errcode = int(fault["errcode"])
    if errcode == 0:
        return None
    if errcode in HTTP_FAULTS:
        return web.Response(status=errcode, text="sandbox fault")
    return _error(errcode, f"sandbox fault {errcode}")


async def _authorised(request: web.Request) -> web.Response | None:
    token = request.query.get("access_token", "")
    if not token:
        return _error(41001, "access_token missing")
    if not await request.config_dict[records_key].token_valid(token, _now()):
        return _error(40001, "invalid credential, access_token is invalid or not latest")
    return None


# A \uXXXX escape in a request body: WeChat does not decode these, it shows them to
# the citizen as typed ("\u60a8\u597d"); the sandbox keeps them the same way.
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u")


async def _json_body(request: web.Request) -> dict[str, Any] | web.Response:
    try:
        body = json.loads(_ESCAPE.sub(r"\1\\\\u", await request.text()))
    except ValueError:
        return _error(47001, "data format error")
    if not isinstance(body, dict):
        return _error(47001, "data format error")
    return body


async def _issue(request: web.Request, appid: str, secret: str, api: str) -> web.Response:
    if fault := await _fault(request, api):
        return fault
    expected_appid, expected_secret = request.config_dict[credentials_key]
    if appid != expected_appid:
        return _error(40013, "invalid appid")
    if secret != expected_secret:
        return _error(40125, "invalid appsecret")
    token = await request.config_dict[records_key].issue_token(appid, _now(), TOKEN_TTL)
    return web.json_response({"access_token": token, "expires_in": TOKEN_TTL})


async def token(request: web.Request) -> web.Response:
    return await _issue(
        request, request.query.get("appid", ""), request.query.get("secret", ""), "token"
    )


async def stable_token(request: web.Request) -> web.Response:
    body = await _json_body(request)
    if isinstance(body, web.Response):
        return body
    return await _issue(
        request, str(body.get("appid", "")), str(body.get("secret", "")), "stable_token"
    )


def _recording(api: str, required: tuple[str, ...]):
    async def handler(request: web.Request) -> web.Response:
        if denied := await _authorised(request):
            return denied
        if fault := await _fault(request, api):
            return fault
        body = await _json_body(request)
        if isinstance(body, web.Response):
            return body
        missing = [name for name in required if not body.get(name)]
        if missing:
            return _error(44002, f"missing {', '.join(missing)}")
        if api == "custom_send" and body.get("msgtype") == "text":
            content = (body.get("text") or {}).get("content", "")
            if len(str(content).encode()) > TEXT_LIMIT_BYTES:
                return _error(45002, "content size out of limit")
        seq = await request.config_dict[records_key].record_message(api, body, _now())
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": seq})

    return handler


async def menu_create(request: web.Request) -> web.Response:
    if denied := await _authorised(request):
        return denied
    if fault := await _fault(request, "menu_create"):
        return fault
    body = await _json_body(request)
    if isinstance(body, web.Response):
        return body
    if not isinstance(body.get("button"), list) or not body["button"]:
        return _error(40016, "invalid button size")
    await request.config_dict[records_key].record_menu(body, _now())
    return web.json_response({"errcode": 0, "errmsg": "ok"})


async def media_get(request: web.Request) -> web.StreamResponse:
    if denied := await _authorised(request):
        return denied
    if fault := await _fault(request, "media_get"):
        return fault
    media = await request.config_dict[records_key].get_media(request.query.get("media_id", ""))
    if media is None:
        return _error(40007, "invalid media_id")
    return web.Response(body=media["content"], content_type=media["content_type"])


# control endpoints (sandbox only): used by `hotline chat` and the tests ----------
async def control_messages(request: web.Request) -> web.Response:
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        raise web.HTTPBadRequest(text="after must be a number") from None
    docs = await request.config_dict[records_key].messages(request.query.get("touser"), after)
    for doc in docs:
        doc["at"] = doc["at"].isoformat()
    return web.json_response({"messages": docs})


async def control_faults(request: web.Request) -> web.Response:
    records = request.config_dict[records_key]
    if request.method == "DELETE":
        await records.clear_faults()
        return web.json_response({"ok": True})
    body = await request.json()
    try:
        api = str(body["api"])
        errcode = int(body["errcode"])
        times = int(body.get("times", 1))
        delay = float(body.get("delay", 0))
    except (KeyError, TypeError, ValueError) as error:
        raise web.HTTPBadRequest(text=f"bad fault: {error}") from None
    await records.add_fault(api, errcode, times, delay=delay)
    return web.json_response({"ok": True})


async def control_media(request: web.Request) -> web.Response:
    content = await request.read()
    if not content:
        raise web.HTTPBadRequest(text="empty media")
    content_type = request.headers.get("Content-Type", "image/jpeg")
    media_id = await request.config_dict[records_key].put_media(content, content_type, _now())
    return web.json_response({"media_id": media_id})


async def control_state(request: web.Request) -> web.Response:
    records = request.config_dict[records_key]
    if request.method == "POST":
        await records.revoke_tokens()
    return web.json_response(
        {"token_calls": await records.counter("token_calls"), "menu": await records.menu()}
    )


def create_sandbox_app(appid: str, secret: str) -> web.Application:
    """The fake API; it finds its records under `records_key` on the parent app."""
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app[credentials_key] = (appid, secret)
    app.router.add_get("/cgi-bin/token", token)
    app.router.add_post("/cgi-bin/stable_token", stable_token)
    app.router.add_post(
        "/cgi-bin/message/custom/send", _recording("custom_send", ("touser", "msgtype"))
    )
    app.router.add_post(
        "/cgi-bin/message/template/send",
        _recording("template_send", ("touser", "template_id")),
    )
    app.router.add_post("/cgi-bin/menu/create", menu_create)
    app.router.add_get("/cgi-bin/media/get", media_get)
    app.router.add_get("/_control/messages", control_messages)
    app.router.add_route("*", "/_control/faults", control_faults)
    app.router.add_post("/_control/media", control_media)
    app.router.add_route("*", "/_control/state", control_state)
    return app
