"""The dialog engine as the conversation layer runs it: stored dicts in and out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.complaints import ComplaintService
from bot.config import Settings
from bot.model_holder import ModelHolder
from bot.ports import KnowledgeCache, StorePorts
from bot.wechat_api import WeChatAPI
from dialogs.engine import DialogEngine, DialogSettings
from dialogs.session import Session
from models.inbound import Inbound


@dataclass(slots=True)
class EngineRunner:
    engine: DialogEngine
    ports: StorePorts

    @classmethod
    def create(
        cls,
        settings: Settings,
        api: WeChatAPI,
        models: ModelHolder,
        complaints: ComplaintService,
    ) -> EngineRunner:
        engine = DialogEngine(
            DialogSettings(
                idle_timeout=timedelta(seconds=settings.dialog_idle_timeout),
                max_text_chars=settings.max_text_chars,
            )
        )
        ports = StorePorts(
            api=api,
            knowledge=KnowledgeCache(complaints.db),
            models=models,
            complaints=complaints,
        )
        return cls(engine, ports)

    async def run(
        self, session: dict[str, Any] | None, inbound: Inbound, now: datetime
    ) -> tuple[list[str], dict[str, Any]]:
        current = Session.from_dict(session, inbound.openid)
        # fresh ports each turn: their memo of the citizen's complaints lasts one turn
        turn = await self.engine.handle(current, inbound, self.ports.for_turn(), now)
        return turn.replies, turn.session.to_dict()
