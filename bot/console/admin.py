"""Console pages that change how the hotline behaves: the consultation knowledge
base, the category model registry and staff accounts."""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.api_models import TrainingBusy, begin_training, reap_abandoned, source_names
from bot.app import hotline_of
from bot.console import messages
from bot.console.auth import page, staff_key
from bot.console.layout import ROLE_LABELS, department_names, error_page, render
from bot.model_holder import MAX_F1_DROP, ActivationRefused, QualityDrop, TaxonomyMismatch
from bot.staff_actions import characters_to_cut
from bot.wechat_api import TEXT_LIMIT_BYTES
from dialogs.messages import CONSULT_FOOTER
from models.accounts import (
    ACCOUNT_NAME_PATTERN,
    Account,
    InvalidAccountName,
    Role,
    check_account_name,
)
from store.accounts import AccountExists
from store.model_registry import RegistryConflict, RegistryError
from store.training_jobs import INTERRUPTED, UNFINISHED

ENTRY_ID = re.compile(r"^[A-Za-z0-9-]{1,40}$")
MIN_PASSWORD = 8  # characters of a console password (the CLI asks the same)


# ---- knowledge base -------------------------------------------------------------------


async def _knowledge(
    request: web.Request,
    *,
    message: str = "",
    error: str = "",
    status: int = 200,
    draft: dict[str, Any] | None = None,
) -> web.Response:
    entries = await hotline_of(request).db.knowledge.all()
    context = {
        "title": "咨询知识库",
        "entries": entries,
        "message": message,
        "error": error,
        "draft": draft or {},
    }
    return render("knowledge.html", request, context, status=status)


def answer_excess(answer: str) -> int:
    """Bytes by which the bot's message carrying this answer (with the footer that
    offers 登记咨询) would pass WeChat's limit for one text (0: it fits). WeChat refuses
    a longer message outright, so the citizen would get no answer at all."""
    return max(0, len((answer + CONSULT_FOOTER).encode()) - TEXT_LIMIT_BYTES)


@page(Role.ADMIN, Role.DISPATCHER)
async def knowledge(request: web.Request) -> web.Response:
    return await _knowledge(request)


@page(Role.ADMIN, Role.DISPATCHER, post=True)
async def knowledge_save(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    entry = {
        "id": str(form.get("id", "")).strip(),
        "question": str(form.get("question", "")).strip(),
        "answer": str(form.get("answer", "")).strip(),
        "keywords": [
            k.strip() for k in re.split(r"[,，、\s]+", str(form.get("keywords", ""))) if k.strip()
        ],
    }
    if not ENTRY_ID.match(entry["id"]) or not entry["question"] or not entry["answer"]:
        return await _knowledge(request, error=messages.KB_INVALID, status=400, draft=entry)
    if excess := answer_excess(entry["answer"]):
        error = messages.KB_TOO_LONG.format(chars=characters_to_cut(entry["answer"], excess))
        return await _knowledge(request, error=error, status=400, draft=entry)
    db, actor, now = hotline_of(request).db, request[staff_key].account.name, datetime.now(UTC)
    await db.knowledge.upsert(entry, actor, now)
    # the answers go to citizens verbatim: who changed them is on the audit trail
    await db.accounts.audit(actor, "edit-knowledge", entry["id"], now)
    return await _knowledge(request, message=messages.KB_SAVED)


@page(Role.ADMIN, Role.DISPATCHER, post=True)
async def knowledge_delete(request: web.Request) -> web.StreamResponse:
    db, entry_id = hotline_of(request).db, request.match_info["id"]
    if not await db.knowledge.delete(entry_id):
        raise error_page(request, 404, messages.KB_NOT_FOUND)
    await db.accounts.audit(
        request[staff_key].account.name, "delete-knowledge", entry_id, datetime.now(UTC)
    )
    return await _knowledge(request, message=messages.KB_DELETED)


# ---- category model -------------------------------------------------------------------


async def _recent_jobs(request: web.Request) -> list[dict[str, Any]]:
    """The last five training jobs: shown on the model page and polled while one runs.
    Jobs abandoned by a dead instance are declared interrupted first, so the page
    neither shows them running nor keeps 开始训练 disabled for them."""
    hotline = hotline_of(request)
    await reap_abandoned(hotline)
    return await hotline.db.training_jobs.recent(5)


async def _models(
    request: web.Request,
    *,
    message: str = "",
    error: str = "",
    status: int = 200,
    refused: str = "",
) -> web.Response:
    db = hotline_of(request).db
    active = await db.models.active()
    versions = await db.models.list()
    shown = request.query.get("version") or (active.version if active else "")
    selected = next((v for v in versions if v.version == shown), None)
    # a version is compared class by class with the active one, or with ?compare=V
    against = request.query.get("compare") or (active.version if active else "")
    compared = next((v for v in versions if v.version == against and v.version != shown), None)
    jobs = await _recent_jobs(request)
    try:  # 回滚 only when there is a version to go back to (otherwise it could only fail)
        _, rollback_to = await db.models.previous()
    except RegistryError:
        rollback_to = ""
    context = {
        "title": "分类模型",
        "rollback_to": rollback_to,
        "active": active.version if active else None,
        "versions": versions,
        "selected": selected,
        "compared": compared,
        "jobs": jobs,
        "running": any(job["state"] in UNFINISHED for job in jobs),
        "refused": refused,  # a version whose activation was refused: offer 仍然启用
        "not_activated_for_quality": messages.JOB_NOT_ACTIVATED_QUALITY,
        "message": message,
        "error": error,
    }
    return render("models.html", request, context, status=status)


@page(Role.ADMIN)
async def models_page(request: web.Request) -> web.Response:
    return await _models(request)


def job_stage(stage: str) -> str:
    """A training job's stage in Chinese; unknown stages are shown as they are."""
    if fold := re.fullmatch(r"cross-validation fold (\d+/\d+)", stage):
        return messages.JOB_STAGE_FOLD.format(fold=fold[1])
    if data := re.fullmatch(r"training on corpus \+ (\d+) corrections", stage):
        return messages.JOB_STAGE_DATA.format(count=data[1])
    return messages.JOB_STAGE_LABELS.get(stage, stage)


def job_error(error: str) -> str:
    """Why a job failed, for the page: an interruption in words, anything else as it came."""
    return messages.JOB_INTERRUPTED if error == INTERRUPTED else error


@page(Role.ADMIN)
async def training_jobs(request: web.Request) -> web.Response:
    """Polled by the model page while a job runs."""
    jobs = await _recent_jobs(request)
    return web.json_response(
        {
            "jobs": [
                {
                    "id": job["_id"],
                    "state": job["state"],
                    "state_label": messages.JOB_STATE_LABELS.get(job["state"], job["state"]),
                    "stage": job.get("stage", ""),
                    "stage_label": job_stage(job.get("stage", "")),
                    "progress": job.get("progress", 0),
                    "version": job.get("version"),
                    "error": job_error(job.get("error", "")),
                }
                for job in jobs
            ]
        }
    )


@page(Role.ADMIN, post=True)
async def models_train(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    try:
        await begin_training(
            hotline_of(request), request[staff_key].account.name, form.get("activate") == "on"
        )
    except TrainingBusy:
        return await _models(request, error=messages.TRAINING_BUSY, status=409)
    return await _models(request, message=messages.MODEL_TRAINING)


def refusal(refused: ActivationRefused) -> str:
    """Why a version was not activated, in Chinese, naming the categories at fault or
    both versions' scores."""
    if isinstance(refused, QualityDrop):
        return messages.MODEL_QUALITY.format(
            version=refused.version, f1=refused.macro_f1, active=refused.active,
            active_f1=refused.active_f1, drop=refused.active_f1 - refused.macro_f1,
            limit=MAX_F1_DROP,
        )  # fmt: skip
    if not isinstance(refused, TaxonomyMismatch):
        return messages.MODEL_UNREADABLE.format(version=refused.version)
    problems = []
    if refused.missing:
        problems.append(messages.MODEL_MISSING.format(names="、".join(refused.missing)))
    if refused.unknown:
        problems.append(messages.MODEL_UNKNOWN.format(names="、".join(refused.unknown)))
    return messages.MODEL_TAXONOMY.format(version=refused.version, problems="；".join(problems))


@page(Role.ADMIN, post=True)
async def models_activate(request: web.Request) -> web.StreamResponse:
    hotline = hotline_of(request)
    version = request.match_info["version"]
    actor = request[staff_key].account.name
    force = (await request.post()).get("force") == "on"
    try:
        active = await hotline.models.activate(version, actor, force=force)
    except ActivationRefused as refused:
        return await _models(request, error=refusal(refused), status=409, refused=version)
    except RegistryConflict:
        return await _models(request, error=messages.MODEL_CHANGED, status=409)
    except RegistryError:
        error = messages.MODEL_NO_VERSION.format(version=version)
        return await _models(request, error=error, status=404)
    if not active.changed:
        return await _models(request, message=messages.MODEL_ALREADY_ACTIVE.format(version=version))
    return await _models(request, message=messages.MODEL_ACTIVATED.format(version=active.version))


@page(Role.ADMIN, post=True)
async def models_rollback(request: web.Request) -> web.StreamResponse:
    hotline = hotline_of(request)
    # the version the page showed as active: a second click, or another admin's
    # rollback meanwhile, must not roll back one step further than was seen
    expect = str((await request.post()).get("from", "")) or None
    try:
        active = await hotline.models.rollback(request[staff_key].account.name, expect=expect)
    except ActivationRefused as refused:
        # the 仍然启用 form below forces the version it would have returned to
        return await _models(request, error=refusal(refused), status=409, refused=refused.version)
    except RegistryConflict:
        return await _models(request, error=messages.MODEL_CHANGED, status=409)
    except RegistryError:
        return await _models(request, error=messages.MODEL_NO_ROLLBACK, status=409)
    return await _models(request, message=messages.MODEL_ROLLED_BACK.format(version=active.version))


# ---- accounts -------------------------------------------------------------------------


# Accounts created before the name rule may have any name: "/", spaces, "..", nothing
# at all. Such a name cannot be a path segment as it is (a "/" or ".." changes the
# path, an empty one leaves none), so it travels as "~" + base64url of its UTF-8:
# characters every client leaves alone. "~" is outside the rule, so a segment
# without it is always a plain name (readable URLs for every account created since).
LEGACY_PREFIX = "~"


def account_segment(name: str) -> str:
    """The path segment that addresses the account `name` in console URLs."""
    try:
        check_account_name(name)
    except InvalidAccountName:
        encoded = base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")
        return LEGACY_PREFIX + encoded
    return name


def _account_name(request: web.Request) -> str:
    """The account a per-account URL addresses (see `account_segment`)."""
    segment = request.match_info["name"]
    if not segment.startswith(LEGACY_PREFIX):
        return segment
    encoded = segment.removeprefix(LEGACY_PREFIX)
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        raise error_page(request, 404, messages.ACCOUNT_NOT_FOUND) from None


async def _accounts(
    request: web.Request,
    *,
    message: str = "",
    error: str = "",
    token: str = "",
    status: int = 200,
    draft: dict[str, str] | None = None,
) -> web.Response:
    db = hotline_of(request).db
    listed = await db.accounts.list()
    context = {
        "title": "账号管理",
        "accounts": listed,
        "segments": {account.name: account_segment(account.name) for account in listed},
        "locked": await db.accounts.locked(datetime.now(UTC)),
        "disabled": await db.accounts.disabled(),
        "me": request[staff_key].account.name,
        "roles": ROLE_LABELS,
        "name_pattern": ACCOUNT_NAME_PATTERN,
        "departments": hotline_of(request).complaints.departments,
        "department_names": department_names(request),
        "message": message,
        "error": error,
        "token": token,
        "draft": draft or {},  # a refused 新建账号 form, filled in again (never the password)
    }
    return render("accounts.html", request, context, status=status)


@page(Role.ADMIN)
async def accounts(request: web.Request) -> web.Response:
    return await _accounts(request)


def _create_problem(
    name: str, role: Role | None, department: str, password: str, codes: set[str]
) -> str:
    """What is wrong with a 新建账号 form, the first rule it breaks, in Chinese ("" when
    nothing is). No role is preselected: an account gets exactly the role the admin
    chose, and a department chosen for another role is a mistake to point out, not to
    drop silently (it would create, say, an admin where a department clerk was meant)."""
    try:
        check_account_name(name)
    except InvalidAccountName as invalid:
        if invalid.reason == "length":
            return messages.ACCOUNT_NAME_LENGTH.format(count=len(name))
        return messages.ACCOUNT_NAME_CHARACTERS
    if role is None:
        return messages.ACCOUNT_ROLE_REQUIRED
    if role is not Role.DEPARTMENT and department:
        return messages.ACCOUNT_DEPARTMENT_ROLE_ONLY.format(role=ROLE_LABELS[role])
    if role is Role.DEPARTMENT and department not in codes:
        return messages.ACCOUNT_DEPARTMENT_REQUIRED
    if password and len(password) < MIN_PASSWORD:
        return messages.PASSWORD_TOO_SHORT.format(minimum=MIN_PASSWORD, count=len(password))
    return ""


@page(Role.ADMIN, post=True)
async def accounts_create(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = str(form.get("name", "")).strip()
    password = str(form.get("password", ""))
    department = str(form.get("department", "")).strip()
    hotline = hotline_of(request)
    try:
        role = Role(str(form.get("role", "")))
    except ValueError:
        role = None
    codes = {d.code for d in hotline.complaints.departments}
    draft = {"name": name, "role": role.value if role else "", "department": department}
    if problem := _create_problem(name, role, department, password, codes):
        return await _accounts(request, error=problem, status=400, draft=draft)
    assert role is not None
    account = Account(name, role, department)
    now = datetime.now(UTC)
    try:
        token = await hotline.db.accounts.create(account, now, password or None)
    except AccountExists:
        return await _accounts(request, error=messages.ACCOUNT_EXISTS.format(name=name), status=409)
    await hotline.db.accounts.audit(request[staff_key].account.name, "create-account", name, now)
    return await _accounts(request, message=messages.ACCOUNT_CREATED.format(name=name), token=token)


@page(Role.ADMIN, post=True)
async def accounts_unlock(request: web.Request) -> web.StreamResponse:
    name = _account_name(request)
    db = hotline_of(request).db
    if not await db.accounts.unlock(name):
        raise error_page(request, 404, messages.ACCOUNT_NOT_FOUND)
    await db.accounts.audit(
        request[staff_key].account.name, "unlock-account", name, datetime.now(UTC)
    )
    return await _accounts(request, message=messages.ACCOUNT_UNLOCKED.format(name=name))


@page(Role.ADMIN, post=True)
async def accounts_password(request: web.Request) -> web.StreamResponse:
    name = _account_name(request)
    password = str((await request.post()).get("password", ""))
    if len(password) < MIN_PASSWORD:
        error = messages.PASSWORD_TOO_SHORT.format(minimum=MIN_PASSWORD, count=len(password))
        return await _accounts(request, error=error, status=400)
    db = hotline_of(request).db
    if not await db.accounts.set_password(name, password):
        raise error_page(request, 404, messages.ACCOUNT_NOT_FOUND)
    await db.console_sessions.delete_for(name)
    await db.accounts.audit(
        request[staff_key].account.name, "set-password", name, datetime.now(UTC)
    )
    return await _accounts(request, message=messages.PASSWORD_SET.format(name=name))


@page(Role.ADMIN, post=True)
async def accounts_disable(request: web.Request) -> web.StreamResponse:
    """停用 / 启用: a clerk who left keeps their name in the history, loses the access."""
    name = _account_name(request)
    disable = str((await request.post()).get("disable", "1")) == "1"
    actor = request[staff_key].account.name
    if disable and name == actor:
        return await _accounts(request, error=messages.ACCOUNT_SELF, status=400)
    db, now = hotline_of(request).db, datetime.now(UTC)
    if not await db.accounts.set_disabled(name, disable, now):
        raise error_page(request, 404, messages.ACCOUNT_NOT_FOUND)
    if disable:
        await db.console_sessions.delete_for(name)
    await db.accounts.audit(actor, "disable-account" if disable else "enable-account", name, now)
    done = messages.ACCOUNT_DISABLED if disable else messages.ACCOUNT_ENABLED
    return await _accounts(request, message=done.format(name=name))


@page(Role.ADMIN, post=True)
async def accounts_token(request: web.Request) -> web.StreamResponse:
    """A new API token, e.g. after the old one leaked; the old one fails at once."""
    name = _account_name(request)
    db = hotline_of(request).db
    token = await db.accounts.reset_token(name)
    if token is None:
        raise error_page(request, 404, messages.ACCOUNT_NOT_FOUND)
    await db.accounts.audit(request[staff_key].account.name, "reset-token", name, datetime.now(UTC))
    return await _accounts(request, message=messages.TOKEN_RESET.format(name=name), token=token)


AUDIT_LABELS = {
    "read-personal-data": "查看个人信息", "list-by-openid": "按市民查询",
    "read-phone-follow-up": "查看回访电话",
    "export-csv": "导出 CSV", "console-login": "登录工作台", "console-login-failed": "登录失败",
    "create-account": "创建账号", "set-password": "重设密码", "unlock-account": "解锁账号",
    "disable-account": "停用账号", "enable-account": "启用账号", "reset-token": "重置令牌",
    "force-activate-model": "强制启用模型", "activate-model": "启用模型",
    "rollback-model": "回滚模型", "edit-knowledge": "修改知识库",
    "delete-knowledge": "删除知识库条目",
    "list-personal-data": "API 查询诉求列表",
}  # fmt: skip
MODEL_ACTIONS = ("force-activate-model", "activate-model", "rollback-model")
KNOWLEDGE_ACTIONS = ("edit-knowledge", "delete-knowledge")
ACCOUNT_ACTIONS = ("console-login", "console-login-failed", "create-account", "set-password",
                   "unlock-account", "disable-account", "enable-account",
                   "reset-token")  # fmt: skip


def audit_target(action: str, target: str) -> str:
    """An audit entry's object as staff read it: "工单 …", "诉求列表，12 条", "账号 …"
    rather than the stored key. Keys in an unknown shape are shown as stored."""
    if action == "read-personal-data":
        return messages.AUDIT_COMPLAINT.format(no=target)
    if action == "list-by-openid":
        return messages.AUDIT_CITIZEN.format(openid=target)
    if action in ACCOUNT_ACTIONS and target:
        return messages.AUDIT_ACCOUNT.format(name=target)
    if action in MODEL_ACTIONS:
        return messages.AUDIT_MODEL.format(version=target)
    if action in KNOWLEDGE_ACTIONS:
        return messages.AUDIT_KNOWLEDGE.format(id=target)
    if action == "list-personal-data" and (listed := re.fullmatch(r"(\d+):(.*)", target, re.S)):
        query = listed[2] or messages.AUDIT_LIST_ALL
        return messages.AUDIT_LIST.format(query=query, count=listed[1])
    if action == "export-csv" and (export := re.fullmatch(r"([a-z-]+):(\d+)", target)):
        what = messages.AUDIT_EXPORTS.get(export[1], export[1])
        return messages.AUDIT_EXPORT.format(what=what, count=export[2])
    if action == "read-phone-follow-up":
        # an outbox dedupe key: kind:complaint-no:round[:department] (bot.complaints)
        parts = target.split(":")
        if len(parts) >= 3 and parts[0] in messages.PUSH_KINDS and parts[2].isdigit():
            kind = messages.PUSH_KINDS[parts[0]]
            return messages.AUDIT_PUSH.format(no=parts[1], round=parts[2], kind=kind)
    return target


def model_creator(created_by: str) -> str:
    """Who trained a model version: a staff name, or the system's default training."""
    return messages.MODEL_CREATORS.get(created_by, created_by)


def data_source(source: str) -> str:
    """A model's training data: the file names ("corpus.csv"), never the server's
    absolute paths, and the store's corrections in Chinese. Sources are joined by "+"
    (classifier.dataset.Dataset.plus)."""
    names = [messages.DATA_SOURCES.get(name, name) for name in source_names(source)]
    return " + ".join(dict.fromkeys(names))


AUDIT_PAGE_SIZE = 100


@page(Role.ADMIN)
async def audit(request: web.Request) -> web.Response:
    """Who read personal data, logged in or changed accounts: the privacy trail, newest
    first, a page at a time, filtered by who (an exact account name) and by what.
    Failed logins under made-up names would otherwise bury the entries that matter."""
    actor = request.query.get("actor", "").strip()
    action = request.query.get("action", "").strip()
    try:
        number = max(1, int(request.query.get("page", "1")))
    except ValueError:
        number = 1
    accounts = hotline_of(request).db.accounts
    total, entries = await accounts.audit_page(
        actor=actor, action=action, skip=(number - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE
    )
    pages = max(1, math.ceil(total / AUDIT_PAGE_SIZE))
    if number > pages:  # an old link past the end: the last page, not an empty one
        number = pages
        total, entries = await accounts.audit_page(
            actor=actor, action=action, skip=(pages - 1) * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE
        )
    params = {key: value for key, value in (("actor", actor), ("action", action)) if value}
    context = {"title": "审计日志", "entries": entries, "labels": AUDIT_LABELS,
               "target": audit_target, "actor": actor, "action": action, "total": total,
               "page": number, "pages": pages, "query_string": urlencode(params)}  # fmt: skip
    return render("audit.html", request, context)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/console/audit", audit)
    app.router.add_get("/console/knowledge", knowledge)
    app.router.add_post("/console/knowledge", knowledge_save)
    app.router.add_post("/console/knowledge/{id}/delete", knowledge_delete)
    app.router.add_get("/console/models", models_page)
    app.router.add_get("/console/models/jobs.json", training_jobs)
    app.router.add_post("/console/models/train", models_train)
    app.router.add_post("/console/models/rollback", models_rollback)
    app.router.add_post("/console/models/{version}/activate", models_activate)
    app.router.add_get("/console/accounts", accounts)
    app.router.add_post("/console/accounts", accounts_create)
    app.router.add_post("/console/accounts/{name}/unlock", accounts_unlock)
    app.router.add_post("/console/accounts/{name}/password", accounts_password)
    app.router.add_post("/console/accounts/{name}/disable", accounts_disable)
    app.router.add_post("/console/accounts/{name}/token", accounts_token)
