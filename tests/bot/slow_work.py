"""Work for in_worker tests: importable by a spawned worker process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def record_and_sleep(path: str, seconds: float, report: Callable[[str, float], None]) -> None:
    report("started", 0.1)
    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)


def run_in_worker(path: str) -> None:
    """The parent of the test below: runs in_worker until it is killed."""
    import asyncio

    from bot.model_holder import in_worker

    async def progress(stage: str, fraction: float) -> None:
        pass

    asyncio.run(in_worker(record_and_sleep, path, 600.0, progress=progress))


if __name__ == "__main__":
    import sys

    run_in_worker(sys.argv[1])
