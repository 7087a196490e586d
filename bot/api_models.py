"""/api/v1/models: the registry, training in a worker process, activation, explanations."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from aiohttp import web

from bot.api import _readable, body
from bot.api_auth import error, require
from bot.app import Hotline, hotline_of
from bot.model_holder import in_worker
from models.accounts import Role
from store.model_registry import RegistryError

log = logging.getLogger(__name__)


async def list_models(request: web.Request) -> web.Response:
    require(request, Role.ADMIN, Role.DISPATCHER)
    registry = hotline_of(request).db.models
    active = await registry.active()
    return web.json_response(
        {
            "active": active.version if active else None,
            "models": [entry.to_dict() for entry in await registry.list()],
        }
    )


# One training job at a time across all instances: a second would only halve the
# speed of both on a small machine. The lease frees the lock if an instance dies
# mid-training; a normal run (under a minute on the shipped corpus) releases it.
TRAINING_LOCK = "model-training"
TRAINING_LEASE = timedelta(hours=1)


class TrainingBusy(Exception):
    """Another training job is queued or running."""


async def _train(hotline: Hotline, job_id: str, by: str, activate: bool) -> None:
    from classifier.default import train_artifact

    jobs = hotline.db.db.training_jobs

    async def report(stage: str, fraction: float) -> None:
        # the worker's fraction covers cross-validation and the final fit: 5%..90%
        update = {"stage": stage, "progress": round(0.05 + 0.85 * fraction, 3)}
        await jobs.update_one({"_id": job_id}, {"$set": update})

    try:
        corrections = await hotline.db.db.category_corrections.find({}).to_list()
        texts = [c["text"] for c in corrections if c.get("text") and c.get("label")]
        labels = [c["label"] for c in corrections if c.get("text") and c.get("label")]
        await jobs.update_one({"_id": job_id}, {"$set": {
            "state": "running", "progress": 0.05, "corrections": len(texts),
            "stage": f"training on corpus + {len(texts)} corrections"}})  # fmt: skip
        artifact, metrics, data = await in_worker(
            train_artifact, texts, labels, "store corrections", progress=report
        )
        await jobs.update_one({"_id": job_id}, {"$set": {"progress": 0.9, "stage": "registering"}})
        now = datetime.now(UTC)
        entry = await hotline.db.models.register(
            artifact, metrics=metrics, data=data, created_by=by, now=now
        )
        if activate:
            await hotline.db.models.activate(entry.version, by=by, now=now)
        await jobs.update_one({"_id": job_id}, {"$set": {
            "state": "done", "progress": 1.0, "stage": "done", "version": entry.version,
            "macro_f1": metrics["macro_f1"], "finished_at": now}})  # fmt: skip
    except Exception as problem:
        log.exception("training job %s failed", job_id)
        await jobs.update_one({"_id": job_id}, {"$set": {"state": "failed", "error": str(problem)}})
    finally:
        await hotline.db.locks.release(TRAINING_LOCK, job_id)


async def begin_training(hotline: Hotline, by: str, activate: bool) -> str:
    """Queue a training job in a worker process; returns its id (progress in training_jobs).

    Raises TrainingBusy while another job (on any instance) has not finished.
    """
    job_id = uuid.uuid4().hex[:12]
    if not await hotline.db.locks.try_acquire(TRAINING_LOCK, job_id, TRAINING_LEASE):
        raise TrainingBusy
    try:
        await hotline.db.db.training_jobs.insert_one(
            {"_id": job_id, "state": "queued", "progress": 0.0, "stage": "queued",
             "by": by, "started_at": datetime.now(UTC)}
        )  # fmt: skip
    except BaseException:
        await hotline.db.locks.release(TRAINING_LOCK, job_id)
        raise
    hotline.spawn(_train(hotline, job_id, by, activate))
    return job_id


async def start_training(request: web.Request) -> web.Response:
    account = require(request, Role.ADMIN)
    data = await body(request) if request.can_read_body else {}
    if not isinstance(data.get("activate", False), bool):
        return error(400, "'activate' must be true or false")
    try:
        job_id = await begin_training(
            hotline_of(request), account.name, data.get("activate", False)
        )
    except TrainingBusy:
        return error(409, "a training job is already running; poll it or wait for it to finish")
    return web.json_response(
        {"job": job_id, "status_url": f"/api/v1/models/jobs/{job_id}"}, status=202
    )


async def training_job(request: web.Request) -> web.Response:
    require(request, Role.ADMIN)
    job = await hotline_of(request).db.db.training_jobs.find_one({"_id": request.match_info["id"]})
    if job is None:
        return error(404, "no such training job")
    job["job"] = job.pop("_id")
    for key in ("started_at", "finished_at"):
        if job.get(key):
            job[key] = job[key].isoformat()
    return web.json_response(job)


async def activate(request: web.Request) -> web.Response:
    account = require(request, Role.ADMIN)
    try:
        active = await hotline_of(request).db.models.activate(
            request.match_info["version"], by=account.name, now=datetime.now(UTC)
        )
    except RegistryError as problem:
        return error(404, str(problem))
    return web.json_response({"active": active.version})


async def rollback(request: web.Request) -> web.Response:
    account = require(request, Role.ADMIN)
    try:
        active = await hotline_of(request).db.models.rollback(
            by=account.name, now=datetime.now(UTC)
        )
    except RegistryError as problem:
        return error(409, str(problem))
    return web.json_response({"active": active.version})


async def explain(request: web.Request) -> web.Response:
    require(request, Role.ADMIN, Role.DISPATCHER)
    complaint = await _readable(request, request.match_info["no"])
    holder = hotline_of(request).models
    if holder.model is None:
        return error(503, "no active model yet")
    words = holder.model.explain(complaint.description, complaint.category or None)
    prediction = holder.model.predict(complaint.description)
    return web.json_response(
        {
            "no": complaint.no,
            "model": holder.version,
            "category": complaint.category,
            "prediction": prediction.to_dict(),
            "words": [{"word": w, "weight": round(v, 4)} for w, v in words],
        }
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v1/models", list_models)
    app.router.add_post("/api/v1/models/train", start_training)
    app.router.add_get("/api/v1/models/jobs/{id}", training_job)
    app.router.add_post("/api/v1/models/rollback", rollback)
    app.router.add_post("/api/v1/models/{version}/activate", activate)
    app.router.add_get("/api/v1/complaints/{no}/explain", explain)
