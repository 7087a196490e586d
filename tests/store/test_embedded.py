"""The embedded server: a real MongoDB-protocol server on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pymongo.errors import DuplicateKeyError

from store.database import Database
from store.embedded import start_embedded


async def test_data_survives_a_restart(tmp_path):
    first = await start_embedded(tmp_path)
    db = Database.connect(first.uri)
    await db.ensure_indexes()
    await db.sessions.save("o_keep", {"form": "complaint", "slots": {"a": 1}}, 0, datetime.now(UTC))
    await db.close()
    await first.stop()
    assert first.process is not None and first.process.returncode is not None

    second = await start_embedded(tmp_path)
    assert second.uri != "" and second.process is not None
    db = Database.connect(second.uri)
    data, version = await db.sessions.load("o_keep")
    assert data == {"form": "complaint", "slots": {"a": 1}}
    assert version == 1
    await db.close()
    await second.stop()


async def test_second_instance_joins_the_running_server(tmp_path):
    first = await start_embedded(tmp_path)
    try:
        second = await start_embedded(tmp_path)
        assert second.uri == first.uri
        assert second.process is None  # joined, did not open the SQLite file twice
    finally:
        await first.stop()


async def test_inline_mode_serves_too(tmp_path):
    server = await start_embedded(tmp_path, mode="inline")
    db = Database.connect(server.uri)
    try:
        assert await db.ping()
    finally:
        await db.close()
        await server.stop()


async def test_unique_ids_are_still_enforced_after_the_insert_fix(db: Database):
    collection = db.db.fix_check
    await collection.insert_one({"_id": "a"})
    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": "a"})
    doc = await collection.insert_one({"x": 1})
    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": doc.inserted_id})
    # numeric ids keep mongoeco's 1 == 1.0 check
    await collection.insert_one({"_id": 1})
    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": 1.0})


async def test_ttl_index_is_created(db: Database):
    info = await db.db.inbound_messages.index_information()
    assert any(index.get("expireAfterSeconds") == 0 for index in info.values())
