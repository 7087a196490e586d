"""Phone and ID numbers as citizens type them are masked for department staff; the
numbers a complaint carries that are not personal are kept."""

from __future__ import annotations

import pytest

from models.text import mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # a phone's Chinese keyboard types full-width digits, plus signs and dashes
        ("我的电话１３８１２３４５６７８", "我的电话138****5678"),
        ("电话１３８－１２３４－５６７８", "电话138****5678"),
        ("＋８６ １３８ １２３４ ５６７８", "138****5678"),
        ("身份证１１０１０５１９８００１０１１２３Ｘ", "身份证110105********123X"),
        # grouped in all the ways people write them
        ("138-1234-5678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138 - 1234 - 5678", "138****5678"),
        ("138  1234  5678", "138****5678"),
        ("138 12 34 56 78", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("+86-13812345678", "138****5678"),
        ("008613812345678", "138****5678"),
        ("身份证 110105 19800101 1234", "身份证 110105********1234"),
        ("010 - 8765 4321", "010-****4321"),
        ("（０１０）８７６５４３２１", "010-****4321"),
        # the first-generation 15-digit ID number
        ("老身份证110105750101123", "老身份证110105*****1123"),
        ("身份证１１０１０５７５０１０１１２３", "身份证110105*****1123"),
        ("身份证号 110105 750101 123 请核实", "身份证号 110105*****1123 请核实"),
        # two numbers side by side are both masked
        ("电话13812345678 13987654321", "电话138****5678 139****4321"),
    ],
)  # fmt: skip
def test_numbers_masked_however_typed(text: str, masked: str) -> None:
    assert mask_personal_numbers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        # ticket numbers (yyyymmdd-nnnn), also full-width and next to each other
        "工单20261130-0297，催办20261130-0298",
        "工单２０２６１１３０－０２９７",
        "工单20261130-0297 20261201-1234",
        # dates and times
        "2026-11-30 12:00",
        "2026年01月05日 08:30前处理",
        "２０２６－１１－３０",
        # amounts of money
        "罚款1380元，押金13800.00元，共计¥1,380,000",
        "补偿款１３８００元",
        # house numbers
        "3-2-301室",
        "望京西园三区13号楼1单元1301",
        "13-1-1302 和 15-2-1201",
        # long numbers that are not IDs: no real month or day, or too many digits
        "流水号123456789012345",
        "订单号110000000000000",
        "流水号12345678901234567890",
    ],
)  # fmt: skip
def test_numbers_that_are_not_personal_kept(text: str) -> None:
    assert mask_personal_numbers(text) == text
