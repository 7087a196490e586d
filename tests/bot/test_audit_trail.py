"""What the audit log records beyond single reads: an admin's API list reads (full
phones and openids), accounts created from the CLI, every change of the active model
and edits of the knowledge base's answers. Real database, real servers, the CLI as a
real process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymongo

from bot.app import hotline_key
from bot.console.admin import audit_target
from bot.model_holder import ModelHolder, taxonomy
from models.accounts import Role
from store.database import Database
from tests.bot.console import Browser, make_staff
from tests.bot.staff import api, make_token, register

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


async def entries(server, action: str) -> list[tuple[str, str]]:
    return [
        (e["actor"], e["target"])
        for e in await server.app[hotline_key].db.accounts.audit_entries()
        if e["action"] == action
    ]


async def test_an_admins_api_list_read_is_audited_once_with_its_query_and_rows(server):
    await register(server, "小区门口路灯坏了", openid="o_audit")
    await register(server, "楼道堆满杂物", openid="o_audit")
    admin = await make_token(server, "root", Role.ADMIN)
    dispatcher = await make_token(server, "disp", Role.DISPATCHER)
    status, body = await api(server, "GET", "/api/v1/complaints?limit=200", admin)
    assert status == 200 and body["complaints"][0]["contact_phone"] == "13812345678"
    assert await entries(server, "list-personal-data") == [("root", "2:limit=200")]
    status, _ = await api(server, "GET", "/api/v1/complaints?status=submitted&q=路灯", admin)
    assert status == 200
    logged = await entries(server, "list-personal-data")
    assert logged[0] == ("root", "1:q=%E8%B7%AF%E7%81%AF&status=submitted")
    assert audit_target("list-personal-data", logged[0][1]) == (
        "条件 q=%E8%B7%AF%E7%81%AF&status=submitted，1 条"
    )
    assert audit_target("list-personal-data", "0:") == "条件 （无），0 条"
    # a huge query is kept bounded; a dispatcher's masked list is not personal data
    await api(server, "GET", "/api/v1/complaints?q=" + "x" * 5000, admin)
    assert len((await entries(server, "list-personal-data"))[0][1]) <= 310
    assert (await api(server, "GET", "/api/v1/complaints", dispatcher))[0] == 200
    assert [actor for actor, _ in await entries(server, "list-personal-data")] == ["root"] * 3
    # a list by openid keeps its own entry, not two
    await api(server, "GET", "/api/v1/complaints?openid=o_audit", admin)
    assert await entries(server, "list-by-openid") == [("root", "o_audit")]
    assert len(await entries(server, "list-personal-data")) == 3


def test_an_account_created_from_the_cli_is_audited(mongo_uri, tmp_path):
    name = "cli_" + tmp_path.name
    env = {**os.environ, "HOTLINE_MONGODB_URI": mongo_uri, "HOTLINE_DB_NAME": name,
           "HOTLINE_DATA_DIR": str(tmp_path)}  # fmt: skip
    created = subprocess.run(
        [sys.executable, "-m", "bot", "account", "create", "li", "--role", "dispatcher"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    with pymongo.MongoClient(mongo_uri) as client:
        log = list(
            client[name].audit_log.find({}, {"_id": 0, "actor": 1, "action": 1, "target": 1})
        )
        client.drop_database(name)
    assert log == [{"actor": "cli", "action": "create-account", "target": "li"}]


async def test_every_change_of_the_active_model_is_audited(db: Database):
    holder = ModelHolder(db.models, db.locks, audit=db.accounts.audit)
    data = {"per_class": dict.fromkeys(taxonomy(), 10)}
    v1, v2 = [
        (await db.models.register(b"-", metrics={}, data=data, created_by="t", now=NOW)).version
        for _ in range(2)
    ]
    await holder.activate(v1, "root")
    await holder.activate(v2, "root")
    await holder.activate(v2, "other")  # changes nothing, records nothing
    await holder.rollback("admin-2")
    log = [(e["actor"], e["action"], e["target"]) for e in await db.accounts.audit_entries()]
    assert log == [
        ("admin-2", "rollback-model", v1),
        ("root", "activate-model", v2),
        ("root", "activate-model", v1),
    ]
    assert audit_target("rollback-model", v1) == f"模型版本 {v1}"


async def test_knowledge_base_edits_are_audited(server):
    await make_staff(server, "disp", Role.DISPATCHER)
    await make_staff(server, "root", Role.ADMIN)
    browser = Browser(server)
    try:
        await browser.login("disp")
        await browser.get("/console/knowledge")
        entry = {"id": "dog-license", "question": "养犬登记在哪里办？",
                 "answer": "到居住地派出所办理。", "keywords": "养犬"}  # fmt: skip
        assert (await browser.post("/console/knowledge", entry)).status == 200
        assert (await browser.post("/console/knowledge", {**entry, "answer": "改了"})).status == 200
        assert (await browser.post("/console/knowledge/dog-license/delete", {})).status == 200
        assert await entries(server, "edit-knowledge") == [("disp", "dog-license")] * 2
        assert await entries(server, "delete-knowledge") == [("disp", "dog-license")]
        await browser.get("/console/logout")
    finally:
        await browser.close()
    admin = Browser(server)
    try:
        await admin.login("root")
        page = await admin.get("/console/audit")
        assert "<td>修改知识库</td><td>知识库条目 dog-license</td>" in page.text
        assert "<td>删除知识库条目</td><td>知识库条目 dog-license</td>" in page.text
    finally:
        await admin.close()


async def test_the_audit_page_filters_by_who_and_what_and_pages(server):
    await make_staff(server, "root", Role.ADMIN)
    accounts = server.app[hotline_key].db.accounts
    # a real entry first, then enough made-up failed logins to fill several pages
    await accounts.audit("disp", "read-personal-data", "20260501-0001", NOW)
    for i in range(230):
        await accounts.audit(f"guess{i}", "console-login-failed", f"guess{i}",
                             NOW + timedelta(seconds=i + 1))  # fmt: skip
    stranger = Browser(server)
    try:
        assert (await stranger.login("x" * 5000, "wrong password")).status == 401
    finally:
        await stranger.close()
    failed = [e for e in await accounts.audit_entries(limit=1) if e["actor"].startswith("xxx")]
    assert failed and len(failed[0]["actor"]) == 64 and failed[0]["target"] == failed[0]["actor"]
    assert failed[0]["actor"].endswith("…")

    admin = Browser(server)
    try:
        await admin.login("root")
        page = await admin.get("/console/audit")
        assert page.status == 200 and "20260501-0001" not in page.text
        assert "共 233 件 · 第 1/3 页" in page.text and 'href="?&page=2"' in page.text
        last = await admin.get("/console/audit?page=3")
        assert "工单 20260501-0001" in last.text and "第 3/3 页" in last.text
        assert (await admin.get("/console/audit?page=99")).text.count("<tr><td>") == 33
        page = await admin.get("/console/audit?actor=disp")
        assert "工单 20260501-0001" in page.text and "guess" not in page.text
        assert "共 1 件" in page.text and 'value="disp"' in page.text
        page = await admin.get("/console/audit?action=console-login")
        assert page.text.count("<td>登录工作台</td>") == 1 and "guess" not in page.text
        assert '<option value="console-login" selected>' in page.text
        page = await admin.get("/console/audit?action=console-login-failed&page=2")
        assert "第 2/3 页" in page.text
        assert 'href="?action=console-login-failed&page=3"' in page.text
        assert 'href="?action=console-login-failed&page=1"' in page.text
    finally:
        await admin.close()
