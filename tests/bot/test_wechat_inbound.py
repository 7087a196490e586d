"""Parsing WeChat XML into Inbound (pure)."""

from __future__ import annotations

import pytest

from bot.wechat_inbound import BadXml, parse
from bot.wechat_sim import SimulatedWeChat
from models.inbound import InboundKind

SIM = SimulatedWeChat(token="t", appid="wx1")


def test_text_is_stripped_and_truncated():
    parsed = parse(SIM.text("o1", "  路灯坏了  ", msg_id=42), max_text_chars=600)
    assert parsed.inbound.kind is InboundKind.TEXT
    assert parsed.inbound.text == "路灯坏了"
    assert parsed.dedupe_key == "msg:o1:42"
    # the same number from another citizen is another message
    other = parse(SIM.text("o2", "路灯坏了", msg_id=42), max_text_chars=600)
    assert other.dedupe_key != parsed.dedupe_key
    long = parse(SIM.text("o1", "😡" * 700), max_text_chars=600)
    assert len(long.inbound.text) == 600 and long.inbound.truncated


def test_location_and_voice():
    location = parse(
        SIM.xml("o", "location", Location_X="39.9", Location_Y="116.4", Label="工体", MsgId=1),
        600,
    ).inbound
    assert (location.lat, location.lng, location.text) == (39.9, 116.4, "工体")
    voice = parse(SIM.xml("o", "voice", MediaId="m", Recognition="你好", MsgId=2), 600).inbound
    assert voice.kind is InboundKind.VOICE and voice.text == "你好"


def test_events_use_sender_and_time_as_key():
    first = parse(SIM.event("o", "CLICK", create_time=100, EventKey="QUERY"), 600)
    again = parse(SIM.event("o", "CLICK", create_time=100, EventKey="QUERY"), 600)
    later = parse(SIM.event("o", "CLICK", create_time=101, EventKey="QUERY"), 600)
    assert first.dedupe_key == again.dedupe_key != later.dedupe_key
    assert first.inbound.kind is InboundKind.CLICK and first.inbound.key == "QUERY"


def test_two_menu_clicks_in_one_second_are_two_events():
    complain = parse(SIM.event("o", "CLICK", create_time=100, EventKey="COMPLAIN"), 600)
    query = parse(SIM.event("o", "CLICK", create_time=100, EventKey="QUERY"), 600)
    view = parse(SIM.event("o", "VIEW", create_time=100, EventKey="https://x"), 600)
    assert len({complain.dedupe_key, query.dedupe_key, view.dedupe_key}) == 3
    retry = parse(SIM.event("o", "CLICK", create_time=100, EventKey="COMPLAIN"), 600)
    assert retry.dedupe_key == complain.dedupe_key


def test_qrscene_subscribe_keeps_the_scene():
    parsed = parse(SIM.event("o", "subscribe", EventKey="qrscene_haidian", Ticket="t"), 600)
    assert parsed.inbound.kind is InboundKind.SUBSCRIBE and parsed.inbound.key == "haidian"


def test_cdata_terminator_in_content_round_trips():
    parsed = parse(SIM.text("o", "a]]>b"), 600)
    assert parsed.inbound.text == "a]]>b"


@pytest.mark.parametrize(
    "body",
    ["", "<xml>", "<a/>", "<xml><MsgType>text</MsgType></xml>", "<!DOCTYPE x []><xml/>"],
)
def test_bad_xml(body):
    with pytest.raises(BadXml):
        parse(body, 600)
