"""Delivery semantics through the sandbox: every WeChat fault, two instances
sending each push exactly once, and a worker killed mid-send."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.app import SANDBOX_SECRET, hotline_key
from models.accounts import Role
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, fault, make_token, pushes
from tests.conftest import start_server


@pytest.fixture
async def fast(settings, mongo_uri):
    server = await start_server(
        replace(settings, outbox_backoff=0.05, jobs_interval=0.1), mongo_uri
    )
    yield server
    await server.app[hotline_key].db.client.drop_database(settings.db_name)
    await server.close()


async def queue(server, key: str, openid: str = "o_push", text: str = "您好") -> None:
    hotline = server.app[hotline_key]
    now = datetime.now(UTC)
    await hotline.db.outbox.enqueue(
        dedupe_key=key, kind="text", openid=openid, payload={"text": text}, run_at=now, now=now
    )


async def settled(server, key: str, states=("sent", "failed", "undeliverable", "skipped")):
    db = server.app[hotline_key].db
    for _ in range(200):
        [doc] = await db.outbox.find(dedupe_key=key)
        if doc["state"] in states:
            return doc
        await asyncio.sleep(0.05)
    raise AssertionError(f"{key} stuck in {doc['state']}")


@pytest.mark.parametrize(
    ("errcode", "times", "state", "attempts"),
    [
        (-1, 2, "sent", 3),  # system busy: backoff, then delivered
        (500, 1, "sent", 2),  # HTTP 5xx
        (45047, 1, "sent", 2),  # rate limited: rescheduled
        (40001, 1, "sent", 1),  # token refreshed inside the same attempt
        (43004, 1, "failed", 1),  # unsubscribed: final, no retry
        (45015, 1, "undeliverable", 1),  # outside 48 h, no template: phone follow-up
    ],
)
async def test_each_wechat_fault(fast, errcode, times, state, attempts):
    await fault(fast, "custom_send", errcode, times)
    await queue(fast, f"fault:{errcode}", openid=f"o_fault_{errcode}")
    doc = await settled(fast, f"fault:{errcode}")
    assert doc["state"] == state and doc["attempts"] == attempts
    # the last failure's code is kept as a number (an HTTP 5xx counts as WeChat's -1 busy)
    failed_once = {40001: None, 500: -1}.get(errcode, errcode)
    assert doc.get("last_errcode") == failed_once
    delivered = await pushes(fast, f"o_fault_{errcode}")
    assert len(delivered) == (1 if state == "sent" else 0)


async def test_outside_window_uses_the_template_when_configured(settings, mongo_uri):
    server = await start_server(
        replace(settings, wechat_template_id="TPL-1", outbox_backoff=0.05), mongo_uri
    )
    try:
        await fault(server, "custom_send", 45015)
        await queue(server, "window", openid="o_window", text="您的诉求已答复")
        doc = await settled(server, "window")
        assert doc["state"] == "sent" and doc["channel"] == "template"
        [body] = [m for m in await pushes(server, "o_window")]
        assert "TPL-1" in body and "您的诉求已答复" in body
    finally:
        await server.app[hotline_key].db.client.drop_database(settings.db_name)
        await server.close()


async def test_undeliverable_pushes_are_listed_for_phone_follow_up(fast):
    await fault(fast, "custom_send", 45015)
    await queue(fast, "follow", openid="o_follow")
    await settled(fast, "follow")
    dispatcher = await make_token(fast, "dispatch-f", Role.DISPATCHER)
    status, body = await api(fast, "GET", "/api/v1/follow-ups", dispatcher)
    assert status == 200 and [row["key"] for row in body["follow_ups"]] == ["follow"]
    department = await make_token(fast, "dept-f", Role.DEPARTMENT, "zjw")
    assert (await api(fast, "GET", "/api/v1/follow-ups", department))[0] == 403


async def test_console_lists_follow_ups_until_staff_called(fast):
    await fault(fast, "custom_send", 45015)
    await queue(fast, "call-me", openid="o_call", text="您的诉求已答复：路灯已修好")
    await settled(fast, "call-me")
    await make_staff(fast, "d-call", Role.DISPATCHER)
    browser = Browser(fast)
    try:
        await browser.login("d-call")
        page = await browser.get("/console/follow-ups")
        assert "路灯已修好" in page.text
        page = await browser.post("/console/follow-ups", {"key": "call-me", "note": "已电话告知"})
        assert page.status == 200 and "路灯已修好" not in page.text
        [item] = await fast.app[hotline_key].db.outbox.find(dedupe_key="call-me")
        assert (item["state"], item["called_by"], item["call_note"]) == (
            "called",
            "d-call",
            "已电话告知",
        )
        # twice is refused: it left the list already
        assert (await browser.post("/console/follow-ups", {"key": "call-me"})).status == 404
    finally:
        await browser.close()


async def test_two_instances_deliver_every_push_exactly_once(settings, mongo_uri):
    quick = replace(settings, jobs_interval=0.05)
    first = await start_server(quick, mongo_uri)
    second = await start_server(quick, mongo_uri)
    try:
        keys = [f"twin:{n}" for n in range(30)]
        for n, key in enumerate(keys):
            await queue(first if n % 2 else second, key, openid=f"o_twin{n % 3}", text=f"消息 {n}")
        for key in keys:
            await settled(first, key)
        for citizen in range(3):
            # each exactly once, and each citizen's in the order they were queued
            texts = await pushes(first, f"o_twin{citizen}")
            assert texts == [f"消息 {n}" for n in range(citizen, 30, 3)]
        owners = {doc["owner"] for doc in await first.app[hotline_key].db.outbox.find()}
        assert len(owners) == 2  # both instances did part of the work
    finally:
        await first.app[hotline_key].db.client.drop_database(settings.db_name)
        await first.close()
        await second.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_worker_killed_mid_send_is_retried_after_its_lease(settings, mongo_uri, tmp_path):
    # This instance only serves the sandbox API and takes over after the kill.
    survivor = await start_server(replace(settings, jobs_interval=3600), mongo_uri)
    port = free_port()
    env = {
        **os.environ,
        "HOTLINE_MONGODB_URI": mongo_uri,
        "HOTLINE_DB_NAME": settings.db_name,
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_WECHAT_APPID": settings.wechat_appid,
        "HOTLINE_WECHAT_SECRET": SANDBOX_SECRET,
        "HOTLINE_WECHAT_API_BASE": str(survivor.make_url("/sandbox")),
        "HOTLINE_JOBS_INTERVAL": "0.1",
        "HOTLINE_OUTBOX_LEASE": "1",
        "HOTLINE_MODEL_AUTOTRAIN": "false",
        "HOTLINE_LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], env=env)
    db = survivor.app[hotline_key].db
    try:
        # the first send hangs in WeChat (then would fail): the worker dies meanwhile
        await fault(survivor, "custom_send", -1, times=1, delay=10)
        await queue(survivor, "crash", openid="o_crash", text="答复内容")
        for _ in range(300):
            [doc] = await db.outbox.find(dedupe_key="crash")
            # sending, and WeChat has the request (the fault was taken): mid-send
            if doc["state"] == "sending" and not await db.db.sandbox_faults.count_documents({}):
                break
            await asyncio.sleep(0.05)
        assert doc["state"] == "sending"
        worker.send_signal(signal.SIGKILL)
        await asyncio.to_thread(worker.wait, 10)
        await asyncio.sleep(1.2)  # the dead worker's lease runs out
        await survivor.app[hotline_key].sweep()
        doc = await settled(survivor, "crash")
        assert doc["state"] == "sent" and doc["attempts"] == 2
        assert doc["owner"] == survivor.app[hotline_key].sender.owner
        assert await pushes(survivor, "o_crash") == ["答复内容"]
    finally:
        if worker.poll() is None:
            worker.kill()
        await db.client.drop_database(settings.db_name)
        await survivor.close()


async def test_no_sweep_starts_after_shutdown_waited_for_the_last_one(fast):
    # a sweep the scheduler handed over just before it stopped used to run against
    # the closing database and die there, cancelled mid-claim
    hotline = fast.app[hotline_key]
    await hotline.finish_sweep()
    await queue(fast, "late", openid="o_late")
    await hotline.sweep()
    await asyncio.sleep(0.3)  # and the scheduler's own sweeps (every 0.1 s) do nothing
    [doc] = await hotline.db.outbox.find(dedupe_key="late")
    assert doc["state"] == "pending" and doc["attempts"] == 0
