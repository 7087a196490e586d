"""What citizens type never reaches the logs with their phone or ID number in full."""

from __future__ import annotations

import logging

from bot.logs import MaskPhones


def _logged(message: str, *args: object) -> str:
    record = logging.LogRecord("hotline", logging.INFO, __file__, 1, message, args, None)
    assert MaskPhones().filter(record) is True  # masked, never dropped
    return record.getMessage()


def test_phone_and_id_numbers_are_masked_in_log_lines():
    line = _logged("message from %s: %s", "o_abc", "电话138 1234 5678，身份证110105198001011234")
    assert "138****5678" in line and "110105********1234" in line
    assert "1234 5678" not in line and "19800101" not in line
    assert _logged("landline %s", "010-12345678") == "landline 010-****5678"


def test_what_is_not_a_personal_number_is_left_alone():
    plain = "ticket 20261130-0001 at 2026-11-30 08:15:02,123 msg 6123456789012345678"
    assert _logged(plain) == plain
