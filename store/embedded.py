"""The embedded database: mongoeco's MongoDB wire-protocol server on SQLite.

Used when no MongoDB URI is configured (development, a single small install)
and by the test suite. The application talks to it through the ordinary
PyMongo driver, so the store code is the same as on a real replica set.

It runs as a child process by default: the engine's document work is CPU
bound Python, and in-process it would share the GIL and event loop with the
web server (see `bench/callback.py` for the measurement). `python -m
store.embedded --path DB` runs the server alone; it prints its URI on the
first line of stdout and stops when its stdin closes, so it never outlives
the process that started it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DB_FILE = "hotline.sqlite3"
LOCK_FILE = "server.lock"
URI_FILE = "server.uri"


def _engine(path: Path) -> Any:
    """A SQLiteEngine whose single-document inserts stay O(log n).

    mongoeco 4.11 re-checks a single inserted document's `_id` against every
    stored document (`scan_payload_id`), which exists for numeric ids whose
    1 == 1.0 equality the storage key cannot see. Our ids are ObjectIds and
    strings, for which the storage-key lookup is exact; without this, inserts
    slowed from ~680/s to ~70/s after 800 documents (measured).
    """
    from mongoeco.core.identity import id_contains_numeric_value
    from mongoeco.engines import SQLiteEngine

    class HotlineSQLiteEngine(SQLiteEngine):
        def _validate_document_against_unique_indexes(  # type: ignore[override]
            self, db_name: str, coll_name: str, document: Any, **options: Any
        ) -> None:
            if options.get("scan_payload_id") and not id_contains_numeric_value(
                document.get("_id")
            ):
                options["scan_payload_id"] = False
            super()._validate_document_against_unique_indexes(
                db_name, coll_name, document, **options
            )

    return HotlineSQLiteEngine(str(path))


@contextlib.asynccontextmanager
async def serve_inline(path: Path, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run the server on the current event loop; yields its URI."""
    from mongoeco.wire import AsyncMongoEcoProxyServer

    path.parent.mkdir(parents=True, exist_ok=True)
    server = AsyncMongoEcoProxyServer(engine=_engine(path), host=host, port=port)
    address = await server.start()
    try:
        yield address.uri
    finally:
        await server.close()


@dataclass(slots=True)
class EmbeddedServer:
    """A running embedded server: its URI and how to stop it."""

    uri: str
    process: asyncio.subprocess.Process | None = None
    _inline: contextlib.AbstractAsyncContextManager[str] | None = None

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            if self.process.stdin is not None:
                self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._inline is not None:
            await self._inline.__aexit__(None, None, None)


async def start_embedded(data_dir: Path, mode: str = "process") -> EmbeddedServer:
    """Start the server for `data_dir/db`, or join one already serving it.

    The child holds an exclusive lock on the database directory; a second
    `hotline serve` on the same data directory connects to that server instead
    of opening the SQLite file twice.
    """
    db_dir = data_dir / "db"
    db_dir.mkdir(parents=True, exist_ok=True)
    existing = _running_server_uri(db_dir)
    if existing:
        log.info("joining the embedded database already serving %s", db_dir)
        return EmbeddedServer(uri=existing)
    if mode == "inline":
        context = serve_inline(db_dir / DB_FILE)
        uri = await context.__aenter__()
        return EmbeddedServer(uri=uri, _inline=context)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "store.embedded",
        "--dir",
        str(db_dir),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
    except TimeoutError:
        process.kill()
        raise RuntimeError("the embedded database did not start within 60 s") from None
    uri = line.decode().strip()
    if not uri.startswith("mongodb://"):
        await process.wait()
        raise RuntimeError(f"the embedded database failed to start (exit {process.returncode})")
    return EmbeddedServer(uri=uri, process=process)


def _running_server_uri(db_dir: Path) -> str:
    lock_path = db_dir / LOCK_FILE
    if not lock_path.exists():
        return ""
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            uri_path = db_dir / URI_FILE
            return uri_path.read_text().strip() if uri_path.exists() else ""
        fcntl.flock(handle, fcntl.LOCK_UN)
    return ""


async def _child_main(db_dir: Path, host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with serve_inline(db_dir / DB_FILE, host, port) as uri:
        (db_dir / URI_FILE).write_text(uri + "\n")
        print(uri, flush=True)
        # The parent holds our stdin: EOF means it has gone, so must we.
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        eof = asyncio.ensure_future(reader.read())
        waiter = asyncio.ensure_future(stop.wait())
        await asyncio.wait({eof, waiter}, return_when=asyncio.FIRST_COMPLETED)
        eof.cancel()
        waiter.cancel()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(db_dir / URI_FILE)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run hotline's embedded MongoDB-protocol server")
    parser.add_argument("--dir", required=True, type=Path, help="database directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=0, type=int)
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    lock = open(args.dir / LOCK_FILE, "a+")  # held for the whole process lifetime
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("error: another embedded server is using this directory", file=sys.stderr)
        raise SystemExit(3) from None
    asyncio.run(_child_main(args.dir, args.host, args.port))


if __name__ == "__main__":
    main()
