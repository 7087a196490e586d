"""A citizen's conversation state, stored by the bot between messages.

Stored sessions have no schema version: `from_dict` takes the fields it knows
and defaults the rest, so a field added with a default (`help_shown`, the
`_listed` note in slots) loads from older documents, and older code ignores it.

`to_dict` gives plain JSON types only (the time as an ISO string with its
offset), so the same document works in MongoDB, in JSON logs and in tests,
and no driver can hand back a naive datetime.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

COMPLAINT_FORM = "complaint"


@dataclass(frozen=True, slots=True)
class Session:
    openid: str
    form: str | None = None  # the active form, or None when idle
    slots: dict[str, Any] = field(default_factory=dict)
    requested: str | None = None  # the slot we asked for last ("confirm" at the end)
    failures: dict[str, int] = field(default_factory=dict)
    draft_id: str = ""
    paused: bool = False  # the draft timed out; waiting for 继续 / 重新开始
    offer: str = ""  # a pending yes/no offer, e.g. filing a consultation ticket
    offer_text: str = ""
    last_active_at: datetime | None = None
    last_no: str = ""  # the last ticket registered in this chat
    # The full help was shown in this visit: "没看明白" then points to 帮助 in one
    # line instead of nine. Cleared when the citizen comes back after a break.
    help_shown: bool = False
    # A survey answer said while several surveys waited ("不满意，灯还是不亮"), kept
    # until the citizen names the ticket it is for: satisfaction, solved, comment.
    # Dropped when the citizen comes back after a break.
    kept_rating: dict[str, Any] = field(default_factory=dict)
    # The safety advice given last: {"kinds": [...], "at": ISO time}. The same danger
    # told again within minutes gets one line, not the advice again; kept past the
    # form, as the citizen may send it again just after registering.
    advised: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.last_active_at is not None:
            data["last_active_at"] = self.last_active_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, openid: str) -> Session:
        """The stored session; unknown keys (from older or newer code) are ignored."""
        if not data:
            return cls(openid=openid)
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["last_active_at"] = _moment(known.get("last_active_at"))
        return cls(**{**known, "openid": openid})

    def update(self, **changes: Any) -> Session:
        return replace(self, **changes)

    def with_slot(self, name: str, value: Any) -> Session:
        return replace(self, slots={**self.slots, name: value})

    def fail(self, slot: str) -> tuple[Session, int]:
        count = self.failures.get(slot, 0) + 1
        return replace(self, failures={**self.failures, slot: count}), count

    def ended(self) -> Session:
        """Back to idle, keeping only what outlives a form."""
        return Session(
            openid=self.openid,
            last_no=self.last_no,
            last_active_at=self.last_active_at,
            help_shown=self.help_shown,
            kept_rating=self.kept_rating,
            advised=self.advised,
        )


def _moment(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # BSON dates come back naive, in UTC
    return value if isinstance(value, datetime) else None
