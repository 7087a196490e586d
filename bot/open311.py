"""Open311 GeoReport v2: other channels (the phone system, a web form) file and
read complaints through the open standard.

Services are our categories; a request is a complaint like any other (channel
`open311`, no WeChat citizen behind it, so no pushes). Creating needs an
`api_key` (a staff account token). Reading is public and therefore shows no
personal data: no phone, no openid, and the description only to key holders.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.api_auth import TokenCache
from bot.app import hotline_of
from dialogs.extract import find_district
from models.accounts import Account
from models.complaint import Complaint, ComplaintStatus, Location
from models.departments import default_categories
from store.complaints import BEIJING

CLOSED = {ComplaintStatus.CLOSED, ComplaintStatus.WITHDRAWN}
open311_tokens_key = web.AppKey("open311_tokens", TokenCache)


def _error(status: int, description: str) -> web.Response:
    return web.json_response([{"code": status, "description": description}], status=status)


async def _account(request: web.Request, key: str) -> Account | None:
    if not key:
        return None
    cache = request.app[open311_tokens_key]
    account = cache.get(key)
    if account is None:
        account = await hotline_of(request).db.accounts.by_token(key)
        if account is not None:
            cache.put(key, account)
    return account


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(BEIJING).isoformat() if value else None


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


def _view(complaint: Complaint, with_description: bool) -> dict[str, Any]:
    codes = {c.name: c.code for c in default_categories()}
    updated = complaint.history[-1].at if complaint.history else complaint.created_at
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
        "address": complaint.location.text if with_description else complaint.location.district,
        "lat": complaint.location.lat,
        "long": complaint.location.lng,
    }
    if with_description:
        view["description"] = complaint.description
    return view


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
    return web.json_response([_view(Complaint.from_dict(d), account is not None) for d in docs])


async def get_request(request: web.Request) -> web.Response:
    doc = await hotline_of(request).db.complaints.get(request.match_info["id"])
    if doc is None:
        return _error(404, "no such service request")
    account = await _account(request, request.query.get("api_key", ""))
    return web.json_response([_view(Complaint.from_dict(doc), account is not None)])


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


async def create_request(request: web.Request) -> web.Response:
    form = await request.post()
    account = await _account(request, str(form.get("api_key", "")))
    if account is None:
        return _error(403, "a valid api_key is required to create requests")
    names = {c.code: c.name for c in default_categories()}
    code = str(form.get("service_code", ""))
    if code not in names:
        return _error(400, "service_code is required and must be one of services.json")
    description = str(form.get("description", "")).strip()
    if len(description) < 4:
        return _error(400, "description is required")
    lat, lng = _float(form.get("lat")), _float(form.get("long"))  # type: ignore[arg-type]
    address = str(form.get("address_string", "")).strip()
    if not address and (lat is None or lng is None):
        return _error(400, "a location is required: lat and long, or address_string")
    complaint = await hotline_of(request).complaints.register(
        source_key=f"open311:{uuid.uuid4().hex}",
        openid="",
        description=description[:2000],
        location=Location(address[:200], find_district(address), lat, lng),
        category=names[code],
        contact_phone=str(form.get("phone", "")).strip()[:30],
        channel="open311",
        actor=account.name,
    )
    return web.json_response(
        [
            {
                "service_request_id": complaint.no,
                "service_notice": f"已登记，答复期限 {_iso(complaint.due_at)}",
                "account_id": None,
            }
        ],
        status=201,
    )


def add_routes(app: web.Application) -> None:
    app[open311_tokens_key] = TokenCache()
    prefix = "/open311/v2"
    app.router.add_get(f"{prefix}/services.json", services)
    app.router.add_get(f"{prefix}/requests.json", list_requests)
    app.router.add_post(f"{prefix}/requests.json", create_request)
    app.router.add_get(f"{prefix}/requests/{{id}}.json", get_request)
