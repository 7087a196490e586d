"""The embedded server: a real MongoDB-protocol server on SQLite, shared by every
command on a data directory (real processes, real sockets)."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pymongo.errors import DuplicateKeyError

from store.database import Database
from store.embedded import start_embedded

ROOT = Path(__file__).resolve().parents[2]

# A command using the embedded database, as `hotline train` or `hotline serve` does:
# it prints the URI and the server's pid (0 if it joined one), then keeps using the
# database until its stdin closes.
CLIENT = """
import asyncio, sys
from pathlib import Path
from store.embedded import start_embedded

async def main():
    server = await start_embedded(Path(sys.argv[1]))
    print(server.uri, server.process.pid if server.process else 0, flush=True)
    await asyncio.to_thread(sys.stdin.read)
    await server.stop()

asyncio.run(main())
"""


class Client:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.uri = ""
        self.server_pid = 0

    @classmethod
    async def start(cls, data_dir: Path) -> Client:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CLIENT, str(data_dir), cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        return cls(process)

    async def ready(self) -> Client:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), 90)
        uri, pid = line.decode().split()
        self.uri, self.server_pid = uri, int(pid)
        return self

    async def leave(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.close()
        return await asyncio.wait_for(self.process.wait(), 30)


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for a reaper has stopped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _gone(pid: int, within: float = 15) -> bool:
    deadline = time.monotonic() + within
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def _works(uri: str) -> bool:
    db = Database.connect(uri, "t_embedded")
    try:
        await db.db.probe.insert_one({"at": datetime.now(UTC)})
        return await db.db.probe.count_documents({}) > 0
    finally:
        await db.close()


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
    second = await start_embedded(tmp_path)
    try:
        assert second.uri == first.uri
        assert second.process is None  # joined, did not open the SQLite file twice
        await first.stop()
        assert await _works(second.uri)  # the starter left; the server stayed
    finally:
        await second.stop()
        await first.stop()
    assert first.process is not None and await _gone(first.process.pid)


async def test_the_command_that_started_it_can_exit_while_a_server_uses_it(tmp_path):
    """`hotline train` starts the database, `hotline serve` joins, train finishes."""
    train = await (await Client.start(tmp_path)).ready()
    serve = await start_embedded(tmp_path)
    try:
        assert serve.uri == train.uri and serve.process is None
        assert await train.leave() == 0
        await asyncio.sleep(1)  # more than the server's idle check
        assert _alive(train.server_pid)
        assert await _works(serve.uri)
    finally:
        await serve.stop()
    # the last user left: nothing is left running
    assert await _gone(train.server_pid)


async def test_commands_started_together_share_one_server(tmp_path):
    clients = [await Client.start(tmp_path) for _ in range(3)]
    await asyncio.gather(*(client.ready() for client in clients))
    assert len({client.uri for client in clients}) == 1
    starters = [client.server_pid for client in clients if client.server_pid]
    assert len(starters) == 1  # one server, the others joined it
    assert await _works(clients[0].uri)
    for client in clients:
        assert await client.leave() == 0
    assert await _gone(starters[0])


async def test_a_killed_command_does_not_leave_the_server_behind(tmp_path):
    client = await (await Client.start(tmp_path)).ready()
    client.process.send_signal(signal.SIGKILL)
    await client.process.wait()
    assert await _gone(client.server_pid)  # its lease went with it


@pytest.mark.parametrize("delay", [0, 0.02, 0.2])
async def test_a_restart_during_shutdown_gets_a_live_database(tmp_path, delay):
    """The last user stops the server as a new one starts, at different moments of
    that shutdown: the newcomer must never join a server that is going away."""
    old = await start_embedded(tmp_path)
    assert old.process is not None
    stopping = asyncio.create_task(old.stop())
    await asyncio.sleep(delay)
    new = await start_embedded(tmp_path)
    try:
        await stopping
        assert await _works(new.uri)
    finally:
        await new.stop()
    # whichever server it got, the last user's stop leaves nothing running
    assert await _gone(old.process.pid)
    assert new.process is None or await _gone(new.process.pid)


async def test_an_inline_server_waits_for_those_who_joined_it(tmp_path):
    inline = await start_embedded(tmp_path, mode="inline")
    other = await (await Client.start(tmp_path)).ready()
    assert other.uri == inline.uri and other.server_pid == 0
    stopping = asyncio.create_task(inline.stop())
    await asyncio.sleep(1)
    assert not stopping.done()
    assert await _works(other.uri)
    assert await other.leave() == 0
    await asyncio.wait_for(stopping, 15)


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


async def test_a_killed_server_is_started_again_on_its_address(tmp_path):
    starter = await start_embedded(tmp_path)
    joined = await start_embedded(tmp_path)
    db = Database.connect(starter.uri, "t_embedded")
    try:
        await db.db.probe.insert_one({"_id": "before"})
        assert not await joined.revive() and not await starter.revive()  # alive: nothing
        assert starter.process is not None
        starter.process.kill()
        await asyncio.to_thread(starter.process.wait)

        # both users notice; one of them starts it, the other finds it serving
        revived = await asyncio.gather(joined.revive(), starter.revive())
        assert sorted(revived) == [False, True]
        # the client made before the crash carries on, with the data kept
        await db.db.probe.insert_one({"_id": "after"})
        assert sorted(d["_id"] for d in await db.db.probe.find().to_list()) == ["after", "before"]
        assert (joined.process or starter.process) is not None
    finally:
        await db.close()
        await joined.stop()
        await starter.stop()
    # the new server stops with its last user, like the first one
    for user in (starter, joined):
        if user.process is not None:
            assert await _gone(user.process.pid)
