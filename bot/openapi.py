"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from aiohttp import web

_ERROR = {"$ref": "#/components/schemas/Error"}
_COMPLAINT = {"$ref": "#/components/schemas/Complaint"}
_ERRORS = {
    "400": "Bad request",
    "401": "No or bad token",
    "403": "Role may not",
    "404": "Not found",
    "409": "Not allowed in this state",
}


def _op(
    summary: str,
    *,
    body: dict[str, Any] | None = None,
    ok: Any = _COMPLAINT,
    params: list[str] = (),
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in params
        ],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": ok}}},
            **{
                status: {
                    "description": reason,
                    "content": {"application/json": {"schema": _ERROR}},
                }
                for status, reason in _ERRORS.items()
            },
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def _text_body(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [name],
        "properties": {name: {"type": "string", "minLength": 1}},
    }


def document() -> dict[str, Any]:
    no = ["no"]
    query = [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
        for n in (
            "status",
            "category",
            "department",
            "district",
            "q",
            "openid",
            "overdue",
            "due_soon",
        )
    ] + [
        {"name": n, "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}
        for n in ("limit", "offset")
    ]
    listing = _op(
        "List complaints (department staff: their own only)",
        ok={
            "type": "object",
            "properties": {
                "total": {"type": "integer"},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "complaints": {"type": "array", "items": _COMPLAINT},
            },
        },
    )
    listing["parameters"] = query
    return {
        "openapi": "3.1.0",
        "info": {"title": "12345 hotline API", "version": "1.0.0"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Complaint": {
                    "type": "object",
                    "required": [
                        "no",
                        "status",
                        "round",
                        "category",
                        "department",
                        "description",
                        "location",
                        "contact_phone",
                        "photos",
                        "created_at",
                        "due_at",
                        "history",
                        "rating",
                    ],
                    "properties": {
                        "no": {"type": "string"},
                        "status": {
                            "enum": [
                                "submitted",
                                "dispatched",
                                "accepted",
                                "replied",
                                "closed",
                                "withdrawn",
                            ]
                        },
                        "round": {"type": "integer", "minimum": 1},
                        "category": {"type": "string"},
                        "department": {"type": "string"},
                        "description": {"type": "string"},
                        "location": {"type": "object"},
                        "contact_phone": {"type": "string"},
                        "photos": {"type": "array", "items": {"type": "string"}},
                        "created_at": {"type": "string"},
                        "due_at": {"type": "string"},
                        "history": {"type": "array"},
                        "rating": {"type": ["object", "null"]},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/departments": {
                "get": _op("Departments and their categories", ok={"type": "object"})
            },
            "/api/v1/complaints": {"get": listing},
            "/api/v1/complaints/{no}": {"get": _op("One complaint", params=no)},
            "/api/v1/complaints/{no}/dispatch": {
                "post": _op(
                    "Dispatch to a department (dispatcher, admin)",
                    params=no,
                    body=_text_body("department"),
                )
            },
            "/api/v1/complaints/{no}/accept": {"post": _op("Accept (department)", params=no)},
            "/api/v1/complaints/{no}/reply": {
                "post": _op("Reply to the citizen (department)", params=no, body=_text_body("text"))
            },
            "/api/v1/complaints/{no}/transfer": {
                "post": _op(
                    "Hand back to the dispatch queue (department)",
                    params=no,
                    body=_text_body("reason"),
                )
            },
            "/api/v1/complaints/{no}/category": {
                "post": _op(
                    "Change the category (kept as a model correction)",
                    params=no,
                    body=_text_body("category"),
                )
            },
            "/api/v1/complaints/{no}/urgency": {
                "post": _op(
                    "Change urgency and so the time limit", params=no, body=_text_body("urgency")
                )
            },
            "/api/v1/complaints/{no}/explain": {
                "get": _op("Why the model suggested the category", params=no, ok={"type": "object"})
            },
            "/api/v1/follow-ups": {
                "get": _op("Pushes WeChat would not deliver: call back", ok={"type": "object"})
            },
            "/api/v1/notifications": {
                "get": _op("Time-limit warnings for dispatchers", ok={"type": "object"})
            },
            "/api/v1/models": {"get": _op("Model versions", ok={"type": "object"})},
            "/api/v1/models/train": {
                "post": _op("Train from corpus + corrections (admin)", ok={"type": "object"})
            },
            "/api/v1/models/jobs/{id}": {
                "get": _op("Training progress", params=["id"], ok={"type": "object"})
            },
            "/api/v1/models/{version}/activate": {
                "post": _op("Activate a version (admin)", params=["version"], ok={"type": "object"})
            },
            "/api/v1/models/rollback": {
                "post": _op("Re-activate the previous version", ok={"type": "object"})
            },
        },
    }


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v1/openapi.json", openapi)
