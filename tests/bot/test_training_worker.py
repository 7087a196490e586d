"""The training worker's lifetime: it never outlives a killed server, and a server
shutting down interrupts a training job instead of waiting for it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.model_holder import WORKER_NICENESS, in_worker
from models.accounts import Role
from store.database import Database
from tests.bot.staff import api, make_token
from tests.conftest import start_server

ROOT = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_exit_when_the_server_is_killed(tmp_path):
    marker = tmp_path / "worker.pid"
    parent = subprocess.Popen([sys.executable, "-m", "tests.bot.slow_work", str(marker)],
                              cwd=ROOT)  # fmt: skip
    try:
        for _ in range(300):
            if marker.exists() and marker.read_text():
                break
            time.sleep(0.1)
        worker = int(marker.read_text())
        helpers = children_of(parent.pid)  # the worker, the progress manager, a tracker
        assert worker in helpers and len(helpers) >= 2
        os.kill(parent.pid, signal.SIGKILL)  # as a container runtime or the OOM killer does
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in helpers if alive(pid)]
    finally:
        if parent.poll() is None:
            parent.kill()


async def test_shutting_down_interrupts_a_training_job(settings, mongo_uri):
    server = await start_server(settings, mongo_uri)
    closed = False
    try:
        admin = await make_token(server, "admin-t", Role.ADMIN)
        status, body = await api(server, "POST", "/api/v1/models/train", admin, {})
        assert status == 202
        for _ in range(200):
            _, job = await api(server, "GET", body["status_url"], admin)
            if job["state"] == "running" and job["progress"] > 0.05:
                break
            await asyncio.sleep(0.1)
        assert job["state"] == "running", job
        started = time.monotonic()
        await server.close()  # what SIGTERM does
        closed = True
        assert time.monotonic() - started < 15  # not the rest of a 30-60 s training job
    finally:
        if not closed:
            await server.close()
    db = Database.connect(mongo_uri, settings.db_name)
    try:
        [doc] = await db.training_jobs.recent(1)
        assert doc["state"] == "failed" and doc["error"] == "interrupted"
    finally:
        await db.client.drop_database(settings.db_name)
        await db.close()


async def test_the_worker_runs_below_the_servers_priority():
    # os.nice(0) reads the calling process's niceness without changing it; 19 is the floor
    assert await in_worker(os.nice, 0) == min(os.nice(0) + WORKER_NICENESS, 19)
