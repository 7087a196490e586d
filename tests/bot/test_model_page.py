"""The model page's 回滚 and a training job's stages as the page follows them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import hotline_key
from models.accounts import Role
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
