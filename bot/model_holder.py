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
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from classifier.model import CategoryModel
from classifier.persist import loads
from store.locks import LockRepository
from store.model_registry import ModelRegistry

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
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        if progress is None:
            return await loop.run_in_executor(pool, function, *args)
        # A manager's queue proxy can be passed as an argument; a plain queue cannot.
        # Starting and stopping its server process waits on that process: off the loop.
        manager = await asyncio.to_thread(context.Manager)
        try:
            reports = await asyncio.to_thread(manager.Queue)
            future = loop.run_in_executor(pool, function, *args, _Reporter(reports))
            while True:
                done, _ = await asyncio.wait([future], timeout=0.5)
                latest = await asyncio.to_thread(_drain, reports)
                if latest is not None:
                    await progress(*latest)
                if done:
                    return future.result()
        finally:
            await asyncio.to_thread(manager.shutdown)


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


@dataclass(slots=True)
class ModelHolder:
    registry: ModelRegistry
    locks: LockRepository
    threshold: float = 0.5
    model: CategoryModel | None = None
    version: str = ""

    async def refresh(self) -> bool:
        """Load the active version if it changed; True when a new model was loaded."""
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
