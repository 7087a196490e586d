"""Pure extraction helpers and intent patterns."""

from __future__ import annotations

import pytest

from dialogs.extract import (
    find_address,
    find_district,
    find_phone,
    find_ticket,
    find_times,
    parse_phone,
    strip_filler,
    strip_phones,
)
from dialogs.intents import CHANGE_SOMETHING, Correction, correction, status_query


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("电话13812345678", "13812345678"),
        ("手机 138 1234 5678 谢谢", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("座机010-62345678", "010-62345678"),
        ("010 62345678", "010-62345678"),
        ("12812345678", ""),  # no mobile starts with 12
        ("138123456789", ""),  # twelve digits is no phone
        ("工单20261128-0042", ""),
    ],
)
def test_find_phone(text, phone):
    assert find_phone(text) == phone


def test_parse_phone_accepts_a_bare_beijing_number():
    assert parse_phone("62345678") == "010-62345678"
    assert parse_phone("（010）62345678") == "010-62345678"
    assert parse_phone("一三八") == ""


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("朝阳区望京", "朝阳区"),
        ("海淀黄庄地铁站", "海淀区"),
        ("门头沟永定镇", "门头沟区"),
        ("石景山鲁谷", "石景山区"),
        ("北京市延庆区", "延庆区"),
        ("上海浦东", ""),
    ],
)
def test_find_district(text, district):
    assert find_district(text) == district


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("我住朝阳区望京西园三区12号楼，楼下很吵", "朝阳区望京西园三区12号楼"),
        ("在西城区白纸坊街道右内西街10号院", "西城区白纸坊街道右内西街10号院"),
        ("东城区南锣鼓巷旁边的帽儿胡同", "东城区南锣鼓巷"),
        ("小区门口", ""),  # names no place anyone could find
        ("路灯坏了", ""),
    ],
)
def test_find_address(text, address):
    assert find_address(text) == address


def test_ticket_and_status_query():
    assert find_ticket("查一下 20261128-0042 怎么样了") == "20261128-0042"
    assert find_ticket("2026112800") == ""
    assert status_query("20261128-0042") == "20261128-0042"
    assert status_query("查询20261128-0042进度") == "20261128-0042"
    assert status_query("补充 20261128-0042 晚上更吵了，十点以后还在施工") == ""


def test_times():
    assert find_times("每天晚上十点以后还在营业，已经三个月了") == ["每天晚上十点以后", "三个月了"]
    assert find_times("昨晚11点半，今天早上6点") == ["昨晚11点半", "今天早上6点"]
    assert find_times("电话13812345678") == []


def test_strip_phones_and_filler():
    assert strip_phones("路灯坏了一周，电话13812345678") == "路灯坏了一周"
    assert strip_phones("联系电话：010-62345678。楼下很吵") == "楼下很吵"
    assert strip_phones("手机是13800138000") == ""
    assert strip_filler("我家住在朝阳区工体北路8号院") == "朝阳区工体北路8号院"
    assert strip_filler("家乐福门口") == "家乐福门口"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地址说错了，应该是海淀区学院路30号院", Correction("location", "海淀区学院路30号院")),
        ("地址改成朝阳区望京街9号", Correction("location", "朝阳区望京街9号")),
        ("地址不对", Correction("location", "")),
        ("我要改地址", Correction("location", "")),
        ("地址：朝阳区工体北路8号", Correction("location", "朝阳区工体北路8号")),
        ("电话改成 010-62345678", Correction("contact_phone", "010-62345678")),
        ("改一下电话 13900001111", Correction("contact_phone", "13900001111")),
        ("手机号写错了，是13900001111", Correction("contact_phone", "13900001111")),
        ("13900001111", Correction("contact_phone", "13900001111")),
        ("不是这个类别", Correction("category", "")),
        ("类别改成环境保护", Correction("category", "环境保护")),
        ("修改类别", Correction("category", "")),
        ("描述改成路灯坏了两周了", Correction("description", "路灯坏了两周了")),
        ("照片不要了", Correction("photos", "")),
        # descriptions that merely start with a slot word are not corrections
        ("手机店卖翻新机当新机", None),
        ("地方太偏了没有公交", None),
        ("问题是楼下很吵", None),
    ],
)
def test_corrections(text, expected):
    assert correction(text) == expected


def test_change_something_without_saying_what():
    for text in ("修改", "我要修改", "改一下", "写错了", "有错"):
        assert CHANGE_SOMETHING.match(text), text
    assert not CHANGE_SOMETHING.match("改地址")
