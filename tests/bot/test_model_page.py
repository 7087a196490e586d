"""The model page's 回滚 and a training job's stages as the page follows them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.api_models import worker_reporter
from bot.app import hotline_key
from models.accounts import Role
from store.database import Database
from tests.bot.console import Browser, make_staff

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


async def test_rollback_is_offered_only_when_there_is_a_version_to_go_back_to(server):
    db = server.app[hotline_key].db
    v1, v2 = [
        (await db.models.register(b"-", metrics={}, data={}, created_by="t", now=NOW)).version
        for _ in range(2)
    ]
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root")
        for active in (None, v1):
            if active:
                await db.models.activate(active, by="t", now=NOW)
            page = await browser.get("/console/models")
            assert 'action="/console/models/rollback"' not in page.text, active
            assert "没有更早启用过的版本，无法回滚" in page.text
        await db.models.activate(v2, by="t", now=NOW)
        page = await browser.get("/console/models")
        assert 'action="/console/models/rollback"' in page.text
        assert f"回滚到 {v1}</button>" in page.text
    finally:
        await browser.close()


async def test_a_jobs_stage_never_reads_done_before_it_is(db: Database):
    await db.training_jobs.create("job-1", by="root", owner="here", now=NOW)
    report = worker_reporter(db.training_jobs, "job-1")
    seen = []
    for stage, fraction in (("cross-validation fold 1/3", 0.0), ("fitting the final model", 0.7),
                            ("done", 1.0)):  # fmt: skip
        await report(stage, fraction)
        job = await db.db.training_jobs.find_one({"_id": "job-1"})
        seen.append((job["stage"], job["progress"]))
    assert [stage for stage, _ in seen] == [
        "cross-validation fold 1/3", "fitting the final model", "fitting the final model",
    ]  # fmt: skip
    assert [progress for _, progress in seen] == sorted(progress for _, progress in seen)
