"""`GET/POST /wechat`: WeChat's server URL, in plain, compatible and safe mode.

Order of checks for a POST: size (413), signature (403), XML safety and shape
(400), then the conversation. Nothing a sender controls can produce a 500.
"""

from __future__ import annotations

import logging
import time

from aiohttp import web
from wechatpy import create_reply
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from bot.conversation import Conversation
from bot.metrics import Metrics
from bot.wechat_inbound import BadXml, check_xml, parse

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


class WeChatCallback:
    def __init__(
        self,
        *,
        token: str,
        appid: str,
        aes_key: str,
        conversation: Conversation,
        metrics: Metrics,
        max_text_chars: int,
    ) -> None:
        self._token = token
        self._crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None
        self._conversation = conversation
        self._metrics = metrics
        self._max_text_chars = max_text_chars

    def _signed(self, request: web.Request) -> bool:
        query = request.query
        try:
            check_signature(self._token, query["signature"], query["timestamp"], query["nonce"])
        except (KeyError, InvalidSignatureException):
            return False
        return True

    async def verify(self, request: web.Request) -> web.Response:
        """WeChat's URL verification: echo `echostr` when the signature matches."""
        if not self._signed(request):
            raise web.HTTPForbidden(text="invalid signature")
        return web.Response(text=request.query.get("echostr", ""))

    async def receive(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        try:
            return await self._receive(request)
        finally:
            self._metrics.callback_seconds.observe(time.perf_counter() - started)

    async def _receive(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(
                max_size=MAX_BODY, actual_size=request.content_length
            )
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=len(body))
        query = request.query
        safe = query.get("encrypt_type", "raw").lower() == "aes"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise web.HTTPBadRequest(text="the body must be UTF-8") from None
        if safe:
            if self._crypto is None:
                raise web.HTTPBadRequest(text="safe mode is not configured (no EncodingAESKey)")
            try:
                check_xml(text)  # the envelope too: decryption must not parse a hostile body
                text = self._crypto.decrypt_message(
                    text,
                    query.get("msg_signature", ""),
                    query.get("timestamp", ""),
                    query.get("nonce", ""),
                )
            except BadXml as error:
                raise web.HTTPBadRequest(text=str(error)) from None
            except (InvalidSignatureException, InvalidAppIdException):
                raise web.HTTPForbidden(text="invalid msg_signature") from None
            except (KeyError, ValueError, TypeError) as error:
                raise web.HTTPBadRequest(text=f"cannot decrypt: {error}") from None
        elif not self._signed(request):
            raise web.HTTPForbidden(text="invalid signature")
        try:
            parsed = parse(text, self._max_text_chars)
        except BadXml as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        self._metrics.messages.inc(parsed.inbound.kind.value)
        reply_text = await self._conversation.handle(parsed)
        if not reply_text:
            return web.Response(text="success")
        reply = create_reply(reply_text, parsed.message, render=True)
        if safe and self._crypto is not None:
            reply = self._crypto.encrypt_message(
                reply, query.get("nonce", ""), query.get("timestamp") or str(int(time.time()))
            )
        return web.Response(text=reply, content_type="application/xml")


def add_routes(app: web.Application, callback: WeChatCallback) -> None:
    app.router.add_get("/wechat", callback.verify)
    app.router.add_post("/wechat", callback.receive)
