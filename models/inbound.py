"""What a citizen sent us, independent of WeChat's XML.

The bot layer turns each parsed WeChat message or event into one `Inbound`;
the dialog engine only ever sees this type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class InboundKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    VOICE = "voice"
    VIDEO = "video"
    LOCATION = "location"
    LINK = "link"
    # events
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    SCAN = "scan"
    REPORT_LOCATION = "report_location"  # the periodic LOCATION event, not a message
    CLICK = "click"
    VIEW = "view"
    TEMPLATE_RESULT = "template_result"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message or event from one citizen.

    `text` is the typed text, the voice recognition result, a link's title or a
    location's label; `key` is a menu key, a QR scene or a view URL.
    """

    openid: str
    kind: InboundKind
    received_at: datetime
    text: str = ""
    media_id: str = ""
    lat: float | None = None
    lng: float | None = None
    key: str = ""
    truncated: bool = False  # the bot shortened an over-long text

    @property
    def is_event(self) -> bool:
        return self.kind in {
            InboundKind.SUBSCRIBE,
            InboundKind.UNSUBSCRIBE,
            InboundKind.SCAN,
            InboundKind.REPORT_LOCATION,
            InboundKind.CLICK,
            InboundKind.VIEW,
            InboundKind.TEMPLATE_RESULT,
        }
