"""/api/v1/models: the registry, training in a worker process, activation, explanations."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import Any

from aiohttp import web

from bot.api import _readable, body
from bot.api_auth import error, require
from bot.app import Hotline, hotline_of
from bot.model_holder import ActivationRefused, QualityDrop, in_worker
from models.accounts import Role
from store.model_registry import ModelVersion, RegistryConflict, RegistryError
from store.training_jobs import INTERRUPTED, TrainingJobs

log = logging.getLogger(__name__)


def source_names(source: str) -> list[str]:
    """A model's training data sources (joined by "+", classifier.dataset.Dataset.plus)
    as file names: where the files lie on the server is nobody's business outside it."""
    parts = [part.strip() for part in source.split("+") if part.strip()]
    return list(dict.fromkeys(PurePath(part).name or part for part in parts))


def _public(entry: ModelVersion) -> dict[str, Any]:
    shown = entry.to_dict()
    if isinstance(shown["data"].get("source"), str):
        shown["data"] = {**shown["data"], "source": "+".join(source_names(shown["data"]["source"]))}
    return shown


async def list_models(request: web.Request) -> web.Response:
    # Dispatchers act on the model's suggestions all day: which version makes them and
    # how well it scores is theirs to see. Training, activation and rollback are not.
    require(request, Role.ADMIN, Role.DISPATCHER)
    registry = hotline_of(request).db.models
    active = await registry.active()
    return web.json_response(
        {
            "active": active.version if active else None,
            "models": [_public(entry) for entry in await registry.list()],
        }
    )


# One training job at a time across all instances: a second would only halve the
# speed of both on a small machine. The instance running a job renews the job's
# heartbeat and the lock every HEARTBEAT; a job silent for STALE_AFTER (its instance
# died) is declared interrupted and its lock freed, so training is offered again
# within minutes. The lock's lease is the same: one left by a dead instance expires
# even if nobody looks at the jobs.
TRAINING_LOCK = "model-training"
HEARTBEAT = timedelta(seconds=15)
STALE_AFTER = timedelta(minutes=2)
# who runs a job: shown to an operator wondering which instance to look at
INSTANCE = f"{socket.gethostname()}:{os.getpid()}"


class TrainingBusy(Exception):
    """Another training job is queued or running."""


async def reap_abandoned(hotline: Hotline) -> None:
    """Declare jobs whose instance stopped renewing them interrupted and free their lock.
    Called wherever jobs are shown or started, so nobody waits for a dead job."""
    now = datetime.now(UTC)
    for job_id in await hotline.db.training_jobs.reap(now=now, stale_after=STALE_AFTER):
        log.warning("training job %s was abandoned by its instance: marked interrupted", job_id)
        await hotline.db.locks.release(TRAINING_LOCK, job_id)


async def _keep_alive(hotline: Hotline, job_id: str) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT.total_seconds())
        try:
            if not await hotline.db.training_jobs.heartbeat(job_id, datetime.now(UTC)):
                return  # declared interrupted meanwhile: the job is no longer ours
            await hotline.db.locks.try_acquire(TRAINING_LOCK, job_id, STALE_AFTER)
        except Exception:  # a database blip: the next beat may get through in time
            log.exception("training job %s: heartbeat failed", job_id)


def worker_reporter(jobs: TrainingJobs, job_id: str) -> Callable[[str, float], Awaitable[None]]:
    """Records the worker's progress on the job. The worker's fraction covers the
    cross-validation and the final fit: 5%..90%. Its own "done" (the fit finished) is
    not the job's: registering the version follows, and only then is the job done, so
    the job's stage never reads "done", "registering", "done" again."""

    async def report(stage: str, fraction: float) -> None:
        if stage == "done":
            return
        await jobs.update(job_id, {"stage": stage, "progress": round(0.05 + 0.85 * fraction, 3)})

    return report


async def _train(hotline: Hotline, job_id: str, by: str, activate: bool) -> None:
    from classifier.default import train_artifact

    jobs = hotline.db.training_jobs
    alive = asyncio.ensure_future(_keep_alive(hotline, job_id))

    report = worker_reporter(jobs, job_id)

    try:
        corrections = await hotline.db.db.category_corrections.find({}).to_list()
        texts = [c["text"] for c in corrections if c.get("text") and c.get("label")]
        labels = [c["label"] for c in corrections if c.get("text") and c.get("label")]
        await jobs.update(job_id, {
            "state": "running", "progress": 0.05, "corrections": len(texts),
            "stage": f"training on corpus + {len(texts)} corrections"})  # fmt: skip
        artifact, metrics, data = await in_worker(
            train_artifact, texts, labels, "store corrections", progress=report
        )
        if not await jobs.update(job_id, {"progress": 0.9, "stage": "registering"}):
            # declared interrupted while it ran (this instance was unreachable): the job
            # has been reported failed and another may be running, so keep out of its way
            log.warning("training job %s finished after it was declared interrupted", job_id)
            return
        now = datetime.now(UTC)
        entry = await hotline.db.models.register(
            artifact, metrics=metrics, data=data, created_by=by, now=now
        )
        outcome: dict[str, Any] = {}
        if activate:
            try:
                await hotline.models.activate(entry.version, by, now=now)
            except ActivationRefused as refused:
                outcome["activation_error"] = refused.reason
                # what the console says: categories differ, or it scored worse
                kind = "quality" if isinstance(refused, QualityDrop) else "categories"
                outcome["activation_refused"] = kind
        await jobs.update(job_id, {
            "state": "done", "progress": 1.0, "stage": "done", "version": entry.version,
            "macro_f1": metrics["macro_f1"], "finished_at": now, **outcome})  # fmt: skip
    except asyncio.CancelledError:
        await jobs.update(job_id, {"state": "failed", "error": INTERRUPTED})
        raise
    except Exception as problem:
        log.exception("training job %s failed", job_id)
        await jobs.update(job_id, {"state": "failed", "error": str(problem)})
    finally:
        alive.cancel()
        await hotline.db.locks.release(TRAINING_LOCK, job_id)


async def begin_training(hotline: Hotline, by: str, activate: bool) -> str:
    """Queue a training job in a worker process; returns its id (progress in training_jobs).

    Raises TrainingBusy while another job (on any live instance) has not finished.
    """
    await reap_abandoned(hotline)
    job_id = uuid.uuid4().hex[:12]
    if not await hotline.db.locks.try_acquire(TRAINING_LOCK, job_id, STALE_AFTER):
        raise TrainingBusy
    try:
        await hotline.db.training_jobs.create(job_id, by=by, owner=INSTANCE, now=datetime.now(UTC))
    except BaseException:
        await hotline.db.locks.release(TRAINING_LOCK, job_id)
        raise
    hotline.spawn(_train(hotline, job_id, by, activate), interruptible=True)
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
    hotline = hotline_of(request)
    await reap_abandoned(hotline)
    job = await hotline.db.training_jobs.get(request.match_info["id"])
    if job is None:
        return error(404, "no such training job")
    job["job"] = job.pop("_id")
    for key in ("started_at", "finished_at", "heartbeat_at"):
        if job.get(key):
            job[key] = job[key].isoformat()
    return web.json_response(job)


async def _force(request: web.Request) -> bool | web.Response:
    """The optional {"force": true} of activation and rollback, or a 400."""
    data = await body(request) if request.can_read_body else {}
    force = data.get("force", False)
    if not isinstance(force, bool):
        return error(400, "'force' must be true or false")
    return force


async def activate(request: web.Request) -> web.Response:
    account = require(request, Role.ADMIN)
    force = await _force(request)
    if isinstance(force, web.Response):
        return force
    hotline = hotline_of(request)
    version = request.match_info["version"]
    try:
        active = await hotline.models.activate(version, account.name, force=force)
    except QualityDrop as refused:
        return error(409, f'{refused}; send {{"force": true}} to activate it anyway',
                     "quality_drop", macro_f1=refused.macro_f1, active=refused.active,
                     active_macro_f1=refused.active_f1)  # fmt: skip
    except ActivationRefused as refused:
        return error(409, f'{refused}; send {{"force": true}} to activate it anyway')
    except RegistryConflict as problem:
        return error(409, str(problem))
    except RegistryError as problem:
        return error(404, str(problem))
    return web.json_response({"active": active.version, "changed": active.changed})


async def rollback(request: web.Request) -> web.Response:
    account = require(request, Role.ADMIN)
    hotline = hotline_of(request)
    force = await _force(request)
    if isinstance(force, web.Response):
        return force
    try:
        active = await hotline.models.rollback(account.name, force=force)
    except ActivationRefused as refused:
        return error(409, f'{refused}; send {{"force": true}} to roll back anyway')
    except RegistryError as problem:
        return error(409, str(problem))
    return web.json_response({"active": active.version, "changed": True})


async def explain(request: web.Request) -> web.Response:
    require(request, Role.ADMIN, Role.DISPATCHER)
    complaint = await _readable(request, request.match_info["no"])
    holder = hotline_of(request).models
    if holder.model is None:
        return error(503, "no active model yet")
    # the model's own category, as the console shows: a category a clerk or a channel
    # chose has no words of its own to explain
    prediction = holder.model.predict(complaint.description)
    words = holder.model.explain(complaint.description, prediction.category)
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
