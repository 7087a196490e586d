"""Shared fixtures: one real embedded MongoDB-protocol server per test session
(a child process, as in production), a fresh database per test, and the real
application on a real socket."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.app import bind_api_base, create_app, hotline_key
from bot.config import Settings, load_settings
from store.database import Database

# WeChat's published sample key; any 43 alphanumerics work.
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def start_embedded_process(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "store.embedded", "--dir", str(directory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    uri = process.stdout.readline().decode().strip()
    assert uri.startswith("mongodb://"), "embedded server did not start"
    return process, uri


def stop_embedded_process(process: subprocess.Popen[bytes]) -> None:
    if process.stdin:
        process.stdin.close()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, uri = start_embedded_process(tmp_path_factory.mktemp("mongo"))
    # One server for the whole session on a 2-core machine that also trains models and
    # runs Chromium: a busy second must not fail a test (the app's 2 s is for citizens).
    patient = "serverSelectionTimeoutMS=15000&connectTimeoutMS=15000"
    yield f"{uri}&{patient}" if "?" in uri else f"{uri.rstrip('/')}/?{patient}"
    stop_embedded_process(process)


@pytest.fixture
def db_name() -> str:
    return "t_" + uuid.uuid4().hex[:12]


@pytest.fixture
async def db(mongo_uri: str, db_name: str) -> AsyncIterator[Database]:
    database = Database.connect(mongo_uri, db_name)
    await database.ensure_indexes()
    yield database
    await database.client.drop_database(db_name)
    await database.close()


@pytest.fixture
def settings(tmp_path: Path, db_name: str) -> Settings:
    return load_settings(
        env={},
        data_dir=str(tmp_path / "var"),
        db_name=db_name,
        wechat_aes_key=AES_KEY,
        jobs_interval="0.2",
        # most tests use the keyword fallback; model tests train once per session
        model_autotrain="false",
    )


async def start_server(settings: Settings, mongo_uri: str, **kwargs: object) -> TestServer:
    app = create_app(settings, database_uri=mongo_uri, **kwargs)  # type: ignore[arg-type]
    server = TestServer(app)
    await server.start_server()
    bind_api_base(app, str(server.make_url("")))
    return server


@pytest.fixture
async def server(settings: Settings, mongo_uri: str) -> AsyncIterator[TestServer]:
    test_server = await start_server(settings, mongo_uri)
    yield test_server
    hotline = test_server.app[hotline_key]
    await hotline.db.client.drop_database(settings.db_name)
    await test_server.close()
