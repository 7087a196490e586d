"""The application factory: settings in, a wired aiohttp application out.

Everything long-lived (database, HTTP client, WeChat API client, scheduler)
is opened in one `cleanup_ctx` and stored under a typed `AppKey`; nothing
lives in module globals.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.api_auth import TokenCache, auth_middleware
from bot.complaints import ComplaintService
from bot.config import Settings
from bot.conversation import Conversation, DialogRunner
from bot.metrics import Metrics
from bot.model_holder import ModelHolder
from bot.ports import shipped_knowledge
from bot.push import PushSender
from bot.sandbox import create_sandbox_app, records_key
from bot.sign_in_throttle import SignInThrottle, throttle_key
from bot.wechat_api import WeChatAPI
from bot.wechat_callback import WeChatCallback
from models.departments import default_departments
from models.sla import SlaPolicy
from store.database import Database
from store.embedded import EmbeddedServer, EmbeddedStartError, start_embedded

log = logging.getLogger(__name__)

SANDBOX_PREFIX = "/sandbox"
SANDBOX_SECRET = "hotline-sandbox-secret"
# How often an instance on the embedded database checks that it is still running: a
# poll() or one flock, and the seconds a crash costs citizens.
EMBEDDED_CHECK = 2.0


@dataclass(slots=True)
class Hotline:
    """Everything one running instance owns."""

    settings: Settings
    db: Database
    http: aiohttp.ClientSession
    api: WeChatAPI
    metrics: Metrics
    sender: PushSender
    conversation: Conversation
    scheduler: AsyncIOScheduler
    models: ModelHolder
    complaints: ComplaintService
    embedded: EmbeddedServer | None = None
    _tasks: set[asyncio.Task[object]] = field(default_factory=set)
    _interruptible: set[asyncio.Task[object]] = field(default_factory=set)
    _sweeping: asyncio.Lock = field(default_factory=asyncio.Lock)
    _closing: bool = False

    def spawn(self, coroutine: object, *, interruptible: bool = False) -> None:
        """Run in the background; shutdown waits for it, or with `interruptible` (a
        training job: a minute of work that can be redone) cancels it."""
        task = asyncio.ensure_future(coroutine)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if interruptible:
            self._interruptible.add(task)
            task.add_done_callback(self._interruptible.discard)

    async def push_text(self, openid: str, dedupe_key: str, text: str) -> None:
        now = datetime.now(UTC)
        await self.db.outbox.enqueue(
            dedupe_key=dedupe_key,
            kind="text",
            openid=openid,
            payload={"text": text},
            run_at=now,
            now=now,
        )
        self.spawn(self.sender.send_due())

    async def sweep(self) -> None:
        """One round of the periodic jobs (also runs on the scheduler)."""
        async with self._sweeping:
            if not self._closing:
                await self._sweep()

    async def finish_sweep(self, within: float = 10.0) -> None:
        """On shutdown, let a running sweep end before the database closes under it.
        Past `within` we stop anyway: claimed pushes are leased and retried elsewhere."""
        # A sweep the scheduler handed over just before it stopped may still be
        # waiting for the lock: it must not start against a closing database.
        self._closing = True
        try:
            await asyncio.wait_for(self._sweeping.acquire(), within)
        except TimeoutError:
            log.warning("stopping with a sweep still running; its pushes will be retried")
            return
        self._sweeping.release()

    async def _sweep(self) -> None:
        try:
            await self.sender.send_due()
        except Exception:
            log.exception("outbox sweep failed")
        try:
            await self.models.refresh()
        except Exception:
            log.exception("model refresh failed")
        try:
            now = datetime.now(UTC)
            await self.complaints.check_time_limits(now)
            await self.complaints.close_unrated(now)
        except Exception:
            log.exception("time-limit sweep failed")

    async def revive_database(self) -> None:
        """Restart the embedded database if it died under us (see `EmbeddedServer.revive`)."""
        if self.embedded is None:
            return
        try:
            await self.embedded.revive()
        except EmbeddedStartError as error:
            log.error("the embedded database could not be started again: %s", error)

    async def prepare_model(self) -> None:
        try:
            if self.settings.model_autotrain:
                await self.models.ensure_default()
            await self.models.refresh()
        except Exception:
            log.exception("no category model yet; keyword suggestions until one is active")


hotline_key = web.AppKey("hotline", Hotline)


def hotline_of(request: web.Request) -> Hotline:
    """The instance's wired parts, from any handler."""
    return request.app[hotline_key]


def sandbox_secret(settings: Settings) -> str:
    return settings.wechat_secret or SANDBOX_SECRET


def bind_api_base(app: web.Application, base_url: str) -> None:
    """Point the API client at the running server's own sandbox (port known only now)."""
    hotline = app[hotline_key]
    if hotline.settings.sandbox:
        hotline.api.base_url = base_url.rstrip("/") + SANDBOX_PREFIX


def create_app(
    settings: Settings,
    *,
    dialog: DialogRunner | None = None,
    database_uri: str | None = None,
) -> web.Application:
    """Build the application. `database_uri` overrides settings (tests share one server)."""
    throttle = SignInThrottle()
    app = web.Application(
        client_max_size=1024 * 1024,
        middlewares=[auth_middleware(lambda request: request.app[hotline_key].db.accounts,
                                     TokenCache(), throttle)],
    )  # fmt: skip
    app[throttle_key] = throttle
    metrics = Metrics.create()

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        embedded = None
        uri = database_uri or settings.mongodb_uri
        if not uri:
            embedded = await start_embedded(settings.data_dir, settings.embedded_mode)
            uri = embedded.uri
        db = Database.connect(uri, settings.db_name)
        http = aiohttp.ClientSession()
        try:
            await db.ensure_indexes()
            await db.knowledge.seed(shipped_knowledge(), datetime.now(UTC))
            # The sandbox's real address is known once the server listens (bind_api_base).
            base = (
                "http://127.0.0.1:0" + SANDBOX_PREFIX
                if settings.sandbox
                else settings.wechat_api_base
            )
            api = WeChatAPI(
                http, base, settings.wechat_appid, sandbox_secret(settings), db.tokens, db.locks
            )
            sender = PushSender(
                db.outbox,
                api,
                metrics,
                db.complaints,
                template_id=settings.wechat_template_id,
                lease=timedelta(seconds=settings.outbox_lease),
                base_backoff=settings.outbox_backoff,
            )
            scheduler = AsyncIOScheduler(timezone=UTC)
            hotline: Hotline
            models = ModelHolder(
                db.models, db.locks, settings.classifier_threshold, audit=db.accounts.audit
            )
            complaints = ComplaintService(
                db,
                default_departments(),
                SlaPolicy(),
                timedelta(seconds=settings.survey_delay),
                settings.classifier_threshold,
                kick=lambda: hotline.spawn(hotline.sender.send_due()),
            )
            conversation = Conversation(
                db,
                dialog or _default_dialog(settings, api, models, complaints),
                reply_budget=settings.reply_budget,
                push_reply=lambda openid, key, text: hotline.push_text(openid, key, text),
            )
            hotline = Hotline(
                settings=settings,
                db=db,
                http=http,
                api=api,
                metrics=metrics,
                sender=sender,
                conversation=conversation,
                scheduler=scheduler,
                models=models,
                complaints=complaints,
                embedded=embedded,
            )
            app[hotline_key] = hotline
            app[records_key] = db.sandbox
            callback = WeChatCallback(
                token=settings.wechat_token,
                appid=settings.wechat_appid,
                aes_key=settings.wechat_aes_key,
                conversation=conversation,
                metrics=metrics,
                max_text_chars=settings.max_text_chars,
            )
            app[callback_key] = callback
            scheduler.add_job(
                hotline.sweep,
                "interval",
                seconds=settings.jobs_interval,
                max_instances=1,
                coalesce=True,
                id="sweep",
            )
            if embedded is not None:
                scheduler.add_job(
                    hotline.revive_database,
                    "interval",
                    seconds=EMBEDDED_CHECK,
                    max_instances=1,
                    coalesce=True,
                    id="embedded-database",
                )
            scheduler.start()
            hotline.spawn(hotline.prepare_model())
        except BaseException:
            await http.close()
            await db.close()
            if embedded:
                await embedded.stop()
            raise
        yield
        scheduler.shutdown(wait=False)
        await hotline.finish_sweep()
        await conversation.drain()
        for task in list(hotline._interruptible):
            task.cancel()
        if hotline._tasks:
            await asyncio.gather(*hotline._tasks, return_exceptions=True)
        await http.close()
        await db.close()
        if embedded:
            await embedded.stop()

    app.cleanup_ctx.append(lifecycle)
    _add_routes(app, settings, metrics)
    return app


callback_key = web.AppKey("wechat_callback", WeChatCallback)


def _default_dialog(
    settings: Settings, api: WeChatAPI, models: ModelHolder, complaints: ComplaintService
) -> DialogRunner:
    from bot.dialog_runner import EngineRunner

    return EngineRunner.create(settings, api, models, complaints)


def _add_routes(app: web.Application, settings: Settings, metrics: Metrics) -> None:
    from bot import api, api_models, console, health, open311, openapi, public_stats

    async def verify(request: web.Request) -> web.Response:
        return await request.app[callback_key].verify(request)

    async def receive(request: web.Request) -> web.Response:
        return await request.app[callback_key].receive(request)

    app.router.add_get("/wechat", verify)
    app.router.add_post("/wechat", receive)
    health.add_routes(app)
    openapi.add_routes(app)
    api.add_routes(app)
    api_models.add_routes(app)
    public_stats.add_routes(app)
    open311.add_routes(app)
    console.setup(app)
    if settings.sandbox:
        _mount_sandbox(app, settings)


def _mount_sandbox(app: web.Application, settings: Settings) -> None:
    app.add_subapp(
        SANDBOX_PREFIX, create_sandbox_app(settings.wechat_appid, sandbox_secret(settings))
    )
