"""The staff JSON API under /api/v1 (contract paths and field names)."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.api_auth import account_key, error, require
from bot.app import hotline_of
from bot.complaints import (
    ComplaintService,
    NotFound,
    PhoneRatingRefused,
    StaleDispatch,
    rating_event,
)
from bot.phone_survey import CallRefused, call_result, record_call
from bot.staff_actions import ACTIONS, ActionRefused, check
from models.accounts import Account, Role
from models.complaint import Complaint, ComplaintStatus, DomainError, mask_phone
from models.text import mask_personal_numbers
from store.complaints import TIME_FILTERS

STAFF = (Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT)
MAX_LIMIT = 200
MAX_OFFSET = 10**6  # deeper pages: narrow the filters instead
MAX_ROUND = 1000  # `round=` filter: a case reopened more often than this does not exist
# the list's `sort=` orders: a field, newest/latest first with a leading "-"
SORTS = ("-created_at", "created_at", "due_at", "-due_at")
AUDITED_QUERY_CHARS = 300  # of an admin's list query, as written to the audit log


def _service(request: web.Request) -> ComplaintService:
    return hotline_of(request).complaints


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


# Complaints whose `department` is only a suggestion: queued for dispatch (the model's
# suggestion, or a re-categorised one's), or withdrawn by the citizen while queued.
# The flag `department_assigned` (Complaint.held_by_department) and the list's
# `department=` filter say the same.
NEVER_HELD: list[dict[str, Any]] = [
    {"status": ComplaintStatus.SUBMITTED.value},
    {
        "status": ComplaintStatus.WITHDRAWN.value,
        "history": {
            "$elemMatch": {"action": "withdraw", "from_status": ComplaintStatus.SUBMITTED.value}
        },
    },
]


def complaint_view(complaint: Complaint, account: Account) -> dict[str, Any]:
    """The complaint as this account may see it: masked phone, no openid for non-admins;
    for department staff also phone and ID numbers masked in what the citizen (or a
    dispatcher's note) wrote: the description, the address, supplements and other
    history notes, the rating's comment. The department's own answers stay whole."""
    full = account.role is Role.ADMIN
    now = datetime.now(UTC)
    private = mask_personal_numbers if account.role is Role.DEPARTMENT else _as_written
    view: dict[str, Any] = {
        "no": complaint.no,
        "status": complaint.status.value,
        "status_label": complaint.status_label,
        "round": complaint.round,
        "kind": complaint.kind.value,
        "category": complaint.category,
        "category_confidence": complaint.category_confidence,
        "department": complaint.department,
        "department_name": complaint.department_name,
        "department_assigned": complaint.held_by_department,
        "description": private(complaint.description),
        "location": {**complaint.location.to_dict(), "text": private(complaint.location.text)},
        "contact_phone": complaint.contact_phone if full else mask_phone(complaint.contact_phone),
        "photos": [f"/api/v1/photos/{photo}" for photo in complaint.photos],
        "created_at": _iso(complaint.created_at),
        "due_at": _iso(complaint.due_at),
        "urgency": complaint.urgency,
        "overdue": complaint.past_due(now),
        "due_soon": complaint.near_due(now),
        "supervised": complaint.supervised,
        "channel": complaint.channel,
        "history": [
            {
                **event.to_dict(),
                "at": _iso(event.at),
                "reason": event.reason if event.action == "reply" else private(event.reason),
            }
            for event in complaint.history
        ],
        "replies": [{**reply, "at": _iso(reply.get("at"))} for reply in complaint.replies],
        "rating": None,
    }
    if complaint.rating:
        rating = complaint.rating.to_dict()
        view["rating"] = {**rating, "comment": private(rating.get("comment") or "")}
    if full:
        view["openid"] = complaint.openid
    return view


def _as_written(text: str) -> str:
    return text


async def body(request: web.Request, *required: str) -> dict[str, Any]:
    try:
        data = await request.json(loads=json.loads)
        # lone surrogates ("\ud800") parse but cannot be stored: refuse them here, not with a 500
        json.dumps(data, ensure_ascii=False).encode()
    except (ValueError, UnicodeError, RecursionError):
        raise web.HTTPBadRequest(
            text='{"error": "the body must be a JSON object"}', content_type="application/json"
        ) from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(
            text='{"error": "the body must be a JSON object"}', content_type="application/json"
        )
    for name in required:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise web.HTTPBadRequest(
                text=json.dumps({"error": f"'{name}' is required (non-empty text)"}),
                content_type="application/json",
            )
    return data


async def _readable(request: web.Request, no: str) -> Complaint:
    """The complaint if this account may see it; 404 otherwise (no hint it exists)."""
    try:
        return await _service(request).readable(request[account_key], no)
    except NotFound:
        raise web.HTTPNotFound(
            text=json.dumps({"error": f"no complaint {no}"}), content_type="application/json"
        ) from None


async def list_departments(request: web.Request) -> web.Response:
    require(request, *STAFF)
    return web.json_response(
        {
            "departments": [
                {"code": d.code, "name": d.name, "categories": list(d.categories)}
                for d in _service(request).departments
            ]
        }
    )


def _int(request: web.Request, name: str, default: int, minimum: int, maximum: int) -> int:
    """A whole-number query parameter within [minimum, maximum] (bot/openapi.py documents
    the same bounds); outside them a 400 with the reason, never a silent adjustment: a
    `limit=0` once reached the database as "no limit" and returned every complaint."""
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": f"{name} must be a whole number"}),
            content_type="application/json",
        ) from None
    if not minimum <= value <= maximum:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": f"{name} must be between {minimum} and {maximum}"}),
            content_type="application/json",
        )
    return value


def complaint_query(
    request: web.Request, account: Account, *, held: bool = False
) -> dict[str, Any]:
    """The list's filter from the query string. With `held` (the API's list),
    `department=CODE` means the complaints that department holds: those queued for
    dispatch under its name as a suggestion only when `status` asks for `submitted`."""
    query: dict[str, Any] = {}
    params = request.query
    statuses: list[str] = []
    if status := params.get("status"):
        statuses = status.split(",")
        valid = {s.value for s in ComplaintStatus}
        if not set(statuses) <= valid:
            raise web.HTTPBadRequest(
                text=json.dumps({"error": f"status must be one of {sorted(valid)}"}),
                content_type="application/json",
            )
        query["status"] = {"$in": statuses}
    for name in ("category", "department", "channel", "kind"):
        if value := params.get(name):
            query[name] = value
    if district := params.get("district"):
        query["location.district"] = district
    for flag, time_filter in TIME_FILTERS.items():
        if params.get(flag) in ("true", "1"):
            # past its limit reads as 超期 at once, not only after the next sweep
            query.setdefault("$and", []).append(time_filter(datetime.now(UTC)))
        elif params.get(flag) not in (None, "", "false", "0"):
            raise web.HTTPBadRequest(
                text=json.dumps({"error": f"{flag} must be true or false"}),
                content_type="application/json",
            )
    # supervised (督办: reopened after a 不满意): true only those, false only the others
    if params.get("supervised") in ("true", "1"):
        query["supervised"] = True
    elif params.get("supervised") in ("false", "0"):
        query["supervised"] = {"$ne": True}
    elif params.get("supervised") not in (None, ""):
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "supervised must be true or false"}),
            content_type="application/json",
        )
    if "round" in params:
        query["round"] = _int(request, "round", 1, 1, MAX_ROUND)
    if q := params.get("q", "").strip():
        query["$or"] = [
            {"description": {"$regex": re.escape(q)}},
            {"no": {"$regex": re.escape(q)}},
            {"location.text": {"$regex": re.escape(q)}},
        ]
    if openid := params.get("openid"):
        if account.role is not Role.ADMIN:
            raise web.HTTPForbidden(
                text='{"error": "only admins may filter by openid"}',
                content_type="application/json",
            )
        query["openid"] = openid
    if held and "department" in query and account.role is not Role.DEPARTMENT:
        never_held = NEVER_HELD
        if ComplaintStatus.SUBMITTED.value in statuses:
            never_held = NEVER_HELD[1:]  # a dispatcher's view of the queue by suggestion
        query.setdefault("$and", []).append({"$nor": never_held})
    if account.role is Role.DEPARTMENT:
        # its own dispatched complaints, whatever was asked (see Account.may_read)
        query["department"] = account.department
        query.setdefault("$and", []).append({"$nor": NEVER_HELD})
    return query


async def list_complaints(request: web.Request) -> web.Response:
    account = require(request, *STAFF)
    query = complaint_query(request, account, held=True)
    limit = _int(request, "limit", 50, 1, MAX_LIMIT)
    offset = _int(request, "offset", 0, 0, MAX_OFFSET)
    order = request.query.get("sort") or "-created_at"
    if order not in SORTS:
        return error(400, f"sort must be one of {', '.join(SORTS)}")
    db = _service(request).db
    docs = await db.complaints.find(
        query, limit=limit, skip=offset, sort=order.lstrip("-"), oldest_first=order[0] != "-"
    )
    total = await db.complaints.count(query)
    if account.role is Role.ADMIN:
        # an admin's list carries full phone numbers and openids: one entry per request,
        # saying which query and how many complaints it returned (README, roles)
        if openid := request.query.get("openid"):
            await db.accounts.audit(account.name, "list-by-openid", openid, datetime.now(UTC))
        else:
            await db.accounts.audit(account.name, "list-personal-data",
                                    f"{len(docs)}:{_audited_query(request)}",
                                    datetime.now(UTC))  # fmt: skip
    return web.json_response(
        {
            "total": total,
            "limit": limit,
            "offset": offset,
            "complaints": [complaint_view(Complaint.from_dict(d), account) for d in docs],
        }
    )


def _audited_query(request: web.Request) -> str:
    """The list's query as the audit log keeps it: parameters in a stable order, cut to
    a bounded length (anyone with an admin token could otherwise send megabytes)."""
    query = urlencode(sorted(request.query.items()), safe=",:")
    return query[:AUDITED_QUERY_CHARS]


async def get_complaint(request: web.Request) -> web.Response:
    account = require(request, *STAFF)
    complaint = await _readable(request, request.match_info["no"])
    view = complaint_view(complaint, account)
    db = _service(request).db
    if account.role is Role.ADMIN:
        await db.accounts.audit(account.name, "read-personal-data", complaint.no, datetime.now(UTC))
    pushes = await db.outbox.find(complaint_no=complaint.no)
    view["pushes"] = [
        {
            "key": p["dedupe_key"],
            "state": p["state"],
            "attempts": p.get("attempts", 0),
            "run_at": _iso(p.get("run_at")),
            "sent_at": _iso(p.get("sent_at")),
            "last_error": p.get("last_error", ""),
            "last_errcode": p.get("last_errcode"),
        }
        for p in pushes
    ]
    return web.json_response(view)


async def _act(request: web.Request, name: str) -> web.Response:
    """The staff actions (bot/staff_actions.py): role, then body, then the complaint."""
    no = request.match_info["no"]
    service = _service(request)
    account = require(request, *ACTIONS[name].roles)
    field = ACTIONS[name].field
    data = await body(request, field) if field else {}
    try:
        action, clean = check(service, account, name, data)
    except ActionRefused as refused:
        return error(refused.status, str(refused), refused.code, **refused.details)
    await _readable(request, no)
    try:
        complaint = await action.run(service, account, no, clean)
    except NotFound:
        return error(404, f"no complaint {no}")
    except StaleDispatch as stale:
        return error(409, str(stale), "stale_dispatch")
    except DomainError as problem:
        return error(409, str(problem))
    return web.json_response(complaint_view(complaint, account))


def _action(name: str):
    async def handler(request: web.Request) -> web.Response:
        return await _act(request, name)

    return handler


async def photo(request: web.Request) -> web.StreamResponse:
    account = require(request, *STAFF)
    stored = await _service(request).photo_for(account, request.match_info["id"])
    if stored is None:
        return error(404, "no such photo")
    return web.Response(body=stored.content, content_type=stored.content_type)


async def follow_ups(request: web.Request) -> web.Response:
    """Pushes WeChat would not deliver (e.g. outside the 48-hour window): call the citizen."""
    account = require(request, Role.ADMIN, Role.DISPATCHER)
    return web.json_response({"follow_ups": await _service(request).follow_ups(account.name)})


async def rate_follow_up(request: web.Request) -> web.Response:
    """A phone follow-up call's result (电话回访), as the console's 电话回访 page takes it
    (bot/phone_survey.py holds the rules for both): the citizen's verdict, rated as a
    chat rating is (不满意 reopens), or `unreached`. Once per round: a second submission
    is a 409 naming who rated it."""
    account = require(request, Role.ADMIN, Role.DISPATCHER)
    key = request.match_info["key"]
    data = await body(request)
    given = {name: data[name] for name in ("outcome", "satisfaction", "note") if name in data}
    if not all(isinstance(value, str) for value in given.values()):
        return error(400, "'outcome', 'satisfaction' and 'note' must be text when given")
    try:
        result = call_result(given.get("outcome"), given.get("satisfaction"),
                             given.get("note", ""), verdict_required=True)  # fmt: skip
        complaint = await record_call(_service(request), key, result, account.name)
    except CallRefused as refused:
        return error(400, str(refused), refused.code)
    except NotFound:
        return error(404, f"no follow-up {key} waiting for a call")
    except PhoneRatingRefused as refused:
        return _rating_refused(refused)
    if complaint is None:  # only the attempt was recorded: the complaint as it is now
        items = await _service(request).db.outbox.find(dedupe_key=key)
        no = items[0].get("complaint_no", "") if items else ""
        with contextlib.suppress(NotFound):
            complaint = await _service(request).readable(account, no) if no else None
    return web.json_response({
        "key": key,
        "recorded": "rating" if result.rates else "unreached",
        "complaint": complaint_view(complaint, account) if complaint else None,
    })  # fmt: skip


def _rating_refused(refused: PhoneRatingRefused) -> web.Response:
    """409: who rated the round and when (the citizen in chat: `citizen`), or that the
    complaint waits for no rating of it."""
    event = rating_event(refused.complaint, refused.round)
    if refused.rating is None or event is None:
        return error(409, str(refused), "not_ratable")
    said = refused.rating.satisfaction.value
    return error(409, str(refused), "already_rated", rated_by=refused.by,
                 rated_at=_iso(event.at), satisfaction=said)  # fmt: skip


NOTIFICATION_KINDS = ("due_soon", "overdue")


async def notifications(request: web.Request) -> web.Response:
    """Time-limit warnings: what is about to pass and what has passed, newest first, a
    page at a time. Department staff read those about the complaints their department
    holds now (as its list shows them), whoever held them when they were written."""
    account = require(request, *STAFF)
    limit = _int(request, "limit", 100, 1, MAX_LIMIT)
    offset = _int(request, "offset", 0, 0, MAX_OFFSET)
    kind = request.query.get("kind")
    if kind is not None and kind not in NOTIFICATION_KINDS:
        return error(400, f"kind must be one of {', '.join(NOTIFICATION_KINDS)}")
    service = _service(request)
    nos = None
    if account.role is Role.DEPARTMENT:
        # the warnings are about cases still in hand: reading only those keeps the
        # list the size of the department's open work, not of everything it ever held
        in_hand = [ComplaintStatus.DISPATCHED.value, ComplaintStatus.ACCEPTED.value]
        held = {"department": account.department, "status": {"$in": in_hand}}
        nos = await service.db.complaints.numbers(held)
    items = await service.notifications(limit, skip=offset, kind=kind, nos=nos)
    total = await service.count_notifications(kind=kind, nos=nos)
    for item in items:
        item["id"] = item.pop("_id")
        item["at"], item["due_at"] = _iso(item["at"]), _iso(item["due_at"])
    return web.json_response(
        {"total": total, "limit": limit, "offset": offset, "notifications": items}
    )


def add_routes(app: web.Application) -> None:
    prefix = "/api/v1"
    app.router.add_get(f"{prefix}/departments", list_departments)
    app.router.add_get(f"{prefix}/complaints", list_complaints)
    app.router.add_get(f"{prefix}/complaints/{{no}}", get_complaint)
    for action in ("dispatch", "accept", "reply", "ask", "transfer", "category", "urgency"):
        app.router.add_post(f"{prefix}/complaints/{{no}}/{action}", _action(action))
    app.router.add_get(f"{prefix}/photos/{{id}}", photo)
    app.router.add_get(f"{prefix}/follow-ups", follow_ups)
    app.router.add_post(f"{prefix}/follow-ups/{{key}}/rating", rate_follow_up)
    app.router.add_get(f"{prefix}/notifications", notifications)
