"""mongoeco's SQLite engine, with two local fixes the embedded server relies on.

Both override private methods of mongoeco 4.11 (pinned `<4.12` in pyproject);
`tests/store/test_sqlite_engine.py` fails if an upgrade changes what they rely on.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# After this long without the change-dispatch lease, the engine takes it (see below).
LEASE_TAKEOVER_AFTER = 1.0
# How long the dispatch may wait for SQLite's write lock, and how long it then stays
# off (see `_acquire_change_dispatch_lease`).
DISPATCH_BUSY_TIMEOUT_MS = 200
DISPATCH_PAUSE = 30.0

_LEASE_ROW = (
    "SELECT lease_owner, lease_generation, lease_expires_at_epoch "
    "FROM change_outbox_consumers WHERE consumer_id = ?"
)
_TAKE_LEASE = (
    "UPDATE change_outbox_consumers SET lease_owner = ?, "
    "lease_generation = lease_generation + 1, lease_expires_at_epoch = ? "
    "WHERE consumer_id = ?"
)
_OWN_GENERATION = (
    "SELECT lease_generation FROM change_outbox_consumers WHERE consumer_id = ? AND lease_owner = ?"
)


def sqlite_engine(path: Path) -> Any:
    """A SQLiteEngine for one server that owns its file (`server.lock`)."""
    from mongoeco.core.identity import id_contains_numeric_value
    from mongoeco.engines import SQLiteEngine
    from mongoeco.engines import sqlite as engine_module

    class HotlineSQLiteEngine(SQLiteEngine):
        def _validate_document_against_unique_indexes(  # type: ignore[override]
            self, db_name: str, coll_name: str, document: Any, **options: Any
        ) -> None:
            # mongoeco re-checks a single inserted document's `_id` against every
            # stored document (`scan_payload_id`), which exists for numeric ids whose
            # 1 == 1.0 equality the storage key cannot see. Our ids are ObjectIds and
            # strings, for which the storage-key lookup is exact; without this,
            # inserts slowed from ~680/s to ~70/s after 800 documents (measured).
            if options.get("scan_payload_id") and not id_contains_numeric_value(
                document.get("_id")
            ):
                options["scan_payload_id"] = False
            super()._validate_document_against_unique_indexes(
                db_name, coll_name, document, **options
            )

        _dispatch_paused_until = 0.0

        def _acquire_change_dispatch_lease(self, consumer_id: str) -> int:
            # The dispatch feeds change streams, which hotline never opens, and runs
            # on the server's event loop after the write has committed; an error here
            # is caught by mongoeco's caller and the write succeeds. A CI run froze
            # with the dispatch waiting, 5 s per write (SQLite's default busy timeout),
            # for a write lock that another connection of this process held on to: a
            # lost dispatch costs nothing here, a blocked event loop costs everything.
            # So it waits briefly, and when the database stays locked it stays off for
            # a while and says so.
            from mongoeco.errors import OperationFailure

            if time.monotonic() < self._dispatch_paused_until:
                raise OperationFailure("change dispatch paused: the database was locked")
            try:
                return self._lease_or_take_over(consumer_id)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):
                    raise
                if self._commit_orphaned_transaction():
                    return self._lease_or_take_over(consumer_id)
                self._dispatch_paused_until = time.monotonic() + DISPATCH_PAUSE
                log.warning(
                    "change dispatch off for %.0f s: %s (data connection inside a transaction: %s)",
                    DISPATCH_PAUSE,
                    error,
                    self._connection is not None and self._connection.in_transaction,
                )
                raise OperationFailure(f"change dispatch skipped: {error}") from error

        def _commit_orphaned_transaction(self) -> bool:
            # The data connection inside a transaction while no operation holds the
            # engine's lock: a finished write left it open (hotline opens no
            # transactions). Its writes were acknowledged to clients, and until it
            # ends they are neither durable nor is the database writable by another
            # connection: commit it, as each of those writes would have been.
            conn = self._connection
            if conn is None or not conn.in_transaction or not self._lock.acquire(blocking=False):
                return False
            try:
                if not conn.in_transaction:
                    return False
                conn.commit()
            finally:
                self._lock.release()
            log.warning("committed a transaction the data connection had left open")
            return True

        def _lease_or_take_over(self, consumer_id: str) -> int:
            # After every write mongoeco takes a lease on its change-stream consumer,
            # on the server's event loop, and upstream waits for it in an endless
            # `sleep(0.01)` loop. In 2 of 8 test-suite runs the lease was never free
            # again and the whole server froze. The lease guards against another
            # process dispatching the same consumer, which cannot happen here:
            # consumer ids carry a per-process id and one server owns the file
            # (`server.lock`); within the process mongoeco's own per-consumer gate,
            # held by our caller, serialises dispatches. So a lease still held after
            # a second is stale: take it over (a new generation, so a leftover
            # heartbeat of the old holder fails its renewal and stops).
            waited_since = time.monotonic()
            while time.monotonic() - waited_since < LEASE_TAKEOVER_AFTER:
                with self._change_delivery_storage() as conn:
                    if conn is not self._connection:  # its own connection: not the data's
                        conn.execute(f"PRAGMA busy_timeout = {DISPATCH_BUSY_TIMEOUT_MS}")
                    generation = engine_module._sqlite_acquire_consumer_lease(
                        conn,
                        consumer_id,
                        owner=self._change_dispatch_owner,
                        now_epoch=time.time(),
                        ttl_seconds=engine_module._CHANGE_DISPATCH_LEASE_TTL_SECONDS,
                    )
                    conn.commit()
                    if generation is not None:
                        return generation
                    # raises if the consumer was retired rather than leased
                    engine_module._sqlite_consumer_checkpoint(conn, consumer_id)
                time.sleep(engine_module._CHANGE_DISPATCH_RETRY_SECONDS)
            with self._change_delivery_storage() as conn:
                stale = conn.execute(_LEASE_ROW, (consumer_id,)).fetchone()
                conn.execute(
                    _TAKE_LEASE,
                    (
                        self._change_dispatch_owner,
                        time.time() + engine_module._CHANGE_DISPATCH_LEASE_TTL_SECONDS,
                        consumer_id,
                    ),
                )
                row = conn.execute(
                    _OWN_GENERATION, (consumer_id, self._change_dispatch_owner)
                ).fetchone()
                conn.commit()
            log.warning(
                "took over a stale change-dispatch lease of %s (owner, generation, "
                "expiry): %s; this process is %s",
                consumer_id,
                stale,
                self._change_dispatch_owner,
            )
            if row is None:
                with self._change_delivery_storage() as conn:
                    engine_module._sqlite_consumer_checkpoint(conn, consumer_id)
                raise RuntimeError(f"change consumer {consumer_id} vanished")
            return int(row[0])

    return HotlineSQLiteEngine(str(path))
