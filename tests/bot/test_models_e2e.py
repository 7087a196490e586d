"""The model registry through running instances: hot switch and rollback."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.app import hotline_key
from classifier.dataset import Dataset
from classifier.persist import dumps
from classifier.training import train
from models.accounts import Role
from store.database import Database
from tests.bot.console import Browser, make_staff
from tests.bot.wechat import WeChatDriver
from tests.conftest import start_server


def dataset(bias: str, *, full: bool = True) -> Dataset:
    """Two tiny models that disagree on purpose about '路灯' messages. `full`: every
    configured category (activation refuses a model that lacks some), else three."""
    rng = random.Random(3)
    rows = []
    for n in range(15):
        rows.append((f"朝阳区路灯坏了{rng.choice(['很久了', '没人修'])}{n}", bias))
        rows.append((f"海淀区工地噪音扰民{rng.choice(['太吵了', '睡不着'])}{n}", "环境保护"))
        rows.append((f"丰台区公交车太少{rng.choice(['等很久', '太挤'])}{n}", "交通运输"))
        if full:
            rows.append((f"大兴区小区楼道漏水{rng.choice(['好几天', '没人管'])}{n}", "城乡建设"))
            rows.append((f"昌平区超市卖过期食品{rng.choice(['不退', '好几次'])}{n}", "商贸旅游"))
            rows.append((f"东城区学校乱收补课费{rng.choice(['不合理', '太贵'])}{n}", "教育文体"))
            rows.append(
                (f"西城区公司拖欠工资{rng.choice(['三个月', '半年'])}{n}", "劳动和社会保障")
            )
            rows.append((f"通州区医院挂号太难{rng.choice(['排长队', '挂不上'])}{n}", "卫生计生"))
    return Dataset.of([t for t, _ in rows], [label for _, label in rows], "test")


@pytest.fixture(scope="module")
def artifacts() -> dict[str, bytes]:
    models = {bias: dumps(train(dataset(bias), folds=3).model) for bias in ("城乡建设", "商贸旅游")}
    models["partial"] = dumps(train(dataset("城乡建设", full=False), folds=3).model)
    return models


async def register(db: Database, artifact: bytes) -> str:
    entry = await db.models.register(
        artifact, metrics={"macro_f1": 1.0}, data={"rows": 45}, created_by="test",
        now=datetime.now(UTC),
    )  # fmt: skip
    return entry.version


async def wait_for_version(server, version: str) -> None:
    for _ in range(100):
        if server.app[hotline_key].models.version == version:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"instance never loaded {version}")


async def test_registry_round_trip(db: Database, artifacts):
    version = await register(db, artifacts["城乡建设"])
    assert await db.models.artifact(version) == artifacts["城乡建设"]
    [entry] = await db.models.list()
    assert entry.version == version and entry.created_by == "test"
    assert await db.models.active() is None


async def test_two_instances_switch_and_roll_back_without_restart(settings, mongo_uri, artifacts):
    first = await start_server(settings, mongo_uri)
    second = await start_server(settings, mongo_uri)
    try:
        db = first.app[hotline_key].db
        v1 = await register(db, artifacts["城乡建设"])
        v2 = await register(db, artifacts["商贸旅游"])
        now = datetime.now(UTC)
        await db.models.activate(v1, by="admin", now=now)
        await wait_for_version(first, v1)
        await wait_for_version(second, v1)
        driver = WeChatDriver(second, settings)
        reply = await driver.say("o_model", "朝阳区望京西园三区12号楼门口的路灯坏了三天了没人修")
        assert "【城乡建设】" in reply.text

        await db.models.activate(v2, by="admin", now=now)
        await wait_for_version(first, v2)
        await wait_for_version(second, v2)
        reply = await WeChatDriver(first, settings).say(
            "o_model2", "朝阳区望京西园三区12号楼门口的路灯坏了三天了没人修"
        )
        assert "【商贸旅游】" in reply.text

        rolled = await db.models.rollback(by="admin", now=now)
        assert rolled.version == v1
        await wait_for_version(first, v1)
        await wait_for_version(second, v1)
    finally:
        await first.app[hotline_key].db.client.drop_database(settings.db_name)
        await first.close()
        await second.close()


async def test_admin_trains_activates_and_explains_through_the_api(server, settings):
    import aiohttp  # noqa: F401 - the helpers below use it

    from models.accounts import Role
    from tests.bot.staff import api, make_token

    admin = await make_token(server, "admin-m", Role.ADMIN)
    dispatcher = await make_token(server, "disp-m", Role.DISPATCHER)
    assert (await api(server, "POST", "/api/v1/models/train", dispatcher))[0] == 403
    await server.app[hotline_key].db.db.category_corrections.insert_one(
        {"_id": "x", "text": "小区门口的快递柜坏了取不出件", "label": "商贸旅游"}
    )
    status, body = await api(server, "POST", "/api/v1/models/train", admin, {"activate": True})
    assert status == 202
    job_url = body["status_url"]
    # one job at a time, across instances: a second request is refused, not queued
    status, busy = await api(server, "POST", "/api/v1/models/train", admin, {"activate": True})
    assert status == 409 and "already running" in busy["error"]
    seen: list[tuple[str, float]] = []
    for _ in range(600):
        status, job = await api(server, "GET", job_url, admin)
        if job["state"] in ("done", "failed"):
            break
        assert 0 <= job["progress"] < 1
        seen.append((job["stage"], job["progress"]))
        await asyncio.sleep(0.25)
    assert job["state"] == "done", job
    assert job["corrections"] == 1
    # the worker process reports each cross-validation fold as it goes
    folds = [progress for stage, progress in seen if stage.startswith("cross-validation fold")]
    assert folds and folds == sorted(folds) and 0.05 <= folds[0] < folds[-1] < 0.9, seen
    assert await server.app[hotline_key].db.db.locks.find_one({"_id": "model-training"}) is None
    status, body = await api(server, "GET", "/api/v1/models", dispatcher)
    assert body["active"] == job["version"]
    [entry] = body["models"]
    assert entry["created_by"] == "admin-m" and entry["metrics"]["macro_f1"] > 0.9
    await wait_for_version(server, job["version"])

    driver = WeChatDriver(server, settings)
    await driver.say("o_explain", "楼下烧烤店每天晚上油烟特别大，窗户都不敢开，朝阳区望京西园三区")
    for answer in ("是", "匿名", "没有", "确认"):
        await driver.say("o_explain", answer)
    [doc] = await server.app[hotline_key].db.complaints.list_for("o_explain", 1)
    status, body = await api(server, "GET", f"/api/v1/complaints/{doc['no']}/explain", dispatcher)
    assert status == 200 and body["category"] == "环境保护"
    assert any("油烟" in word["word"] for word in body["words"])
    assert (await api(server, "POST", "/api/v1/models/v9999/activate", admin))[0] == 404


async def test_console_model_page_activates_and_rolls_back(server, artifacts):
    db = server.app[hotline_key].db
    trained = train(dataset("城乡建设"), folds=3)
    first = (await db.models.register(
        artifacts["城乡建设"], metrics=trained.cross_validation.to_dict(), data={"rows": 45, "source": "t"},
        created_by="test", now=datetime.now(UTC)
    )).version  # fmt: skip
    second = await register(db, artifacts["商贸旅游"])
    await make_staff(server, "root", Role.ADMIN)
    await make_staff(server, "dd", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("root")
        page = await browser.post(f"/console/models/{first}/activate", {})
        assert page.status == 200 and f"已启用模型版本 {first}" in page.text
        page = await browser.get(f"/console/models?version={first}")
        assert "混淆矩阵" in page.text and "使用中" in page.text
        await browser.post(f"/console/models/{second}/activate", {})
        await wait_for_version(server, second)
        page = await browser.get("/console/models")
        assert f'name="from" value="{second}"' in page.text  # the rollback form says from what
        page = await browser.post("/console/models/rollback", {"from": second})
        assert f"已回滚到模型版本 {first}" in page.text
        await wait_for_version(server, first)
        # a second click on the same (stale) page does not roll back one step further
        page = await browser.post("/console/models/rollback", {"from": second})
        assert page.status == 409 and "使用中的模型刚被其他人更改" in page.text
        assert (await db.models.active()).version == first
        page = await browser.post(f"/console/models/{first}/activate", {})
        assert page.status == 200 and f"模型版本 {first} 已在使用中" in page.text
        page = await browser.post("/console/models/rollback", {"from": first})
        assert page.status == 409 and "没有更早启用过的版本" in page.text
        page = await browser.post("/console/models/v9999/activate", {})
        assert page.status == 404
    finally:
        await browser.close()
    dispatcher = Browser(server)
    try:
        await dispatcher.login("dd")
        assert (await dispatcher.get("/console/models")).status == 403
        assert (await dispatcher.post("/console/models/rollback", {}, csrf="x")).status == 403
    finally:
        await dispatcher.close()


async def test_console_training_is_one_at_a_time_and_reports_in_chinese(server):
    db = server.app[hotline_key].db
    await make_staff(server, "root-t", Role.ADMIN)
    # another instance's job holds the training lock
    assert await db.locks.try_acquire("model-training", "elsewhere", timedelta(minutes=5))
    await db.db.training_jobs.insert_one(
        {"_id": "elsewhere", "state": "running", "progress": 0.4, "by": "root-t",
         "stage": "cross-validation fold 2/5", "started_at": datetime.now(UTC)}
    )  # fmt: skip
    browser = Browser(server)
    try:
        await browser.login("root-t")
        page = await browser.post("/console/models/train", {"activate": "on"})
        assert page.status == 409 and "已有训练任务在进行" in page.text
        assert await db.db.training_jobs.count_documents({}) == 1  # nothing queued behind it
        assert "交叉验证 第 2/5 折" in page.text and "训练中" in page.text
        jobs = json.loads((await browser.get("/console/models/jobs.json")).text)["jobs"]
        assert jobs[0]["state_label"] == "训练中"
        assert jobs[0]["stage_label"] == "交叉验证 第 2/5 折"
    finally:
        await browser.close()


async def test_console_compares_a_version_class_by_class_with_the_active_one(server, artifacts):
    db = server.app[hotline_key].db

    def metrics(f1: dict[str, float]) -> dict:
        per_class = {label: {"precision": v, "recall": v, "f1": v, "support": 10}
                     for label, v in f1.items()}  # fmt: skip
        labels = sorted(f1)
        return {"macro_f1": sum(f1.values()) / len(f1), "accuracy": 0.9, "per_class": per_class,
                "labels": labels, "confusion": [[0] * len(labels) for _ in labels]}  # fmt: skip

    async def add(artifact: bytes, f1: dict[str, float]) -> str:
        entry = await db.models.register(artifact, metrics=metrics(f1), data={"rows": 70},
                                         created_by="test", now=datetime.now(UTC))  # fmt: skip
        return entry.version

    old = await add(artifacts["城乡建设"], {"城乡建设": 0.80, "环境保护": 0.90})
    new = await add(artifacts["商贸旅游"], {"城乡建设": 0.85, "环境保护": 0.70, "商贸旅游": 0.6})
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("root")
        await db.models.activate(old, by="test", now=datetime.now(UTC))
        page = await browser.get(f"/console/models?version={new}")
        assert f"与 {old} 对比" in page.text
        row = page.text.split("<td>环境保护</td>", 1)[1].split("</tr>", 1)[0]
        assert "0.900" in row and 'class="worse">-0.200' in row
        row = page.text.split("<td>城乡建设</td>", 1)[1].split("</tr>", 1)[0]
        assert 'class="better">+0.050' in row
        assert "新类别" in page.text.split("<td>商贸旅游</td>", 1)[1].split("</tr>", 1)[0]
        # and a category the active version has but this one lacks is shown, not hidden
        older = await add(artifacts["城乡建设"], {"城乡建设": 0.9})
        page = await browser.get(f"/console/models?version={older}")
        row = page.text.split("<td>环境保护</td>", 1)[1].split("</tr>", 1)[0]
        assert f"{older} 没有这个类别" in row and "缺少" in row
        # the active version itself has nothing to be compared with
        assert "对比" not in (await browser.get(f"/console/models?version={old}")).text
    finally:
        await browser.close()


async def test_the_detail_page_explains_the_models_own_category(server, artifacts):
    from models.complaint import Location

    hotline = server.app[hotline_key]
    version = await register(hotline.db, artifacts["城乡建设"])
    await hotline.db.models.activate(version, by="test", now=datetime.now(UTC))
    await wait_for_version(server, version)
    # filed through a channel that chose 城乡建设; the text is about noise
    complaint = await hotline.complaints.register(
        source_key="t:noise", openid="", description="海淀区工地噪音扰民太吵了，半夜还在施工",
        location=Location("海淀区学院路", "海淀区"), category="城乡建设", channel="open311",
    )  # fmt: skip
    await make_staff(server, "dd", Role.DISPATCHER)
    browser = Browser(server)
    try:
        await browser.login("dd")
        page = await browser.get(f"/console/complaints/{complaint.no}")
        assert "模型的判断与当前类别不同：环境保护" in page.text
        assert "以下词语对“环境保护”贡献最大" in page.text and "噪音" in page.text
    finally:
        await browser.close()
