"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Every operation lists exactly the status codes it can answer, and its roles in
`x-roles` (tests/bot/test_openapi_conformance.py holds the app to both: it runs
schemathesis against the running app and checks 401/403 for every operation).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from models.complaint import ComplaintStatus, Satisfaction
from models.departments import DEFAULT_CATEGORIES, default_departments
from models.sla import Urgency
from models.text import LETTER, MIN_LETTERS

ALL = ("admin", "dispatcher", "department")
DISPATCHERS = ("admin", "dispatcher")
HANDLERS = ("admin", "department")
ADMIN = ("admin",)

_REASONS = {
    "400": "Malformed request",
    "401": "No or unknown bearer token",
    "403": "This role may not do this",
    "404": "No such thing, or not visible to this account",
    "409": "Not allowed in the complaint's current state",
    "503": "No active category model yet",
}
TEXT = {"type": "string", "pattern": r"\S"}  # non-blank: surrounding blanks are stripped
# an answer or a reason: at least MIN_LETTERS letters (models.text), not only punctuation
WRITTEN = {
    "type": "string",
    "pattern": r"[\s\S]*".join([LETTER] * MIN_LETTERS),
    "description": f"at least {MIN_LETTERS} letters or Chinese characters (400 no_content)",
}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
TIME = {"type": "string", "format": "date-time"}
FLAG = {"enum": ["true", "1", "false", "0", ""]}  # false, 0 and empty: no filter (HTML forms)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(required: list[str], properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, **extra}


def _op(
    summary: str,
    roles: tuple[str, ...],
    ok: Any,
    errors: str,
    *,
    body: dict[str, Any] | None = None,
    body_required: bool = True,
    params: list[dict[str, Any]] | None = None,
    status: str = "200",
    media_type: str = "application/json",
) -> dict[str, Any]:
    """One operation; `errors` lists its error statuses, e.g. "401 403 404"."""
    responses: dict[str, Any] = {
        status: {"description": "OK", "content": {media_type: {"schema": ok}}}
    }
    for code in errors.split():
        responses[code] = {
            "description": _REASONS[code],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    operation: dict[str, Any] = {
        "summary": f"{summary} ({', '.join(roles)})",
        "x-roles": list(roles),
        "parameters": params or [],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


def _schemas() -> dict[str, Any]:
    string = {"type": "string"}
    return {
        "Error": _obj(
            ["error"],
            {
                "error": string,
                "code": {
                    "description": "a stable name for the problem",
                    "enum": [
                        "reply_too_long",
                        "question_too_long",
                        "bad_attachments",
                        "stale_dispatch",
                        "reason_too_long",
                        "no_content",
                        "quality_drop",
                        "bad_value",
                        "unreached_rated",
                        "rating_incomplete",
                        "not_a_survey",
                        "already_rated",
                        "not_ratable",
                    ],
                },
                "excess_chars": {
                    "type": "integer",
                    "description": "with reply_too_long, question_too_long and reason_too_long",
                },
                "max_chars": {"type": "integer", "description": "with reason_too_long"},
                "min_letters": {
                    "type": "integer",
                    "description": "with no_content: the letters or Chinese characters needed",
                },
                "macro_f1": {
                    "type": "number",
                    "description": "with quality_drop: the refused version's CV macro-F1",
                },
                "active": {"type": "string", "description": "with quality_drop"},
                "active_macro_f1": {"type": "number", "description": "with quality_drop"},
                "rated_by": {
                    "type": "string",
                    "description": "with already_rated: the staff account whose call rated "
                    "the round, or `citizen` (in chat)",
                },
                "rated_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "with already_rated",
                },
                "satisfaction": {
                    "enum": [s.value for s in Satisfaction],
                    "description": "with already_rated: the verdict recorded",
                },
            },
        ),
        "Location": _obj(
            ["text", "district"],
            {
                "text": string,
                "district": string,
                "lat": {"type": "number"},
                "lng": {"type": "number"},
            },
        ),
        "HistoryEvent": _obj(
            ["at", "actor", "action", "from_status", "to_status", "reason"],
            {
                "at": NULLABLE_TIME,
                "actor": string,
                "action": string,
                "from_status": string,
                "to_status": string,
                "reason": string,
                "department": {
                    "type": "string",
                    "description": "dispatch: the department code it was sent to; transfer: "
                    "the department code that handed it back. Absent on other events and "
                    "on records made before it was kept",
                },
            },
        ),
        "Attachment": _obj(["name", "url"], {"name": string, "url": string}),
        "Reply": _obj(
            ["round", "text", "by", "at"],
            {
                "round": {"type": "integer"},
                "text": string,
                "by": string,
                "at": NULLABLE_TIME,
                "attachments": {"type": "array", "items": _ref("Attachment")},
            },
        ),
        "Rating": _obj(
            ["satisfaction", "solved", "comment", "round"],
            {
                "satisfaction": {"enum": [s.value for s in Satisfaction]},
                "solved": {"type": ["boolean", "null"]},
                "comment": string,
                "round": {"type": "integer"},
                "channel": {
                    "enum": ["phone"],
                    "description": "only on a rating staff took down on a phone survey "
                    "call (absent: the citizen's own, in chat)",
                },
                "by": {"type": "string", "description": "the staff account that took it down"},
            },
        ),
        "Push": _obj(
            ["key", "state", "attempts", "run_at", "sent_at", "last_error"],
            {
                "key": string,
                "state": string,
                "attempts": {"type": "integer"},
                "run_at": NULLABLE_TIME,
                "sent_at": NULLABLE_TIME,
                "last_error": string,
                "last_errcode": {"type": ["integer", "null"]},
            },
        ),
        "Complaint": _obj(
            [
                "no",
                "status",
                "status_label",
                "round",
                "kind",
                "category",
                "category_confidence",
                "department",
                "department_name",
                "department_assigned",
                "description",
                "location",
                "contact_phone",
                "photos",
                "created_at",
                "due_at",
                "urgency",
                "overdue",
                "due_soon",
                "supervised",
                "channel",
                "history",
                "replies",
                "rating",
            ],
            {
                "no": {"type": "string", "description": "the ticket number the citizen sees"},
                "status": {"enum": [s.value for s in ComplaintStatus]},
                "status_label": string,
                "round": {"type": "integer", "minimum": 1},
                "kind": {"enum": ["complaint", "consultation"]},
                "category": string,
                "category_confidence": {"type": ["number", "null"]},
                "department": {
                    "type": "string",
                    "description": "department code: the department holding the complaint "
                    "when `department_assigned`, otherwise only the suggested one (the "
                    "model's, while it waits in the dispatch queue) or empty (handed back)",
                },
                "department_name": string,
                "department_assigned": {
                    "type": "boolean",
                    "description": "true once dispatched: `department` holds it; false while "
                    "it waits in the dispatch queue (status `submitted`) or when withdrawn "
                    "from there, when `department` is only a suggestion",
                },
                "description": string,
                "location": _ref("Location"),
                "contact_phone": {"type": "string", "description": "masked except for admins"},
                "photos": {
                    "type": "array",
                    "items": {"type": "string", "description": "URL of GET /api/v1/photos/{id}"},
                },
                "created_at": TIME,
                "due_at": TIME,
                "urgency": {"enum": [u.value for u in Urgency]},
                "overdue": {
                    "type": "boolean",
                    "description": "超期: still in work (submitted, dispatched, accepted) "
                    "with `due_at` passed, or flagged when it passed; as the `overdue` "
                    "filter selects",
                },
                "due_soon": {
                    "type": "boolean",
                    "description": "临期: warned as close to its time limit and not "
                    "`overdue` (never both); as the `due_soon` filter selects",
                },
                "supervised": {"type": "boolean"},
                "channel": string,
                "history": {"type": "array", "items": _ref("HistoryEvent")},
                "replies": {"type": "array", "items": _ref("Reply")},
                "rating": {"oneOf": [_ref("Rating"), {"type": "null"}]},
                "openid": {"type": "string", "description": "admins only (audited)"},
                "pushes": {
                    "type": "array",
                    "items": _ref("Push"),
                    "description": "single complaint only",
                },
            },
        ),
        "ComplaintDetail": {
            "allOf": [_ref("Complaint"), {"type": "object", "required": ["pushes"]}]
        },
        "ComplaintList": _obj(
            ["total", "limit", "offset", "complaints"],
            {
                "total": {"type": "integer"},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "complaints": {"type": "array", "items": _ref("Complaint")},
            },
        ),
        "Departments": _obj(
            ["departments"],
            {
                "departments": {
                    "type": "array",
                    "items": _obj(
                        ["code", "name", "categories"],
                        {
                            "code": string,
                            "name": string,
                            "categories": {"type": "array", "items": string},
                        },
                    ),
                }
            },
        ),
        "FollowUps": _obj(
            ["follow_ups"],
            {
                "follow_ups": {
                    "type": "array",
                    "items": _obj(
                        ["key", "complaint", "text", "contact_phone", "last_error"],
                        {
                            "key": string,
                            "complaint": string,
                            "text": string,
                            "contact_phone": {
                                "type": "string",
                                "description": "unmasked: to call back",
                            },
                            "last_error": string,
                            "channel": {
                                "enum": ["wechat", "phone"],
                                "description": "phone: a complaint with no WeChat citizen "
                                "(Open311, the phone line), always a call",
                            },
                            "ratable": {
                                "type": "boolean",
                                "description": "an answer or survey whose round waits for "
                                "a rating: the call may take the citizen's verdict "
                                "(POST /api/v1/follow-ups/{key}/rating, or the console's "
                                "电话回访 page)",
                            },
                        },
                    ),
                }
            },
        ),
        "PhoneRating": _obj(
            ["key", "recorded", "complaint"],
            {
                "key": string,
                "recorded": {
                    "enum": ["rating", "unreached"],
                    "description": "rating: the verdict rated the round (`complaint` "
                    "closed, or reopened for its department after 不满意 or unsolved); "
                    "unreached: only the attempt, the item left the list",
                },
                "complaint": {
                    "oneOf": [_ref("Complaint"), {"type": "null"}],
                    "description": "the complaint after the call (null: the item is about "
                    "no complaint)",
                },
            },
        ),
        "Notifications": _obj(
            ["total", "limit", "offset", "notifications"],
            {
                "total": {"type": "integer", "minimum": 0},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "notifications": {
                    "type": "array",
                    "items": _obj(
                        ["id", "kind", "no", "department", "due_at", "at"],
                        {
                            "id": string,
                            "kind": {"enum": ["due_soon", "overdue"]},
                            "no": string,
                            "department": string,
                            "due_at": NULLABLE_TIME,
                            "at": NULLABLE_TIME,
                        },
                    ),
                },
            },
        ),
        "Explanation": _obj(
            ["no", "model", "category", "prediction", "words"],
            {
                "no": string,
                "model": {"type": ["string", "null"]},
                "category": string,
                "prediction": _obj(
                    ["category", "confidence", "top", "uncertain"],
                    {
                        "category": string,
                        "confidence": {"type": "number"},
                        "top": {
                            "type": "array",
                            "items": _obj(
                                ["category", "confidence"],
                                {"category": string, "confidence": {"type": "number"}},
                            ),
                        },
                        "uncertain": {"type": "boolean"},
                    },
                ),
                "words": {
                    "type": "array",
                    "items": _obj(
                        ["word", "weight"], {"word": string, "weight": {"type": "number"}}
                    ),
                },
            },
        ),
        "Models": _obj(
            ["active", "models"],
            {
                "active": {"type": ["string", "null"]},
                "models": {
                    "type": "array",
                    "items": _obj(
                        ["version", "created_at", "created_by", "metrics", "data", "size"],
                        {
                            "version": string,
                            "created_at": TIME,
                            "created_by": string,
                            "metrics": {"type": "object"},
                            "data": {
                                "type": "object",
                                "description": "training data summary; `source` names "
                                "files only (joined by +), never server paths",
                            },
                            "size": {"type": "integer"},
                        },
                    ),
                },
            },
        ),
        "TrainingJob": _obj(
            ["job", "state", "progress", "stage"],
            {
                "job": string,
                "state": {"enum": ["queued", "running", "done", "failed"]},
                "progress": {"type": "number"},
                "stage": string,
                "by": string,
                "started_at": TIME,
                "finished_at": TIME,
                "version": string,
                "macro_f1": {"type": "number"},
                "corrections": {"type": "integer", "minimum": 0},
                "owner": {"type": "string", "description": "host:pid of the instance running it"},
                "heartbeat_at": TIME,
                "error": {
                    "type": "string",
                    "description": "`interrupted`: its instance stopped renewing the job",
                },
                "activation_error": {
                    "type": "string",
                    "description": "trained with activate but not activated: why",
                },
            },
        ),
        "Active": _obj(
            ["active", "changed"],
            {
                "active": string,
                "changed": {"type": "boolean", "description": "false: it was already active"},
            },
        ),
    }


def document() -> dict[str, Any]:
    codes = [d.code for d in default_departments()]
    no = [_path("no")]
    listing = [
        _query(
            "status",
            {"type": "array", "items": {"enum": [s.value for s in ComplaintStatus]}},
            "one or more statuses, comma-separated",
        ),
        _query("category", {"type": "string"}),
        _query(
            "department",
            {"type": "string"},
            "department code: the complaints that department holds (`department_assigned`); "
            "with `status` including `submitted`, also those waiting in the dispatch queue "
            "with it as the suggested department (department staff: always their own)",
        ),
        _query("district", {"type": "string"}),
        _query("channel", {"type": "string"}),
        _query("kind", {"type": "string"}),
        _query("q", {"type": "string"}, "text in the description, number or place"),
        _query("openid", {"type": "string"}, "admins only (audited)"),
        _query(
            "overdue",
            FLAG,
            "true: only those past their time limit (in work with `due_at` passed, at once, "
            "or flagged when it passed)",
        ),
        _query("due_soon", FLAG, "true: only those close to their time limit, not yet past it"),
        _query(
            "supervised",
            FLAG,
            "true: only supervised (督办: reopened after an unsatisfied rating); "
            "false: only the others",
        ),
        _query(
            "round",
            {"type": "integer", "minimum": 1, "maximum": 1000},
            "only complaints in this round (1, +1 on each reopening)",
        ),
        _query(
            "sort",
            {"enum": ["-created_at", "created_at", "due_at", "-due_at"], "default": "-created_at"},
            "order: `-created_at` newest registered first (default), `created_at` oldest "
            "first, `due_at` nearest time limit first, `-due_at` latest limit first; "
            "another value is a 400",
        ),
        _query(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
            "page size, 1 to 200 (default 50); outside that a 400",
        ),
        _query(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 0},
            "complaints to skip, 0 to 1000000; outside that a 400",
        ),
    ]
    listing[0].update(style="form", explode=False)
    complaint, detail = _ref("Complaint"), _ref("ComplaintDetail")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "12345 hotline API",
            "version": "1.0.0",
            "description": "Staff API: `Authorization: Bearer <token>` (`hotline account "
            "create`). Each operation's roles are in its summary and in `x-roles`.",
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/departments": {
                "get": _op("Departments and their categories", ALL, _ref("Departments"), "401")
            },
            "/api/v1/complaints": {
                "get": _op(
                    "List complaints (department staff: their own only)",
                    ALL,
                    _ref("ComplaintList"),
                    "400 401 403",
                    params=listing,
                )
            },
            "/api/v1/complaints/{no}": {
                "get": _op("One complaint with its pushes", ALL, detail, "401 404", params=no)
            },
            "/api/v1/complaints/{no}/dispatch": {
                "post": _op(
                    "Dispatch to a department",
                    DISPATCHERS,
                    complaint,
                    "400 401 403 404 409",
                    params=no,
                    body=_obj(
                        ["department"],
                        {
                            "department": {"enum": codes},
                            "reason": {"type": "string"},
                            "seen": {
                                "type": "string",
                                "description": "status:department as last seen (department "
                                "empty while queued); 409 when it changed since",
                            },
                        },
                    ),
                )
            },
            "/api/v1/complaints/{no}/accept": {
                "post": _op("Accept", HANDLERS, complaint, "401 403 404 409", params=no)
            },
            "/api/v1/complaints/{no}/reply": {
                "post": _op(
                    "Reply to the citizen",
                    HANDLERS,
                    complaint,
                    "400 401 403 404 409",
                    params=no,
                    body=_obj(
                        ["text"],
                        {
                            "text": WRITTEN,
                            "attachments": {
                                "type": "array",
                                "maxItems": 9,
                                "items": _obj(
                                    ["name", "url"],
                                    {
                                        "name": TEXT,
                                        "url": {"type": "string", "pattern": "^https?://"},
                                    },
                                ),
                            },
                        },
                    ),
                )
            },
            "/api/v1/complaints/{no}/ask": {
                "post": _op(
                    "Ask the citizen a question or for more material (pushed; the answer "
                    "comes back as a supplement; no status change, the time limit keeps "
                    "running; a dispatched complaint is accepted first; the same question "
                    "again with nothing in between changes nothing and is not pushed again)",
                    HANDLERS,
                    complaint,
                    "400 401 403 404 409",
                    params=no,
                    body=_obj(["text"], {"text": WRITTEN}),
                )
            },
            "/api/v1/complaints/{no}/transfer": {
                "post": _op(
                    "Hand back to the dispatch queue",
                    HANDLERS,
                    complaint,
                    "400 401 403 404 409",
                    params=no,
                    body=_obj(["reason"], {"reason": WRITTEN}),
                )
            },
            "/api/v1/complaints/{no}/category": {
                "post": _op(
                    "Change the category (kept as a model correction)",
                    DISPATCHERS,
                    complaint,
                    "400 401 403 404 409",
                    params=no,
                    body=_obj(["category"], {"category": {"enum": list(DEFAULT_CATEGORIES)}}),
                )
            },
            "/api/v1/complaints/{no}/urgency": {
                "post": _op(
                    "Change urgency and so the time limit",
                    DISPATCHERS,
                    complaint,
                    "400 401 403 404 409",
                    params=no,
                    body=_obj(["urgency"], {"urgency": {"enum": [u.value for u in Urgency]}}),
                )
            },
            "/api/v1/complaints/{no}/explain": {
                "get": _op(
                    "Why the model suggested the category",
                    DISPATCHERS,
                    _ref("Explanation"),
                    "401 403 404 503",
                    params=no,
                )
            },
            "/api/v1/photos/{id}": {
                "get": _op(
                    "A complaint's photo",
                    ALL,
                    {"type": "string", "format": "binary"},
                    "401 404",
                    params=[_path("id")],
                    media_type="image/*",
                )
            },
            "/api/v1/follow-ups": {
                "get": _op(
                    "Pushes WeChat would not deliver: call back",
                    DISPATCHERS,
                    _ref("FollowUps"),
                    "401 403",
                )
            },
            "/api/v1/follow-ups/{key}/rating": {
                "post": _op(
                    "Record a phone follow-up call (电话回访) for the item `key` of GET "
                    "/api/v1/follow-ups: the citizen's verdict, rated as a chat rating is "
                    "(不满意 or unsolved reopens the case), or `outcome` unreached, which "
                    "only records the attempt. As on the console's 电话回访 page: 400 for a "
                    "combination that makes no sense (`code`), 404 for an item not (or no "
                    "longer) on the list, 409 `already_rated` naming who rated the round "
                    "(a second submission records nothing) or `not_ratable`",
                    DISPATCHERS,
                    _ref("PhoneRating"),
                    "400 401 403 404 409",
                    params=[_path("key")],
                    body={
                        "type": "object",
                        "properties": {
                            "outcome": {
                                "enum": ["solved", "unsolved", "unreached"],
                                "description": "问题是否解决: absent when not asked; "
                                "unreached (未接通): the call did not get through",
                            },
                            "satisfaction": {
                                "enum": [s.value for s in Satisfaction],
                                "description": "required unless unreached, and then not "
                                "allowed (400 unreached_rated / rating_incomplete)",
                            },
                            "note": {
                                "type": "string",
                                "description": "what the call said, kept with the rating "
                                "(the first 200 characters)",
                            },
                        },
                        "anyOf": [
                            _obj(
                                ["satisfaction"],
                                {"outcome": {"enum": ["solved", "unsolved"]}},
                            ),
                            _obj(
                                ["outcome"],
                                {"outcome": {"const": "unreached"}, "satisfaction": {"not": {}}},
                            ),
                        ],
                    },
                )
            },
            "/api/v1/notifications": {
                "get": _op(
                    "Time-limit warnings, newest first (department staff: those about the "
                    "complaints their department has in hand, dispatched or accepted)",
                    ALL,
                    _ref("Notifications"),
                    "400 401",
                    params=[
                        _query("kind", {"enum": ["due_soon", "overdue"]}, "only this kind"),
                        _query(
                            "limit",
                            {"type": "integer", "minimum": 1, "maximum": 200, "default": 100},
                            "page size, 1 to 200 (default 100); outside that a 400",
                        ),
                        _query(
                            "offset",
                            {"type": "integer", "minimum": 0, "maximum": 1000000, "default": 0},
                            "notifications to skip, 0 to 1000000; outside that a 400",
                        ),
                    ],
                )
            },
            "/api/v1/models": {
                "get": _op("Model versions", DISPATCHERS, _ref("Models"), "401 403")
            },
            "/api/v1/models/train": {
                "post": _op(
                    "Train from corpus + corrections in a worker",
                    ADMIN,
                    _obj(
                        ["job", "status_url"],
                        {"job": {"type": "string"}, "status_url": {"type": "string"}},
                    ),
                    "400 401 403 409",
                    status="202",
                    body_required=False,
                    body={"type": "object", "properties": {"activate": {"type": "boolean"}}},
                )
            },
            "/api/v1/models/jobs/{id}": {
                "get": _op(
                    "Training progress",
                    ADMIN,
                    _ref("TrainingJob"),
                    "401 403 404",
                    params=[_path("id")],
                )
            },
            "/api/v1/models/{version}/activate": {
                "post": _op(
                    "Activate a version; 409 when its categories are not the configured "
                    "ones (the reason names them) unless forced",
                    ADMIN,
                    _ref("Active"),
                    "400 401 403 404 409",
                    params=[_path("version")],
                    body_required=False,
                    body={"type": "object", "properties": {"force": {"type": "boolean"}}},
                )
            },
            "/api/v1/models/rollback": {
                "post": _op(
                    "Re-activate the previous version, with activation's category check "
                    "(409 naming the categories unless forced)",
                    ADMIN,
                    _ref("Active"),
                    "400 401 403 409",
                    body_required=False,
                    body={"type": "object", "properties": {"force": {"type": "boolean"}}},
                )
            },
        },
    }


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v1/openapi.json", openapi)
