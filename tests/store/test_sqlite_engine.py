"""The embedded server survives a change-dispatch lease that is never released.

mongoeco takes a lease on its change-stream consumer after every write and, upstream,
waits for it for ever on the server's event loop: the whole server froze in 2 of 8
test-suite runs. Here the lease is left held by a holder that will never come back,
in the real SQLite file under a real server process, and the next write must still
go through.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from pymongo import MongoClient

from store.embedded import DB_FILE
from store.sqlite_engine import LEASE_TAKEOVER_AFTER

ROOT = Path(__file__).resolve().parents[2]


def test_a_write_takes_over_a_lease_left_by_a_vanished_holder(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "store.embedded", "--dir", str(tmp_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert server.stdout is not None and server.stdin is not None
    uri = server.stdout.readline().decode().strip()
    client: MongoClient = MongoClient(uri, socketTimeoutMS=20_000, serverSelectionTimeoutMS=20_000)
    try:
        complaints = client.hotline_test.complaints
        complaints.insert_one({"_id": "first"})
        with sqlite3.connect(tmp_path / DB_FILE) as database:
            leased = database.execute(
                "UPDATE change_outbox_consumers SET lease_owner = 'vanished', "
                "lease_expires_at_epoch = ? ",
                (time.time() + 3600,),
            ).rowcount
        assert leased >= 1  # the consumer the next write dispatches to

        started = time.monotonic()
        complaints.insert_one({"_id": "second"})
        waited = time.monotonic() - started

        assert LEASE_TAKEOVER_AFTER <= waited < LEASE_TAKEOVER_AFTER + 10
        assert sorted(doc["_id"] for doc in complaints.find()) == ["first", "second"]
        with sqlite3.connect(tmp_path / DB_FILE) as database:
            owners = {
                row[0]
                for row in database.execute("SELECT lease_owner FROM change_outbox_consumers")
            }
        assert "vanished" not in owners
        # and the writes after it do not wait again
        started = time.monotonic()
        complaints.insert_one({"_id": "third"})
        assert time.monotonic() - started < LEASE_TAKEOVER_AFTER
    finally:
        client.close()
        server.stdin.close()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()  # frozen: without the takeover it spins for ever
            raise
    assert b"took over a stale change-dispatch lease" in server.stderr.read()


def test_a_transaction_left_open_on_the_data_connection_is_committed(
    tmp_path: Path, caplog
) -> None:
    # A CI run froze with every write's change dispatch waiting 5 s (SQLite's busy
    # timeout) for a write lock the engine's own data connection kept inside an open
    # transaction; meanwhile the writes went into that transaction, acknowledged but
    # not durable. The engine in-process, with its data connection left that way:
    from mongoeco import MongoClient

    from store.sqlite_engine import sqlite_engine

    path = tmp_path / "db.sqlite"
    engine = sqlite_engine(path)
    client: MongoClient = MongoClient(engine)
    try:
        collection = client.hotline_test.complaints
        collection.insert_one({"_id": "first"})
        engine._connection.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        collection.insert_one({"_id": "second"})
        assert time.monotonic() - started < 2.0  # a short wait for the lock, not 5 s
        assert not engine._connection.in_transaction
        with sqlite3.connect(path) as other:  # durable: another connection can write
            other.execute("CREATE TABLE probe (x)")
        started = time.monotonic()
        collection.insert_one({"_id": "third"})
        assert time.monotonic() - started < 1.0
        assert sorted(d["_id"] for d in collection.find()) == ["first", "second", "third"]
    finally:
        client.close()
    assert "committed a transaction the data connection had left open" in caplog.text


def test_a_database_locked_from_outside_pauses_the_dispatch_not_the_writes(
    tmp_path: Path, caplog
) -> None:
    from mongoeco import MongoClient

    from store.sqlite_engine import DISPATCH_PAUSE, sqlite_engine

    engine = sqlite_engine(tmp_path / "db.sqlite")
    client: MongoClient = MongoClient(engine)
    try:
        collection = client.hotline_test.complaints
        collection.insert_one({"_id": "first"})
        # an operation in progress on a worker thread holds the engine's lock and its
        # transaction: not to be committed from outside
        holding, done = threading.Event(), threading.Event()

        def operation() -> None:
            with engine._lock:
                engine._connection.execute("BEGIN IMMEDIATE")
                holding.set()
                done.wait(10)
                engine._connection.rollback()

        worker = threading.Thread(target=operation)
        worker.start()
        holding.wait(10)
        try:
            started = time.monotonic()
            engine_error = None
            try:
                engine._acquire_change_dispatch_lease(_consumers(engine)[0])
            except Exception as error:  # the caller in mongoeco swallows it
                engine_error = error
            waited = time.monotonic() - started
        finally:
            done.set()
            worker.join(10)
    finally:
        client.close()
    assert engine_error is not None and waited < 2.0
    assert DISPATCH_PAUSE >= 10
    assert "change dispatch off" in caplog.text


def _consumers(engine) -> list[str]:
    with engine._change_delivery_storage() as conn:
        rows = conn.execute("SELECT consumer_id FROM change_outbox_consumers").fetchall()
    return [row[0] for row in rows]
