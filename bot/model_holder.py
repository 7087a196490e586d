"""The active category model of this instance, kept in step with the registry.

Every sweep (HOTLINE_JOBS_INTERVAL) compares the registry's active version with
the loaded one and swaps in the new model when it changed: activation or
rollback anywhere reaches every instance without a restart. Loading and
training run off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.managers import SyncManager
from typing import Any

from classifier.model import CategoryModel
from classifier.persist import loads
from models.departments import default_departments
from store.locks import LockRepository
from store.model_registry import ActiveModel, ModelRegistry, ModelVersion, RegistryError

log = logging.getLogger(__name__)


def _load_warm(data: bytes, threshold: float) -> CategoryModel:
    model = loads(data)
    model.threshold = threshold
    model.predict("预热")  # jieba's dictionary loads on first use: not on a citizen's time
    return model


async def in_worker[T](
    function: Callable[..., T],
    *args: Any,
    progress: Callable[[str, float], Awaitable[None]] | None = None,
) -> T:
    """Run CPU-bound work (training: seconds) in a separate process.

    With `progress`, the function gets one more argument: a callable it may call
    with (stage, fraction) as it advances; each report reaches `progress` here on
    the event loop (the latest one every half second).
    """
    loop = asyncio.get_running_loop()
    # spawn, not fork: forking a process with threads (the event loop's executor) can deadlock
    context = multiprocessing.get_context("spawn")
    orphan_guard = (os.getpid(),)
    pool = ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_start_worker, initargs=orphan_guard
    )
    manager: SyncManager | None = None
    try:
        if progress is None:
            return await loop.run_in_executor(pool, function, *args)
        # A manager's queue proxy can be passed as an argument; a plain queue cannot.
        # Starting and stopping its server process waits on that process: off the loop.
        manager = SyncManager(ctx=context)
        await asyncio.to_thread(manager.start, _die_with_parent, orphan_guard)
        reports = await asyncio.to_thread(manager.Queue)
        future = loop.run_in_executor(pool, function, *args, _Reporter(reports))
        while True:
            done, _ = await asyncio.wait([future], timeout=0.5)
            latest = await asyncio.to_thread(_drain, reports)
            if latest is not None:
                await progress(*latest)
            if done:
                return future.result()
    except asyncio.CancelledError:
        # shutting down: a worker left running would hold shutdown for the rest of its job
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    finally:
        await asyncio.to_thread(pool.shutdown)
        if manager is not None:
            await asyncio.to_thread(manager.shutdown)


# Training fits on both cores (classifier.training): below the serving process's
# priority, so that a citizen's reply is not kept waiting by an admin's retraining.
WORKER_NICENESS = 10


def _start_worker(parent: int) -> None:
    os.nice(WORKER_NICENESS)
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """In a worker or manager process: exit once the process that started it is gone.
    A server killed with SIGKILL cannot stop them, and a worker blocked sending its
    result to a dead parent would otherwise live (and hold its memory) for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="orphan-guard", daemon=True).start()


@dataclass(frozen=True, slots=True)
class _Reporter:
    """The worker's side of in_worker's progress: picklable, calls put on the queue proxy."""

    queue: Any

    def __call__(self, stage: str, fraction: float) -> None:
        self.queue.put((stage, fraction))


def _drain(reports: Any) -> tuple[str, float] | None:
    latest = None
    while not reports.empty():
        latest = reports.get_nowait()
    return latest


def taxonomy() -> tuple[str, ...]:
    """The configured categories: those a department handles, so a suggestion can be
    dispatched. A model must predict exactly these (its labels are category names)."""
    return tuple(dict.fromkeys(c for d in default_departments() for c in d.categories))


class ActivationRefused(Exception):
    """The version exists but is not fit to be the active model; `reason` says why.
    ModelHolder.activate(..., force=True) activates it anyway."""

    def __init__(self, version: str, reason: str) -> None:
        super().__init__(f"{version} not activated: {reason}")
        self.version = version
        self.reason = reason


class TaxonomyMismatch(ActivationRefused):
    """The model's categories are not the configured ones: with `missing` categories the
    bot never suggests them; with `unknown` ones its suggestions reach no department."""

    def __init__(self, version: str, missing: tuple[str, ...], unknown: tuple[str, ...]) -> None:
        parts = []
        if missing:
            parts.append("it lacks the categories " + ", ".join(missing))
        if unknown:
            parts.append("it predicts categories no department handles: " + ", ".join(unknown))
        super().__init__(version, "; ".join(parts))
        self.missing = missing
        self.unknown = unknown


# How much lower a version's cross-validated macro-F1 may be than the active version's
# before activating it needs the same explicit confirmation as other categories do.
MAX_F1_DROP = 0.02


class QualityDrop(ActivationRefused):
    """The version scored clearly worse in its cross-validation than the active one
    (e.g. trained on a few hundred rows instead of thousands). The two figures come
    from different training data, so this asks for confirmation rather than forbids."""

    def __init__(self, version: str, macro_f1: float, active: str, active_f1: float) -> None:
        super().__init__(
            version,
            f"its cross-validated macro-F1 {macro_f1:.3f} is lower than the active "
            f"{active}'s {active_f1:.3f} by more than {MAX_F1_DROP}",
        )
        self.macro_f1 = macro_f1
        self.active = active
        self.active_f1 = active_f1


def taxonomy_gaps(
    labels: Iterable[str], categories: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(categories the model lacks, labels that are no category), each in a stable order."""
    have, want = set(labels), tuple(categories)
    return tuple(c for c in want if c not in have), tuple(sorted(have - set(want)))


@dataclass(slots=True)
class ModelHolder:
    registry: ModelRegistry
    locks: LockRepository
    threshold: float = 0.5
    model: CategoryModel | None = None
    version: str = ""
    categories: tuple[str, ...] = field(default_factory=taxonomy)
    # Records every change of the active model (actor, action, version, time) in the
    # audit log, whichever door (API, console, CLI, a training job) it came through: the
    # model dispatches complaints, so who switched it must be on record; an override of
    # a check is recorded as "force-activate-model".
    audit: Callable[[str, str, str, datetime], Awaitable[None]] | None = None
    # start-up and the first sweeps ask at once: one loads, the others find it loaded
    # (without it an instance loaded its first model twice, a second or two of CPU)
    _refreshing: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def activate(
        self, version: str, by: str, *, force: bool = False, now: datetime | None = None
    ) -> ActiveModel:
        """Make `version` the active model everywhere, after checking that it predicts
        exactly the configured categories and scores no more than MAX_F1_DROP below the
        active version (`force=True` skips both checks).

        Raises TaxonomyMismatch (an ActivationRefused) naming the missing and unknown
        categories, QualityDrop with both macro-F1 figures, ActivationRefused when its
        categories cannot be read, and
        store.model_registry.RegistryError for an unknown version. Activating the
        active version again returns it with `changed=False`.
        """
        entry = await self.registry.get(version)
        if not force:
            await self._check_taxonomy(entry)
            await self._check_quality(entry)
        now = now or datetime.now(UTC)
        active = await self.registry.activate(version, by=by, now=now)
        if force and active.changed:
            log.warning("model %s activated by %s without the category check", version, by)
        if active.changed:
            await self._audit(
                by, "force-activate-model" if force else "activate-model", version, now
            )
        return active

    async def rollback(
        self, by: str, *, force: bool = False, expect: str | None = None
    ) -> ActiveModel:
        """Re-activate the previous version, with activation's category check: the
        version it returns to may have been forced in once (`force=True` skips it).
        The rollback itself stays one compare-and-set step (registry.rollback)."""
        current, previous = await self.registry.previous(expect)
        if not force:
            await self._check_taxonomy(await self.registry.get(previous))
        now = datetime.now(UTC)
        active = await self.registry.rollback(by=by, now=now, expect=current)
        if force:
            log.warning("model %s re-activated by %s without the category check", previous, by)
        action = "force-activate-model" if force else "rollback-model"
        await self._audit(by, action, active.version, now)
        return active

    async def _audit(self, by: str, action: str, version: str, now: datetime) -> None:
        if self.audit is not None:
            await self.audit(by, action, version, now)

    async def _check_quality(self, entry: ModelVersion) -> None:
        """Refuse a version whose CV macro-F1 is more than MAX_F1_DROP below the active
        one's. Versions without a recorded figure are not compared. Rollback does not
        check this: going back to the previous version stays one step."""
        current = await self.registry.active()
        if current is None or current.version == entry.version:
            return
        try:
            active = await self.registry.get(current.version)
        except RegistryError:
            return
        new, old = entry.metrics.get("macro_f1"), active.metrics.get("macro_f1")
        if not isinstance(new, int | float) or not isinstance(old, int | float):
            return
        if round(old - new, 4) > MAX_F1_DROP:
            raise QualityDrop(entry.version, float(new), active.version, float(old))

    async def _check_taxonomy(self, entry: ModelVersion) -> None:
        missing, unknown = taxonomy_gaps(await self._labels(entry), self.categories)
        if missing or unknown:
            raise TaxonomyMismatch(entry.version, missing, unknown)

    async def _labels(self, entry: ModelVersion) -> tuple[str, ...]:
        """The categories a version predicts: from its training summary when recorded
        (instant), otherwise from the artifact itself (loading takes a moment)."""
        recorded = entry.data.get("per_class") or entry.metrics.get("labels")
        if recorded:
            return tuple(recorded)
        data = await self.registry.artifact(entry.version)
        try:
            model = await asyncio.to_thread(loads, data)
        except Exception as problem:  # a broken or foreign artifact: say so, do not crash
            raise ActivationRefused(
                entry.version, f"its categories cannot be read ({problem})"
            ) from problem
        return model.categories

    async def refresh(self) -> bool:
        """Load the active version if it changed; True when a new model was loaded."""
        async with self._refreshing:
            active = await self.registry.active()
            if active is None or active.version == self.version:
                return False
            data = await self.registry.artifact(active.version)
            self.model = await asyncio.to_thread(_load_warm, data, self.threshold)
            self.version = active.version
            log.info("category model %s loaded", active.version)
            return True

    async def ensure_default(self) -> None:
        """Train and activate the shipped default when the registry is empty (one instance)."""
        if not await self.registry.is_empty():
            return
        async with self.locks.hold("train-default", lease=timedelta(minutes=10), wait=600):
            if not await self.registry.is_empty():
                return
            log.info("model registry is empty: training the default model")
            from classifier.default import train_default_artifact

            artifact, metrics, data = await in_worker(train_default_artifact)
            now = datetime.now(UTC)
            entry = await self.registry.register(
                artifact, metrics=metrics, data=data, created_by="system (default)", now=now
            )
            await self.registry.activate(entry.version, by="system", now=now)
            log.info("default model %s: macro-F1 %.3f (CV)", entry.version, metrics["macro_f1"])
