"""The dialog engine as the conversation layer runs it: stored dicts in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.model_holder import ModelHolder
from bot.ports import KnowledgeCache, StorePorts
from bot.wechat_api import WeChatAPI
from dialogs.engine import DialogEngine, DialogSettings
from dialogs.session import Session
from models.departments import default_departments
from models.inbound import Inbound
from models.sla import SlaPolicy
from store.database import Database


@dataclass(slots=True)
class EngineRunner:
    engine: DialogEngine
    ports: StorePorts

    @classmethod
    def create(
        cls, settings: Settings, db: Database, api: WeChatAPI, models: ModelHolder
    ) -> EngineRunner:
        engine = DialogEngine(
            DialogSettings(
                idle_timeout=timedelta(seconds=settings.dialog_idle_timeout),
                max_text_chars=settings.max_text_chars,
            )
        )
        ports = StorePorts(
            db=db,
            api=api,
            departments=default_departments(),
            sla=SlaPolicy(),
            knowledge=KnowledgeCache(db),
            models=models,
        )
        return cls(engine, ports)

    async def run(
        self, session: dict[str, Any] | None, inbound: Inbound, now: datetime
    ) -> tuple[list[str], dict[str, Any]]:
        current = Session.from_dict(session, inbound.openid)
        turn = await self.engine.handle(current, inbound, self.ports, now)
        return turn.replies, turn.session.to_dict()
