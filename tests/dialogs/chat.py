"""A tiny driver for engine unit tests: one citizen, in-memory ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from dialogs.engine import DialogEngine, DialogSettings
from dialogs.session import Session
from models.departments import CategorySuggestion
from models.inbound import Inbound, InboundKind
from tests.dialogs.fakes import FakePorts


@dataclass
class Chat:
    ports: FakePorts = field(default_factory=FakePorts)
    engine: DialogEngine = field(default_factory=lambda: DialogEngine(DialogSettings()))
    openid: str = "o_test"
    session: Session = field(init=False)
    turns: int = 0

    def __post_init__(self) -> None:
        self.session = Session(self.openid)

    async def send(self, kind: InboundKind = InboundKind.TEXT, **fields: object) -> str:
        event = Inbound(self.openid, kind, self.ports.now, **fields)  # type: ignore[arg-type]
        before = self.session
        turn = await self.engine.handle(self.session, event, self.ports, self.ports.now)
        assert before == self.session, "the engine must not mutate its input"
        self.session = turn.session
        self.turns += 1
        return "\n".join(turn.replies)

    async def say(self, text: str) -> str:
        return await self.send(InboundKind.TEXT, text=text)

    async def click(self, key: str) -> str:
        return await self.send(InboundKind.CLICK, key=key)

    async def photo(self, media_id: str) -> str:
        return await self.send(InboundKind.IMAGE, media_id=media_id)

    async def location(self, lat: float, lng: float, label: str) -> str:
        return await self.send(InboundKind.LOCATION, lat=lat, lng=lng, text=label)

    async def voice(self, recognition: str) -> str:
        return await self.send(InboundKind.VOICE, text=recognition, media_id="v")

    def wait(self, minutes: int) -> None:
        self.ports.now += timedelta(minutes=minutes)

    def suggest(self, category: str, confidence: float = 0.9) -> None:
        self.ports.suggestion = CategorySuggestion(
            category, confidence, ((category, confidence), ("环境保护", 0.05), ("交通运输", 0.03))
        )

    @property
    def draft(self):
        [draft] = self.ports.registered
        return draft
