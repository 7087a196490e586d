"""Pushes per second through the durable outbox with two instances.

Starts one embedded database and two `hotline serve` processes on it (sandbox
WeChat API), queues N pushes, and measures until every one is sent; then
checks that the sandbox received each exactly once.

    .venv/bin/python bench/outbox.py [--pushes 500]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ itself stays on the path for support.py

from support import free_port, wait_ready

from store.database import Database


async def run(pushes: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        db_process = subprocess.Popen(
            [sys.executable, "-m", "store.embedded", "--dir", f"{data_dir}/db"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT,
        )  # fmt: skip
        uri = db_process.stdout.readline().decode().strip()
        env = {**os.environ, "HOTLINE_MONGODB_URI": uri, "HOTLINE_DATA_DIR": data_dir,
               "HOTLINE_JOBS_INTERVAL": "0.5", "HOTLINE_LOG_LEVEL": "WARNING",
               "HOTLINE_MODEL_AUTOTRAIN": "false"}  # fmt: skip
        ports = [free_port(), free_port()]
        servers = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "--port", str(p)], env=env, cwd=ROOT
            )
            for p in ports
        ]
        db = Database.connect(uri)
        try:
            for port in ports:
                await wait_ready(f"http://127.0.0.1:{port}")
            now = datetime.now(UTC)
            started = time.perf_counter()
            for n in range(pushes):
                await db.outbox.enqueue(
                    dedupe_key=f"bench:{n}", kind="text", openid=f"o_bench_{n % 50}",
                    payload={"text": f"推送 {n}"}, run_at=now, now=now,
                )  # fmt: skip
            queued = time.perf_counter() - started
            while await db.outbox.depth():  # noqa: ASYNC110 - polling another process's work
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            sent = Counter(d["body"]["text"]["content"] for d in await db.sandbox.messages())
            owners = Counter(d["owner"] for d in await db.outbox.find(state="sent"))
        finally:
            await db.close()
            for server in servers:
                server.terminate()
                server.wait(30)
            db_process.stdin.close()
            db_process.wait(30)
    print(f"{pushes} pushes queued in {queued:.1f} s; all sent after {elapsed:.1f} s")
    print(f"throughput: {pushes / elapsed:.1f} pushes/s with 2 instances "
          f"(split {sorted(owners.values())})")  # fmt: skip
    duplicates = sum(1 for count in sent.values() if count > 1)
    print(f"delivered {len(sent)} distinct pushes, duplicates: {duplicates}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=500)
    asyncio.run(run(parser.parse_args().pushes))


if __name__ == "__main__":
    main()
