"""Build WeChat callback requests exactly as WeChat's servers do.

Used by `hotline chat`, the tests and the benchmarks: signed query string,
XML body, and in safe mode the AES envelope with `msg_signature`.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from dataclasses import dataclass, field
from xml.etree.ElementTree import fromstring

from wechatpy.crypto import WeChatCrypto


def signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def _field(name: str, value: str | int | float) -> str:
    if isinstance(value, (int, float)):
        return f"<{name}>{value}</{name}>"
    # CDATA cannot contain its own terminator: split it, as WeChat does.
    safe = value.replace("]]>", "]]]]><![CDATA[>")
    return f"<{name}><![CDATA[{safe}]]></{name}>"


@dataclass(slots=True)
class SimulatedWeChat:
    """One official account's view of WeChat: signs and (optionally) encrypts."""

    token: str
    appid: str
    account: str = "gh_hotline12345"
    aes_key: str = ""
    safe: bool = False
    _ids: itertools.count = field(default_factory=lambda: itertools.count(int(time.time() * 1000)))

    def next_msg_id(self) -> int:
        return next(self._ids)

    def xml(
        self, openid: str, msg_type: str, create_time: int | None = None, **fields: object
    ) -> str:
        parts = [
            _field("ToUserName", self.account),
            _field("FromUserName", openid),
            _field("CreateTime", create_time or int(time.time())),
            _field("MsgType", msg_type),
        ]
        parts += [_field(name, value) for name, value in fields.items()]  # type: ignore[arg-type]
        return "<xml>" + "".join(parts) + "</xml>"

    def text(self, openid: str, content: str, msg_id: int | None = None) -> str:
        return self.xml(openid, "text", Content=content, MsgId=msg_id or self.next_msg_id())

    def event(
        self, openid: str, event: str, create_time: int | None = None, **fields: object
    ) -> str:
        return self.xml(openid, "event", create_time=create_time, Event=event, **fields)

    def sign(self, body: str) -> tuple[dict[str, str], str]:
        """Query parameters and body for one POST to the callback URL."""
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(5)
        params = {
            "signature": signature(self.token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "openid": "",
        }
        if not self.safe:
            return params, body
        crypto = WeChatCrypto(self.token, self.aes_key, self.appid)
        envelope = crypto.encrypt_message(body, nonce, timestamp)
        # encrypt_message renders a reply envelope; WeChat's inbound one differs in fields
        # but carries the same Encrypt and MsgSignature, which is all a server reads.
        root = fromstring(envelope)
        encrypted = root.findtext("Encrypt") or ""
        params["msg_signature"] = root.findtext("MsgSignature") or ""
        params["encrypt_type"] = "aes"
        return params, (
            f"<xml><ToUserName><![CDATA[{self.account}]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        )

    def open_reply(self, body: str, params: dict[str, str]) -> str:
        """The reply as plain XML (decrypted in safe mode)."""
        if not self.safe or body == "success" or not body:
            return body
        crypto = WeChatCrypto(self.token, self.aes_key, self.appid)
        root = fromstring(body)
        return crypto.decrypt_message(
            body,
            root.findtext("MsgSignature") or "",
            root.findtext("TimeStamp") or "",
            root.findtext("Nonce") or "",
        )


def reply_text(xml: str) -> str:
    """The Content of a passive text reply ('' for `success`)."""
    if not xml or xml == "success":
        return ""
    return fromstring(xml).findtext("Content") or ""
