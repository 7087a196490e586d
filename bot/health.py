"""Liveness, readiness and metrics endpoints."""

from __future__ import annotations

from aiohttp import web

from bot.app import hotline_of
from models.complaint import ComplaintStatus


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    hotline = hotline_of(request)
    checks = {"database": await hotline.db.ping(), "model": hotline.models.model is not None}
    required = checks if hotline.settings.model_autotrain else {"database": checks["database"]}
    ready = all(required.values())
    return web.json_response(
        {
            "status": "ready" if ready else "unavailable",
            "checks": checks,
            "model_version": hotline.models.version or None,
        },
        status=200 if ready else 503,
    )


async def metrics(request: web.Request) -> web.Response:
    hotline = hotline_of(request)
    metrics_ = hotline.metrics
    # Gauges read at scrape time, so every instance reports the shared truth.
    for status in ComplaintStatus:
        count = await hotline.db.complaints.count({"status": status.value})
        metrics_.complaints.labels(status.value).set(count)
    metrics_.outbox_depth.set(await hotline.db.outbox.depth())
    metrics_.model_info.clear()
    if hotline.models.version:
        metrics_.model_info.labels(hotline.models.version).set(1)
    return metrics_.render()


def add_routes(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
