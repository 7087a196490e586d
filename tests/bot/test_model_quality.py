"""Activating a version that scored clearly worse than the active one (CV macro-F1
more than 0.02 lower) needs the same explicit confirmation as a version with other
categories: console 仍然启用, CLI --force, API {"force": true}. Rollback stays one step."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import hotline_key
from bot.model_holder import ModelHolder, QualityDrop
from classifier.persist import dumps
from classifier.training import train
from models.accounts import Role
from store.database import Database
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token
from tests.bot.test_models_e2e import dataset

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def artifact() -> bytes:
    return dumps(train(dataset("城乡建设"), folds=3).model)


async def version(db: Database, artifact: bytes, macro_f1: float, rows: int) -> str:
    entry = await db.models.register(
        artifact, metrics={"macro_f1": macro_f1}, data={"rows": rows}, created_by="t", now=NOW
    )
    return entry.version


async def test_the_holder_asks_for_force_below_the_active_versions_score(db: Database, artifact):
    holder = ModelHolder(db.models, db.locks, audit=db.accounts.audit)
    good = await version(db, artifact, 0.941, 7088)
    close = await version(db, artifact, 0.921, 7000)  # 0.020 lower: within the tolerance
    poor = await version(db, artifact, 0.819, 299)
    await holder.activate(good, "root")
    with pytest.raises(QualityDrop) as refused:
        await holder.activate(poor, "root")
    assert (refused.value.macro_f1, refused.value.active, refused.value.active_f1) == (
        0.819, good, 0.941,
    )  # fmt: skip
    assert "0.819" in str(refused.value) and "0.941" in str(refused.value)
    assert (await db.models.active()).version == good
    assert (await holder.activate(close, "root")).changed
    assert (await holder.rollback("root")).version == good
    forced = await holder.activate(poor, "root", force=True)
    assert forced.changed and (await db.models.active()).version == poor
    # back to the better one and back again: a rollback is never held up by the score
    await holder.activate(good, "root")
    assert (await holder.rollback("root")).version == poor
    actions = [(e["action"], e["target"]) for e in await db.accounts.audit_entries()]
    assert ("force-activate-model", poor) in actions


async def test_the_api_refuses_with_both_figures_until_forced(server, artifact):
    db = server.app[hotline_key].db
    admin = await make_token(server, "root", Role.ADMIN)
    good = await version(db, artifact, 0.941, 7088)
    poor = await version(db, artifact, 0.819, 299)
    assert (await api(server, "POST", f"/api/v1/models/{good}/activate", admin))[0] == 200
    status, body = await api(server, "POST", f"/api/v1/models/{poor}/activate", admin)
    assert status == 409 and body["code"] == "quality_drop", body
    assert (body["macro_f1"], body["active"], body["active_macro_f1"]) == (0.819, good, 0.941)
    assert '"force": true' in body["error"] and (await db.models.active()).version == good
    status, body = await api(
        server, "POST", f"/api/v1/models/{poor}/activate", admin, {"force": True}
    )
    assert status == 200 and body == {"active": poor, "changed": True}
    status, body = await api(server, "POST", "/api/v1/models/rollback", admin)
    assert status == 200 and body["active"] == good


async def test_the_console_offers_to_activate_anyway_saying_both_figures(server, artifact):
    db = server.app[hotline_key].db
    good = await version(db, artifact, 0.941, 7088)
    poor = await version(db, artifact, 0.819, 299)
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root")
        await browser.get("/console/models")
        assert (await browser.post(f"/console/models/{good}/activate", {})).status == 200
        page = await browser.post(f"/console/models/{poor}/activate", {})
        assert page.status == 409
        assert (
            f"未启用 {poor}：它的交叉验证 Macro-F1 为 0.819，比使用中的 {good}（0.941）低 0.122"
            in (page.text)
        )
        assert f'action="/console/models/{poor}/activate"' in page.text and "仍然启用" in page.text
        assert (await db.models.active()).version == good
        page = await browser.post(f"/console/models/{poor}/activate", {"force": "on"})
        assert page.status == 200 and f"已启用模型版本 {poor}" in page.text
        page = await browser.post("/console/models/rollback", {"from": poor})
        assert page.status == 200 and f"已回滚到模型版本 {good}" in page.text
    finally:
        await browser.close()


async def test_the_cli_needs_force_and_says_both_figures(mongo_uri, db_name, db, artifact):
    good = await version(db, artifact, 0.941, 7088)
    poor = await version(db, artifact, 0.819, 299)
    await db.models.activate(good, by="t", now=NOW)
    env = {**os.environ, "HOTLINE_MONGODB_URI": mongo_uri, "HOTLINE_DB_NAME": db_name,
           "HOTLINE_MODEL_AUTOTRAIN": "false"}  # fmt: skip

    async def hotline(*args: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "model", *args, env=env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await asyncio.wait_for(process.communicate(), 120)
        return process.returncode or 0, output.decode()

    code, output = await hotline("activate", poor, "--by", "ops")
    assert code != 0 and "0.819" in output and "0.941" in output and "--force" in output
    assert (await db.models.active()).version == good
    code, output = await hotline("activate", poor, "--by", "ops", "--force")
    assert code == 0, output
    assert (await db.models.active()).version == poor


async def test_refreshes_asked_at_once_load_the_new_model_once(db: Database, artifact):
    # start-up and the sweep both refresh: the instance loaded its first model twice
    holder = ModelHolder(db.models, db.locks)
    await holder.activate(await version(db, artifact, 0.94, 45), "root")
    loaded = await asyncio.gather(*(holder.refresh() for _ in range(3)))
    assert sorted(loaded) == [False, False, True] and holder.model is not None
