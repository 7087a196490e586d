"""WeChat XML -> `models.Inbound`: the only place that knows wechatpy's types.

The XML is parsed twice on purpose: first by defusedxml with DTDs and entities
forbidden (so a billion-laughs or external-entity payload is rejected, never
expanded), then by wechatpy into its message classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from wechatpy import events, messages, parse_message

from models.inbound import Inbound, InboundKind


class BadXml(ValueError):
    """The body is not a WeChat message we can read; the text says why."""


def check_xml(body: str) -> None:
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BadXml("DTDs and entities are not allowed") from None
    except ParseError as error:
        raise BadXml(f"malformed XML: {error}") from None
    if root.tag != "xml":
        raise BadXml("the root element must be <xml>")


@dataclass(frozen=True, slots=True)
class Parsed:
    message: messages.BaseMessage
    inbound: Inbound
    dedupe_key: str


def parse(body: str, max_text_chars: int) -> Parsed:
    check_xml(body)
    try:
        message = parse_message(body)
    except (KeyError, TypeError, ValueError) as error:
        raise BadXml(f"not a WeChat message: missing {error}") from None
    if not message.source or not message.target:
        raise BadXml("FromUserName and ToUserName are required")
    inbound = to_inbound(message, max_text_chars)
    return Parsed(message=message, inbound=inbound, dedupe_key=dedupe_key(message))


def dedupe_key(message: messages.BaseMessage) -> str:
    """Sender + MsgId for messages; events carry none, so FromUserName + CreateTime + the
    event and its key: two menu clicks in the same second (COMPLAIN, then QUERY)
    are two events, while WeChat's retry of one click repeats all four."""
    if isinstance(message, events.BaseEvent) or not message.id:
        event = getattr(message, "event", "") or message.type
        key = next(
            (
                str(value)
                for name in ("key", "url", "scene_id")
                if (value := getattr(message, name, None))
            ),
            "",
        )
        return f"{message.source}:{message.time}:{event}:{key}"
    # MsgId with its sender: unique either way from WeChat, but a client that
    # numbers its own messages (a simulator, a test) cannot mix two citizens up
    return f"msg:{message.source}:{message.id}"


def _received_at(message: messages.BaseMessage) -> datetime:
    try:
        return datetime.fromtimestamp(int(message.time), UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(UTC)


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def to_inbound(message: messages.BaseMessage, max_text_chars: int) -> Inbound:
    base = {"openid": message.source, "received_at": _received_at(message)}
    match message:
        case messages.TextMessage():
            text = (message.content or "").strip()
            truncated = len(text) > max_text_chars
            return Inbound(
                kind=InboundKind.TEXT, text=text[:max_text_chars], truncated=truncated, **base
            )
        case messages.ImageMessage():
            return Inbound(kind=InboundKind.IMAGE, media_id=message.media_id or "", **base)
        case messages.VoiceMessage():
            text = (message.recognition or "").strip()[:max_text_chars]
            return Inbound(
                kind=InboundKind.VOICE, text=text, media_id=message.media_id or "", **base
            )
        case messages.VideoMessage() | messages.ShortVideoMessage():
            return Inbound(kind=InboundKind.VIDEO, media_id=message.media_id or "", **base)
        case messages.LocationMessage():
            return Inbound(
                kind=InboundKind.LOCATION,
                lat=_float(message.location_x),
                lng=_float(message.location_y),
                text=(message.label or "").strip(),
                **base,
            )
        case messages.LinkMessage():
            return Inbound(kind=InboundKind.LINK, text=message.title or "", key=message.url, **base)
        case events.SubscribeScanEvent():
            return Inbound(kind=InboundKind.SUBSCRIBE, key=message.scene_id or "", **base)
        case events.SubscribeEvent():
            return Inbound(kind=InboundKind.SUBSCRIBE, key=message.key or "", **base)
        case events.UnsubscribeEvent():
            return Inbound(kind=InboundKind.UNSUBSCRIBE, **base)
        case events.ScanEvent():
            return Inbound(kind=InboundKind.SCAN, key=message.scene_id or "", **base)
        case events.LocationEvent():
            return Inbound(
                kind=InboundKind.REPORT_LOCATION,
                lat=_float(message.latitude),
                lng=_float(message.longitude),
                **base,
            )
        case events.ClickEvent():
            return Inbound(kind=InboundKind.CLICK, key=message.key or "", **base)
        case events.ViewEvent():
            return Inbound(kind=InboundKind.VIEW, key=message.url or "", **base)
        case events.TemplateSendJobFinishEvent():
            return Inbound(kind=InboundKind.TEMPLATE_RESULT, key=message.status or "", **base)
        case _:
            return Inbound(kind=InboundKind.UNKNOWN, **base)
