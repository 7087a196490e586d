"""Open311 GeoReport v2: other channels (the phone system, a web form) file and
read complaints through the open standard.

Services are our categories; a request is a complaint like any other (channel
`open311`, no WeChat citizen behind it, so no pushes). Creating needs the
`api_key` of a dispatcher or admin account (intake channels get a dispatcher
key). GeoReport has no way to make a POST safe to retry, so a client may send an
`Idempotency-Key` header: a repeat with the same key from the same account answers
with the complaint the first one registered (200) instead of filing it twice.

Reading is public and therefore shows no personal data: no phone, no openid, no
description, answer or street address, and the position only to about 100 m. An
`api_key` unlocks the full view (description, street address, exact position, and in
`status_notes` the department's answer once it has answered) of
exactly the complaints its account may read in the JSON API (`Account.may_read`):
all of them for dispatchers and admins, a department's own dispatched complaints
for a department's key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import uuid
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.api_auth import Throttled, TokenCache, authenticate
from bot.app import hotline_of
from bot.sign_in_throttle import throttle_key
from dialogs.extract import find_district
from models.accounts import Account, Role
from models.complaint import Complaint, ComplaintStatus, Location
from models.departments import default_categories
from models.text import mask_personal_numbers
from store.complaints import BEIJING
from store.locks import LockTimeout

CLOSED = {ComplaintStatus.CLOSED, ComplaintStatus.WITHDRAWN}
# Public positions are rounded to 3 decimals (about 110 m north-south, 85 m east-west in
# Beijing): enough to map a pothole, not enough to find the citizen's flat when the
# complaint is about the noise next door.
PUBLIC_DECIMALS = 3
open311_tokens_key = web.AppKey("open311_tokens", TokenCache)

# Registering takes well under a second; the lease only matters if an instance dies
# holding it, and a retry should then wait less than a client's own timeout.
REGISTER_LEASE = timedelta(seconds=30)
REGISTER_WAIT = 20.0


def _error(status: int, description: str) -> web.Response:
    return web.json_response([{"code": status, "description": description}], status=status)


async def _account(request: web.Request, key: str) -> Account | None:
    if not key:
        return None
    accounts, cache = hotline_of(request).db.accounts, request.app[open311_tokens_key]
    try:
        return await authenticate(request, key, accounts, cache, request.app[throttle_key])
    except Throttled as throttled:
        problem = f"too many invalid keys from this address; retry in {throttled.wait} s"
        raise web.HTTPTooManyRequests(
            text=json.dumps([{"code": 429, "description": problem}]),
            content_type="application/json",
            headers={"Retry-After": str(throttled.wait)},
        ) from None


def _iso(value: datetime | None) -> str | None:
    # whole seconds: the database keeps milliseconds, so a replayed answer must not differ
    return value.astimezone(BEIJING).isoformat(timespec="seconds") if value else None


async def services(request: web.Request) -> web.Response:
    hotline = hotline_of(request)
    rows = []
    for category in default_categories():
        department = next(
            (d for d in hotline.complaints.departments if category.name in d.categories), None
        )
        rows.append(
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": f"{category.name}类诉求",
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": department.name if department else "",
            }
        )
    return web.json_response(rows)


def _may_read(account: Account | None, complaint: Complaint) -> bool:
    """Whether this key gets the full view: the JSON API's read rule, nothing looser."""
    return account is not None and account.may_read(complaint)


def _rounded(value: float | None) -> float | None:
    return round(value, PUBLIC_DECIMALS) if value is not None else None


def _view(complaint: Complaint, full: bool, account: Account | None = None) -> dict[str, Any]:
    """The service request; `full` adds the description, the street address and the
    exact position, otherwise it is the public view (district, rounded position). A
    department's key reads phone and ID numbers in them masked, as in the JSON API."""
    codes = {c.name: c.code for c in default_categories()}
    department = account is not None and account.role is Role.DEPARTMENT
    private = mask_personal_numbers if department else str
    updated = complaint.history[-1].at if complaint.history else complaint.created_at
    location = complaint.location
    view = {
        "service_request_id": complaint.no,
        "status": "closed" if complaint.status in CLOSED else "open",
        "status_notes": complaint.status_label,
        "service_name": complaint.category,
        "service_code": codes.get(complaint.category, ""),
        "agency_responsible": complaint.department_name,
        "requested_datetime": _iso(complaint.created_at),
        "updated_datetime": _iso(updated),
        "expected_datetime": _iso(complaint.due_at),
        "address": private(location.text) if full else location.district,
        "lat": location.lat if full else _rounded(location.lat),
        "long": location.lng if full else _rounded(location.lng),
    }
    if full:
        view["description"] = private(complaint.description)
        if answer := _answer(complaint):
            # GeoReport's "more details on the current status": what the department
            # answered, so the intake system can tell a citizen who has no WeChat
            view["status_notes"] = f"{complaint.status_label}：{answer}"
    return view


def _answer(complaint: Complaint) -> str:
    """The department's answer in the current round, once it has answered."""
    if complaint.status not in (ComplaintStatus.REPLIED, ComplaintStatus.CLOSED):
        return ""
    answers = [r for r in complaint.replies if r.get("round") == complaint.round]
    return str(answers[-1].get("text", "")) if answers else ""


async def list_requests(request: web.Request) -> web.Response:
    query: dict[str, Any] = {}
    params = request.query
    if ids := params.get("service_request_id"):
        query["no"] = {"$in": ids.split(",")}
    if code := params.get("service_code"):
        names = {c.code: c.name for c in default_categories()}
        if code not in names:
            return _error(400, f"unknown service_code {code}")
        query["category"] = names[code]
    if status := params.get("status"):
        closed = [s.value for s in CLOSED]
        if status not in ("open", "closed"):
            return _error(400, "status must be open or closed")
        query["status"] = {"$in" if status == "closed" else "$nin": closed}
    account = await _account(request, params.get("api_key", ""))
    docs = await hotline_of(request).db.complaints.find(query, limit=200)
    complaints = [Complaint.from_dict(d) for d in docs]
    # A key lists every request, like the public does, but sees the full view only of
    # those its account may read; the rest are in the public view (hiding them would
    # make the keyed list shorter than the keyless one, and tell the key nothing new).
    return web.json_response([_view(c, _may_read(account, c), account) for c in complaints])


async def get_request(request: web.Request) -> web.Response:
    doc = await hotline_of(request).db.complaints.get(request.match_info["id"])
    if doc is None:
        return _error(404, "no such service request")
    account = await _account(request, request.query.get("api_key", ""))
    complaint = Complaint.from_dict(doc)
    # Like the list: the public view, not a 404, for a complaint the key may not read.
    # Anyone may see that request without a key, so a 404 would hide nothing (the JSON
    # API's 404 is about not revealing a ticket's existence, which Open311 makes public).
    return web.json_response([_view(complaint, _may_read(account, complaint), account)])


def _coordinate(form: Any, name: str, bound: float) -> float | None:
    """A lat or long from the form: None when absent; ValueError with the reason when
    it is not a finite number within +-bound degrees."""
    raw = str(form.get(name, "")).strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of degrees, got {raw[:40]!r}") from None
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise ValueError(f"{name} must be between {-bound:g} and {bound:g} degrees, got {raw[:40]}")
    return value


async def create_request(request: web.Request) -> web.Response:
    form = await request.post()
    account = await _account(request, str(form.get("api_key", "")))
    if account is None:
        return _error(403, "a valid api_key is required to create requests")
    if not account.sees_everything:
        # Filing is intake, the dispatchers' work: a department's key would otherwise
        # file complaints that are then dispatched to other departments in its name.
        return _error(403, "only dispatcher and admin keys may create requests")
    names = {c.code: c.name for c in default_categories()}
    code = str(form.get("service_code", ""))
    if code not in names:
        return _error(400, "service_code is required and must be one of services.json")
    description = str(form.get("description", "")).strip()
    if len(description) < 4:
        return _error(400, "description is required (at least 4 characters)")
    try:
        lat, lng = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
    except ValueError as problem:
        return _error(400, str(problem))
    if (lat is None) != (lng is None):
        return _error(400, "lat and long must be given together")
    address = str(form.get("address_string", "")).strip()
    if not address and (lat is None or lng is None):
        return _error(400, "a location is required: lat and long, or address_string")
    hotline = hotline_of(request)
    idempotency_key = request.headers.get("Idempotency-Key", "")
    source_key = _source_key(account, idempotency_key)
    # Retries with one key often arrive together (a client's timeout fires while the
    # first is still running). Without the lock both would draw a ticket number and
    # the loser's number would be a gap in the day's sequence, on any instance. A
    # request without a key gets a fresh one: nothing can collide, no lock needed.
    guard = (
        hotline.db.locks.hold(f"open311:{source_key}", lease=REGISTER_LEASE, wait=REGISTER_WAIT)
        if idempotency_key.strip()
        else contextlib.nullcontext()
    )
    try:
        async with guard:
            if (earlier := await hotline.db.complaints.find_by_source(source_key)) is not None:
                return web.json_response([_created(Complaint.from_dict(earlier))], status=200)
            complaint = await hotline.complaints.register(
                source_key=source_key,
                openid="",
                description=description[:2000],
                location=Location(address[:200], find_district(address), lat, lng),
                category=names[code],
                contact_phone=str(form.get("phone", "")).strip()[:30],
                channel="open311",
                actor=account.name,
            )
    except LockTimeout:
        return _error(503, "a request with this Idempotency-Key is still being filed; retry")
    return web.json_response([_created(complaint)], status=201)


def _source_key(account: Account, idempotency_key: str) -> str:
    """Scoped to the account, so one client's keys never collide with another's."""
    key = idempotency_key.strip()
    if not key:
        return f"open311:{uuid.uuid4().hex}"
    digest = hashlib.sha256(f"{account.name}\0{key}".encode()).hexdigest()[:32]
    return f"open311:key:{digest}"


def _created(complaint: Complaint) -> dict[str, Any]:
    return {
        "service_request_id": complaint.no,
        "service_notice": f"已登记，答复期限 {_iso(complaint.due_at)}",
        "account_id": None,
    }


def add_routes(app: web.Application) -> None:
    app[open311_tokens_key] = TokenCache()
    prefix = "/open311/v2"
    app.router.add_get(f"{prefix}/services.json", services)
    app.router.add_get(f"{prefix}/requests.json", list_requests)
    app.router.add_post(f"{prefix}/requests.json", create_request)
    app.router.add_get(f"{prefix}/requests/{{id}}.json", get_request)
