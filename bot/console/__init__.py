"""The staff web console under /console/: server-rendered Chinese pages
(aiohttp-jinja2), a login session per browser, and the statistics dashboard."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.console import admin, auth, complaints, dashboard, messages
from bot.console.auth import Handler, staff_key
from bot.console.layout import error_page, render
from models.accounts import Role
from store.complaints import BEIJING

STATIC = Path(__file__).parent / "static"

HOME = {Role.ADMIN: "/console/dashboard", Role.DISPATCHER: "/console/queue",
        Role.DEPARTMENT: "/console/complaints?status=dispatched,accepted"}  # fmt: skip


def beijing_time(value: str | datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(BEIJING).strftime(pattern)


@auth.page()
async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(HOME[request[staff_key].account.role])


async def _slash(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/console/")


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    if not request.path.startswith("/console/"):
        return
    # Pages carry personal data: never cached, never framed, scripts only from here.
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/console/static/"):
        response.headers.setdefault("Cache-Control", "no-store")


@web.middleware
async def _pages_not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A mistyped or stale console address gets a console page with a way back, not
    aiohttp's bare "404: Not Found" (our own 404 pages are HTML already)."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        if not request.path.startswith("/console/"):
            raise  # the API keeps its own (JSON) answer
        # a pasted document in a form: a console page in Chinese, not aiohttp's English
        await auth.recognise(request)
        context = {"title": messages.TOO_LARGE_TITLE, "message": messages.TOO_LARGE}
        return render("error.html", request, context, status=413)
    except web.HTTPNotFound as problem:
        if not request.path.startswith("/console/") or problem.content_type == "text/html":
            raise
        await auth.recognise(request)
        raise error_page(request, 404, messages.PAGE_NOT_FOUND) from None


def setup(app: web.Application) -> None:
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("bot.console", "templates"),
        autoescape=True,
    )
    env.filters["bj"] = beijing_time
    env.globals.update(
        urgency_labels=messages.URGENCY_LABELS,
        action_labels=messages.ACTION_LABELS,
        status_short=messages.STATUS_SHORT,
        channel_labels=messages.CHANNEL_LABELS,
        actor_labels=messages.ACTOR_LABELS,
        job_state_labels=messages.JOB_STATE_LABELS,
        job_stage=admin.job_stage,
        job_error=admin.job_error,
        job_not_activated=messages.JOB_NOT_ACTIVATED,
        model_creator=admin.model_creator,
        data_source=admin.data_source,
    )
    env.filters["pct"] = lambda v: "—" if v is None else f"{v:.1%}"
    app.router.add_get("/console", _slash)
    app.router.add_get("/console/", home)
    app.router.add_get("/console/login", auth.login_form)
    app.router.add_post("/console/login", auth.login)
    app.router.add_post("/console/logout", auth.logout)
    complaints.add_routes(app)
    admin.add_routes(app)
    dashboard.add_routes(app)
    app.router.add_static("/console/static/", STATIC)
    app.on_response_prepare.append(_headers)
    app.middlewares.append(_pages_not_found)
