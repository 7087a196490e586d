"""The model registry's edges: activation that changes nothing, atomic rollback, the
category check on activation, and training jobs whose instance died."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.api_models import STALE_AFTER, TRAINING_LOCK
from bot.app import hotline_key
from bot.model_holder import ModelHolder, TaxonomyMismatch
from classifier.persist import dumps
from classifier.training import train
from models.accounts import Role
from store.database import Database
from store.model_registry import RegistryConflict, RegistryError
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token
from tests.bot.test_models_e2e import dataset

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
MISSING = ("教育文体", "劳动和社会保障", "商贸旅游", "卫生计生")


@pytest.fixture(scope="module")
def artifacts() -> dict[str, bytes]:
    return {
        "full": dumps(train(dataset("城乡建设"), folds=3).model),
        "partial": dumps(train(dataset("城乡建设", full=False), folds=3).model),
    }


async def versions(db: Database, count: int) -> list[str]:
    """Registered versions; their artifacts are never loaded by the registry itself."""
    return [
        (await db.models.register(b"-", metrics={}, data={}, created_by="t", now=NOW)).version
        for _ in range(count)
    ]


async def history(db: Database) -> list[str]:
    return (await db.db.model_state.find_one({"_id": "active"}))["history"]


async def test_activating_the_active_version_changes_nothing(db: Database):
    v1, v2 = await versions(db, 2)
    assert (await db.models.activate(v1, by="a", now=NOW)).changed
    again = await db.models.activate(v1, by="b", now=NOW + timedelta(minutes=1))
    assert not again.changed and again.activated_by == "a" and again.activated_at == NOW
    assert await history(db) == []
    await db.models.activate(v2, by="a", now=NOW)
    assert (await db.models.rollback(by="a", now=NOW)).version == v1
    # the reviewer's sequence ended with a second "rolled back to v0001"
    with pytest.raises(RegistryError, match=f"no version before {v1}"):
        await db.models.rollback(by="a", now=NOW)
    assert (await db.models.active()).version == v1


async def test_rollback_never_goes_back_to_the_active_version(db: Database):
    v1, v2 = await versions(db, 2)
    # written by the old code: re-activating v2 pushed v2 itself onto the history
    await db.db.model_state.insert_one(
        {"_id": "active", "version": v2, "activated_at": NOW, "activated_by": "a",
         "history": [v1, v2, v2]}
    )  # fmt: skip
    assert (await db.models.rollback(by="a", now=NOW)).version == v1
    with pytest.raises(RegistryError):
        await db.models.rollback(by="a", now=NOW)


async def test_concurrent_rollbacks_do_not_undo_the_same_step(db: Database):
    v1, v2, v3 = await versions(db, 3)
    for version in (v1, v2, v3):
        await db.models.activate(version, by="a", now=datetime.now(UTC))
    results = await asyncio.gather(
        *(db.models.rollback(by=who, now=datetime.now(UTC)) for who in ("a", "b")),
        return_exceptions=True,
    )
    done = [r.version for r in results if not isinstance(r, BaseException)]
    assert done.count(v2) == 1, results  # both used to "roll back" v3 -> v2
    conflicts = [r for r in results if isinstance(r, RegistryConflict)]
    # either the second saw the first's write (and went one step further) or it lost the race
    assert sorted(done) == [v1, v2] or (done == [v2] and len(conflicts) == 1), results
    assert (await db.models.active()).version == min(done)


async def test_concurrent_activations_keep_every_step_of_the_history(db: Database):
    v1, v2, v3 = await versions(db, 3)
    await db.models.activate(v1, by="a", now=NOW)
    await asyncio.gather(
        db.models.activate(v2, by="a", now=datetime.now(UTC)),
        db.models.activate(v3, by="b", now=datetime.now(UTC)),
    )
    active = (await db.models.active()).version
    assert active in (v2, v3)
    assert await history(db) == [v1, v3 if active == v2 else v2]


async def test_rollback_from_a_stale_page_is_refused(db: Database):
    v1, v2, v3 = await versions(db, 3)
    for version in (v1, v2, v3):
        await db.models.activate(version, by="a", now=datetime.now(UTC))
    with pytest.raises(RegistryConflict, match=f"{v2} is no longer active"):
        await db.models.rollback(by="a", now=NOW, expect=v2)
    assert (await db.models.rollback(by="a", now=NOW, expect=v3)).version == v2


async def test_holder_refuses_a_model_without_the_configured_categories(db: Database, artifacts):
    holder = ModelHolder(db.models, db.locks, audit=db.accounts.audit)
    full, partial = [
        (
            await db.models.register(artifacts[k], metrics={}, data={}, created_by="t", now=NOW)
        ).version
        for k in ("full", "partial")
    ]
    # labels read from the artifact itself: this registration recorded none
    with pytest.raises(TaxonomyMismatch) as refused:
        await holder.activate(partial, "root")
    assert refused.value.missing == MISSING and refused.value.unknown == ()
    assert "教育文体" in refused.value.reason and await db.models.active() is None
    # labels from the training summary: renamed categories are unknown to every department
    renamed = (await db.models.register(
        artifacts["full"], metrics={}, created_by="t", now=NOW,
        data={"per_class": {"环保": 10, "交通": 10, "城乡建设": 10}},
    )).version  # fmt: skip
    with pytest.raises(TaxonomyMismatch) as refused:
        await holder.activate(renamed, "root")
    assert refused.value.unknown == ("交通", "环保")
    assert "环境保护" in refused.value.missing and "城乡建设" not in refused.value.missing
    assert (await holder.activate(full, "root")).version == full
    forced = await holder.activate(partial, "root", force=True)
    assert forced.changed and (await db.models.active()).version == partial
    await holder.activate(full, "root")
    with pytest.raises(TaxonomyMismatch):  # back to the forced one: the same check
        await holder.rollback("root")
    assert (await db.models.active()).version == full
    assert (await holder.rollback("root", force=True)).version == partial
    with pytest.raises(RegistryError):
        await holder.activate("v9999", "root")
    # every change on record, by whom and to what; both overrides as such (newest first)
    entries = [(e["actor"], e["action"], e["target"]) for e in await db.accounts.audit_entries()]
    assert entries == [
        ("root", "force-activate-model", partial),
        ("root", "activate-model", full),
        ("root", "force-activate-model", partial),
        ("root", "activate-model", full),
    ]


async def test_api_activation_names_the_missing_categories_and_can_be_forced(server, artifacts):
    db = server.app[hotline_key].db
    admin = await make_token(server, "admin-x", Role.ADMIN)
    dispatcher = await make_token(server, "disp-x", Role.DISPATCHER)
    full, partial = [
        (await db.models.register(artifacts[k], metrics={}, created_by="t", now=NOW, data={
            "source": "/srv/hotline/classifier/data/corpus.csv+/home/x/my.csv+store corrections"
        })).version
        for k in ("full", "partial")
    ]  # fmt: skip
    status, body = await api(server, "POST", f"/api/v1/models/{partial}/activate", admin)
    assert status == 409, body
    assert all(name in body["error"] for name in MISSING) and '"force": true' in body["error"]
    assert await db.models.active() is None
    status, body = await api(
        server, "POST", f"/api/v1/models/{partial}/activate", admin, {"force": "yes"}
    )
    assert status == 400
    status, body = await api(
        server, "POST", f"/api/v1/models/{partial}/activate", admin, {"force": True}
    )
    assert status == 200 and body == {"active": partial, "changed": True}
    forced = [e for e in await db.accounts.audit_entries() if e["action"] == "force-activate-model"]
    assert [(e["actor"], e["target"]) for e in forced] == [("admin-x", partial)]
    status, body = await api(server, "POST", f"/api/v1/models/{full}/activate", admin)
    assert status == 200 and body == {"active": full, "changed": True}
    status, body = await api(server, "POST", f"/api/v1/models/{full}/activate", admin)
    assert status == 200 and body == {"active": full, "changed": False}
    # rolling back to a version that was forced in needs forcing again
    status, body = await api(server, "POST", "/api/v1/models/rollback", admin)
    assert status == 409 and all(name in body["error"] for name in MISSING), body
    assert '"force": true' in body["error"] and (await db.models.active()).version == full
    status, body = await api(server, "POST", "/api/v1/models/rollback", admin, {"force": True})
    assert status == 200 and body["active"] == partial
    forced = [e for e in await db.accounts.audit_entries() if e["action"] == "force-activate-model"]
    assert len(forced) == 2
    status, body = await api(server, "POST", "/api/v1/models/rollback", admin)
    assert status == 409
    # dispatchers see which model decides their suggestions; nobody sees server paths
    status, body = await api(server, "GET", "/api/v1/models", dispatcher)
    assert status == 200 and body["active"] == partial
    sources = {m["data"]["source"] for m in body["models"]}
    assert sources == {"corpus.csv+my.csv+store corrections"}
    assert "/srv" not in json.dumps(body, ensure_ascii=False)
    assert (await api(server, "POST", "/api/v1/models/rollback", dispatcher))[0] == 403
    assert (await api(server, "POST", f"/api/v1/models/{full}/activate", dispatcher))[0] == 403


async def test_console_offers_to_force_a_refused_activation(server, artifacts):
    db = server.app[hotline_key].db
    partial = (await db.models.register(
        artifacts["partial"], metrics={}, data={}, created_by="t", now=NOW
    )).version  # fmt: skip
    await make_staff(server, "root-f", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-f")
        page = await browser.post(f"/console/models/{partial}/activate", {})
        assert page.status == 409
        assert (
            f"未启用 {partial}：它的类别与分类体系不一致（缺少 教育文体、劳动和社会保障、商贸旅游、卫生计生）"
            in (page.text)
        )
        assert (
            f'action="/console/models/{partial}/activate"' in page.text and "仍然启用" in page.text
        )
        assert 'name="force"' in page.text and await db.models.active() is None
        page = await browser.post(f"/console/models/{partial}/activate", {"force": "on"})
        assert page.status == 200 and f"已启用模型版本 {partial}" in page.text
        assert (await db.models.active()).version == partial
        assert 'name="force"' not in page.text
        forced = [e for e in await db.accounts.audit_entries() if e["target"] == partial]
        assert [(e["actor"], e["action"]) for e in forced] == [("root-f", "force-activate-model")]
        # rolling back to it later meets the same check, and the same offer
        full = (await db.models.register(
            artifacts["full"], metrics={}, data={}, created_by="t", now=NOW
        )).version  # fmt: skip
        await browser.post(f"/console/models/{full}/activate", {})
        page = await browser.post("/console/models/rollback", {"from": full})
        assert page.status == 409 and f"未启用 {partial}" in page.text
        assert f'action="/console/models/{partial}/activate"' in page.text
        assert (await db.models.active()).version == full
    finally:
        await browser.close()


async def abandoned_job(db: Database, job_id: str, *, heartbeat: datetime) -> None:
    """What an instance killed while registering leaves behind: a running job and
    the training lock, held under the old one-hour lease."""
    await db.db.training_jobs.insert_one(
        {"_id": job_id, "state": "running", "progress": 0.9, "stage": "registering",
         "by": "root", "owner": "gone:1", "started_at": heartbeat - timedelta(seconds=30),
         "heartbeat_at": heartbeat}
    )  # fmt: skip
    await db.db.locks.insert_one(
        {"_id": TRAINING_LOCK, "owner": job_id, "until": datetime.now(UTC) + timedelta(minutes=50)}
    )


async def test_a_job_whose_instance_died_is_interrupted_and_frees_training(server):
    db = server.app[hotline_key].db
    admin = await make_token(server, "admin-j", Role.ADMIN)
    await abandoned_job(
        db, "dead", heartbeat=datetime.now(UTC) - STALE_AFTER - timedelta(seconds=5)
    )
    status, job = await api(server, "GET", "/api/v1/models/jobs/dead", admin)
    assert status == 200 and (job["state"], job["error"]) == ("failed", "interrupted"), job
    assert job["finished_at"]
    # the lock went with it: training is offered again now, not when the hour is up
    assert await db.db.locks.find_one({"_id": TRAINING_LOCK}) is None
    assert await db.locks.try_acquire(TRAINING_LOCK, "next", timedelta(minutes=1))


async def test_the_console_stops_waiting_for_a_dead_job(server):
    db = server.app[hotline_key].db
    await abandoned_job(
        db, "dead2", heartbeat=datetime.now(UTC) - STALE_AFTER - timedelta(seconds=5)
    )
    await make_staff(server, "root-d", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root-d")
        page = await browser.get("/console/models")
        assert "运行它的实例中途停止，训练未完成，可重新开始。" in page.text
        assert "开始训练</button>" in page.text and "disabled>开始训练" not in page.text
        assert 'data-poll=""' in page.text  # the page stops polling
        jobs = json.loads((await browser.get("/console/models/jobs.json")).text)["jobs"]
        assert (jobs[0]["state"], jobs[0]["state_label"]) == ("failed", "失败")
        assert await db.db.locks.find_one({"_id": TRAINING_LOCK}) is None
    finally:
        await browser.close()


async def test_a_live_job_is_left_alone(server):
    db = server.app[hotline_key].db
    admin = await make_token(server, "admin-l", Role.ADMIN)
    # a minute without a beat is within the limit: its instance may just be busy
    await abandoned_job(db, "alive", heartbeat=datetime.now(UTC) - timedelta(minutes=1))
    status, job = await api(server, "GET", "/api/v1/models/jobs/alive", admin)
    assert job["state"] == "running" and "error" not in job
    status, body = await api(server, "POST", "/api/v1/models/train", admin)
    assert status == 409 and "already running" in body["error"]
    assert await db.db.training_jobs.count_documents({}) == 1
