"""The embedded database: mongoeco's MongoDB wire-protocol server on SQLite.

Used when no MongoDB URI is configured (development, a single small install)
and by the test suite. The application talks to it through the ordinary
PyMongo driver, so the store code is the same as on a real replica set.

It runs as a child process by default: the engine's document work is CPU
bound Python, and in-process it would share the GIL and event loop with the
web server (see `bench/callback.py` for the measurement).

Several processes may use one data directory at once (`hotline serve` and a
`hotline train` beside it, two servers, a server restarted while the old one
is still shutting down), so the server belongs to nobody in particular: every
user holds a lease, a shared `flock` on `db/users.lock`, for as long as it uses
the database. The server started by `start_embedded` stops when it can take
that lock exclusively, i.e. when the last user has gone, however it went (the
kernel drops a killed process's lock too), so it neither dies under a server
that joined it nor outlives everyone. The files in `db/`:

- `server.lock`: held exclusively by the process serving the directory, so the
  SQLite file is never opened by two servers;
- `server.uri`: where that server listens, present only while it accepts users;
- `users.lock`: the leases (shared) and the stop decision (exclusive, held by a
  stopping server until it has released `server.lock`, so a newcomer waits for
  it to be gone instead of joining a dying server);
- `start.lock`: serialises "is one running? if not, start it", so two commands
  started together share one server instead of racing for `server.lock`.

`python -m store.embedded --dir DB` runs the server alone (the test suite's
shared server, benchmarks): it prints its URI on the first line of stdout and
stops when its stdin closes, so it never outlives the process that started it.
With `--shared` it ignores stdin and stops when the last lease is released.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import subprocess
import sys
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from store.sqlite_engine import sqlite_engine

log = logging.getLogger(__name__)

DB_FILE = "hotline.sqlite3"
LOCK_FILE = "server.lock"
URI_FILE = "server.uri"
USERS_LOCK = "users.lock"
START_LOCK = "start.lock"

# How often a shared server checks whether anyone still holds a lease, and how often
# a waiting command retries a lock: a flock attempt is one cheap system call.
IDLE_POLL = 0.2
LOCK_POLL = 0.05
# A stopping server closes its sockets and SQLite within a second or two; starting
# one imports mongoeco and opens SQLite, slower on a busy 2-core machine.
STOP_WAIT = 10.0
START_WAIT = 60.0


@contextlib.asynccontextmanager
async def serve_inline(path: Path, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run the server on the current event loop; yields its URI."""
    from mongoeco.wire import AsyncMongoEcoProxyServer

    path.parent.mkdir(parents=True, exist_ok=True)
    server = AsyncMongoEcoProxyServer(engine=sqlite_engine(path), host=host, port=port)
    address = await server.start()
    try:
        yield address.uri
    finally:
        await server.close()


class EmbeddedStartError(RuntimeError):
    """The embedded database could not be started or joined (one-line reason)."""


class _Lease:
    """A shared lock on `users.lock`: this process uses the database."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        _leases.add(self)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


_leases: weakref.WeakSet[_Lease] = weakref.WeakSet()


def _drop_leases_in_child() -> None:
    # A plain fork shares the parent's open file description and with it the lease:
    # a forked worker that lingers would keep the database up after its parent left.
    # Closing the child's copy leaves the parent's lease as it was.
    for lease in list(_leases):
        if lease.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(lease.fd)
            lease.fd = -1


os.register_at_fork(after_in_child=_drop_leases_in_child)


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def _try_lock(fd: int, operation: int) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


async def _lock(fd: int, operation: int, waiting_for: str, limit: float | None = None) -> None:
    """flock without blocking the event loop (a blocking flock in a thread could not
    be cancelled); fails with a readable reason instead of hanging."""
    try:
        async with asyncio.timeout(limit):
            # Another process's flock cannot be awaited as an event: poll it.
            while not _try_lock(fd, operation):  # noqa: ASYNC110
                await asyncio.sleep(LOCK_POLL)
    except TimeoutError:
        raise EmbeddedStartError(f"gave up after {limit:.0f} s waiting for {waiting_for}") from None


def _serving_uri(db_dir: Path) -> str | None:
    """The URI of the server accepting users; "" if none holds the directory; None
    while one holds it without accepting users (starting up or shutting down).

    Called only under `start.lock`, which every server takes (or whose holder spawned
    it) while it locks `server.lock`: this probe never makes a starting server fail.
    """
    fd = _open(db_dir / LOCK_FILE)
    try:
        if _try_lock(fd, fcntl.LOCK_EX):
            return ""
    finally:
        os.close(fd)
    try:
        return (db_dir / URI_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def _publish_uri(db_dir: Path, uri: str) -> None:
    # Written whole and renamed, so a reader never sees half a URI.
    partial = db_dir / (URI_FILE + ".partial")
    partial.write_text(uri + "\n")
    os.replace(partial, db_dir / URI_FILE)


def _withdraw_uri(db_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(db_dir / URI_FILE)


@dataclass(slots=True)
class EmbeddedServer:
    """This process's use of the embedded server: its URI, the lease that keeps the
    server up, and, for the process that started it, the server itself."""

    uri: str
    db_dir: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    _lease: _Lease | None = None
    _inline: contextlib.AbstractAsyncContextManager[str] | None = None
    _server_lock: int = -1
    _stopped: bool = field(default=False, repr=False)

    async def stop(self) -> None:
        """Stop using the server; stop the server only if nobody else uses it."""
        if self._stopped:
            return
        self._stopped = True
        if self._lease is not None:
            self._lease.release()
        if self._inline is not None:
            await self._stop_inline()
        elif self.process is not None:
            await self._stop_process()

    async def revive(self) -> bool:
        """Start the server again, on the same address, if it died (killed, crashed)
        while this process still uses it; True if this call started it.

        The driver reconnects to the same address by itself, so the application only
        sees the seconds it was down. Whoever looks first restarts it: the starter, or
        a command that joined it (under `start.lock`, so only one of them does). Our
        lease on `users.lock` means no server can be stopping for lack of users, so a
        free `server.lock` means nobody serves the directory.
        """
        if self._stopped or self._inline is not None or self.db_dir is None:
            return False
        if self.process is not None and self.process.poll() is None:
            return False
        start_fd = _open(self.db_dir / START_LOCK)
        try:
            await _lock(start_fd, fcntl.LOCK_EX, "another command to start it", START_WAIT * 1.5)
            if _serving_uri(self.db_dir) != "":
                return False  # serving, or another user is starting it right now
            log.error("the embedded database at %s has stopped; starting it again", self.db_dir)
            fresh = await _start_process(self.db_dir, self._lease, urlsplit(self.uri).port or 0)
        finally:
            os.close(start_fd)
        # Clients hold the old address: it must be the same one (EmbeddedStartError
        # above if the port was taken meanwhile; the next call tries again).
        self.process = fresh.process
        return True

    async def _stop_process(self) -> None:
        assert self.process is not None and self.db_dir is not None
        process = self.process
        fd = _open(self.db_dir / USERS_LOCK)
        try:
            while process.poll() is None:
                if _try_lock(fd, fcntl.LOCK_EX):
                    # No lease is left, and none can be taken while we hold this: we
                    # are the last user, so we stop it now rather than leave that to
                    # its idle check (whose timing we could not wait for reliably).
                    process.terminate()
                    await _wait_exit(process)
                    return
                if _try_lock(fd, fcntl.LOCK_SH):
                    # Not stopping (it would hold the lock exclusively), and someone
                    # held a lease a moment ago: it serves them; the last one out
                    # (or the server's idle check) stops it.
                    log.info(
                        "the embedded database keeps serving other commands using %s",
                        self.db_dir,
                    )
                    return
                # The server itself holds it exclusively: it is stopping; reap it.
                await asyncio.sleep(LOCK_POLL)
        finally:
            os.close(fd)

    async def _stop_inline(self) -> None:
        assert self._inline is not None and self.db_dir is not None
        fd = _open(self.db_dir / USERS_LOCK)
        try:
            if not _try_lock(fd, fcntl.LOCK_EX):
                # The server runs on our event loop and cannot outlive us: those
                # who joined it would lose their database, so we wait for them.
                log.info("waiting for the other commands using %s to finish", self.db_dir)
                await _lock(fd, fcntl.LOCK_EX, "the other commands to finish")
            _withdraw_uri(self.db_dir)
            await self._inline.__aexit__(None, None, None)
            os.close(self._server_lock)
            self._server_lock = -1
        finally:
            os.close(fd)


async def _wait_exit(process: subprocess.Popen[bytes]) -> None:
    try:
        await asyncio.wait_for(asyncio.to_thread(process.wait), STOP_WAIT)
    except TimeoutError:
        process.kill()
        await asyncio.to_thread(process.wait)


async def start_embedded(data_dir: Path, mode: str = "process") -> EmbeddedServer:
    """Join the server for `data_dir/db`, or start one; keep it up until `stop()`.

    A second command on the same data directory, started at the same moment or
    later, connects to the same server instead of opening the SQLite file twice.
    Raises EmbeddedStartError with a one-line reason when that is impossible.
    """
    db_dir = data_dir / "db"
    db_dir.mkdir(parents=True, exist_ok=True)
    lease = _Lease(_open(db_dir / USERS_LOCK))
    try:
        # Blocks only while a server that found itself unused is shutting down.
        await _lock(lease.fd, fcntl.LOCK_SH, "the embedded database to stop", START_WAIT)
        start_fd = _open(db_dir / START_LOCK)
        try:
            await _lock(start_fd, fcntl.LOCK_EX, "another command to start it", START_WAIT * 1.5)
            deadline = time.monotonic() + START_WAIT
            while (uri := _serving_uri(db_dir)) is None:
                # A server started with `python -m store.embedded` (no leases) is
                # shutting down: never join it, start ours once it is gone.
                if time.monotonic() > deadline:
                    raise EmbeddedStartError(f"another embedded server still holds {db_dir}")
                await asyncio.sleep(LOCK_POLL)
            if uri:
                log.info("joining the embedded database already serving %s", db_dir)
                return EmbeddedServer(uri=uri, db_dir=db_dir, _lease=lease)
            if mode == "inline":
                return await _start_inline(db_dir, lease)
            return await _start_process(db_dir, lease)
        finally:
            os.close(start_fd)
    except BaseException:
        lease.release()
        raise


async def _start_inline(db_dir: Path, lease: _Lease) -> EmbeddedServer:
    server_lock = _open(db_dir / LOCK_FILE)
    if not _try_lock(server_lock, fcntl.LOCK_EX):  # only a non-cooperating process
        os.close(server_lock)
        raise EmbeddedStartError(f"another embedded server is using {db_dir}")
    try:
        context = serve_inline(db_dir / DB_FILE)
        uri = await context.__aenter__()
        _publish_uri(db_dir, uri)
    except BaseException:
        os.close(server_lock)
        raise
    return EmbeddedServer(
        uri=uri, db_dir=db_dir, _lease=lease, _inline=context, _server_lock=server_lock
    )


async def _start_process(db_dir: Path, lease: _Lease | None, port: int = 0) -> EmbeddedServer:
    process = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-m", "store.embedded", "--dir", str(db_dir), "--shared"]
        + (["--port", str(port)] if port else []),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        # Its own session: a Ctrl+C meant for the command that started it must not
        # stop a server that others may be using (it stops when its users are gone).
        start_new_session=True,
    )
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), START_WAIT)
    except BaseException as error:
        process.kill()
        process.wait()
        if isinstance(error, TimeoutError):
            raise EmbeddedStartError(
                f"the embedded database did not start within {START_WAIT:.0f} s"
            ) from None
        raise
    finally:
        process.stdout.close()
    uri = line.decode().strip()
    if not uri.startswith("mongodb://"):
        process.wait()
        raise EmbeddedStartError(
            f"the embedded database failed to start (exit {process.returncode})"
        )
    return EmbeddedServer(uri=uri, db_dir=db_dir, process=process, _lease=lease)


async def _child_main(db_dir: Path, host: str, port: int, shared: bool, ready: int) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    users = _open(db_dir / USERS_LOCK)
    async with serve_inline(db_dir / DB_FILE, host, port) as uri:
        _publish_uri(db_dir, uri)
        if ready >= 0:
            os.close(ready)  # lets the next command look: it finds us serving
        # The command that started us may have died meanwhile; others may have joined
        # already, or the idle check below stops us: not a reason to crash.
        with contextlib.suppress(BrokenPipeError):
            print(uri, flush=True)
        # Nothing else is written there; its reader may be gone, and a write would fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        if shared:
            waiter = asyncio.ensure_future(stop.wait())
            # Exclusive only once no lease is held; kept until we exit, so a newcomer
            # waits for us to be gone instead of joining a server that is closing.
            while not _try_lock(users, fcntl.LOCK_EX):
                await asyncio.wait({waiter}, timeout=IDLE_POLL)
                if stop.is_set():
                    break
            waiter.cancel()
            _withdraw_uri(db_dir)
        else:
            # The parent holds our stdin: EOF means it has gone, so must we.
            reader = asyncio.StreamReader()
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
            eof = asyncio.ensure_future(reader.read())
            waiter = asyncio.ensure_future(stop.wait())
            await asyncio.wait({eof, waiter}, return_when=asyncio.FIRST_COMPLETED)
            eof.cancel()
            waiter.cancel()
            _withdraw_uri(db_dir)
    # main() releases server.lock before this process (and with it the exclusive
    # users.lock) goes away: a newcomer let in then finds the directory free.


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run hotline's embedded MongoDB-protocol server")
    parser.add_argument("--dir", required=True, type=Path, help="database directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default=0, type=int)
    parser.add_argument(
        "--shared",
        action="store_true",
        help="ignore stdin; stop when no process holds a lease on users.lock",
    )
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    ready = -1
    if not args.shared:
        # Started by hand: take the turn that start_embedded's callers take (a shared
        # server's starter holds it for us), so none of them sees the lock held
        # before our URI is written, or reads a stale one.
        ready = _open(args.dir / START_LOCK)
        fcntl.flock(ready, fcntl.LOCK_EX)
    lock = _open(args.dir / LOCK_FILE)  # held for the whole time we serve
    if not _try_lock(lock, fcntl.LOCK_EX):
        print("error: another embedded server is using this directory", file=sys.stderr)
        raise SystemExit(3)
    _withdraw_uri(args.dir)  # left behind by a server that was killed
    try:
        asyncio.run(_child_main(args.dir, args.host, args.port, args.shared, ready))
    finally:
        os.close(lock)


if __name__ == "__main__":
    main()
